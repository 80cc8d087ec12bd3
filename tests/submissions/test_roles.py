"""Each staff role can do its job and no more: the groups come from the roles data migration."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.urls import reverse

from submissions.models import Submission
from submissions.uploads import private_storage
from tests.factories import (
    AttachmentFactory,
    CallFactory,
    FAQFactory,
    PageFactory,
    PostFactory,
    SubmissionFactory,
    SubscriberFactory,
)

from .staff import staff_user

pytestmark = pytest.mark.django_db

MODERATORS, EDITORS, LEADS, ADMINISTRATORS = "Moderators", "Content editors", "Safeguarding leads", "Administrators"


@pytest.fixture
def objects():
    call = CallFactory()
    submission = SubmissionFactory(call=call, safeguarding_flag=True)
    return {
        "submissions.submission": submission,
        "submissions.safeguardingqueue": submission,
        "consultations.call": call,
        "pages.page": PageFactory(),
        "pages.faq": FAQFactory(),
        "pages.post": PostFactory(),
        "pages.subscriber": SubscriberFactory(),
    }


def admin_status(client, label, obj, view):
    app, model = label.split(".")
    if view == "changelist":
        url = reverse(f"admin:{app}_{model}_changelist")
    else:
        url = reverse(f"admin:{app}_{model}_change", args=[obj.pk])
    # A response's change address leads to its moderation (or safeguarding review) screen.
    return client.get(url, follow=True).status_code


# (role, object type) -> (changelist, change page)
EXPECTED = {
    MODERATORS: {
        "submissions.submission": (200, 200),
        "submissions.safeguardingqueue": (403, 403),
        "consultations.call": (200, 200),
        "pages.page": (403, 403),
        "pages.faq": (403, 403),
        "pages.post": (403, 403),
        "pages.subscriber": (403, 403),
    },
    EDITORS: {
        "submissions.submission": (403, 403),
        "submissions.safeguardingqueue": (403, 403),
        "consultations.call": (200, 200),
        "pages.page": (200, 200),
        "pages.faq": (200, 200),
        "pages.post": (200, 200),
        "pages.subscriber": (403, 403),
    },
    LEADS: {
        "submissions.submission": (403, 403),
        "submissions.safeguardingqueue": (200, 200),
        "consultations.call": (403, 403),
        "pages.page": (403, 403),
        "pages.faq": (403, 403),
        "pages.post": (403, 403),
        "pages.subscriber": (403, 403),
    },
    ADMINISTRATORS: {
        "submissions.submission": (200, 200),
        "submissions.safeguardingqueue": (200, 200),
        "consultations.call": (200, 200),
        "pages.page": (200, 200),
        "pages.faq": (200, 200),
        "pages.post": (200, 200),
        "pages.subscriber": (200, 200),
    },
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_reaches_exactly_the_admin_pages_it_needs(client, objects, role):
    client.force_login(staff_user(role))

    seen = {
        label: (admin_status(client, label, obj, "changelist"), admin_status(client, label, obj, "change"))
        for label, obj in objects.items()
    }

    assert seen == EXPECTED[role]


def test_content_editors_have_no_permission_on_responses_attachments_or_subscribers():
    editors = Group.objects.get(name=EDITORS)

    labels = set(editors.permissions.values_list("content_type__app_label", "content_type__model"))

    assert not {label for label in labels if label[0] == "submissions"}
    assert ("pages", "subscriber") not in labels


def test_moderators_can_view_and_change_responses_but_not_delete_or_edit_content():
    codenames = set(Group.objects.get(name=MODERATORS).permissions.values_list("codename", flat=True))

    assert {"view_submission", "change_submission", "change_answer", "change_idea", "download_attachment"} <= codenames
    assert not {codename for codename in codenames if codename.startswith(("delete_", "add_"))}
    assert not {"change_page", "change_post", "change_call", "change_faq"} & codenames


def test_administrators_have_every_permission():
    assert (
        Group.objects.get(name=ADMINISTRATORS).permissions.count()
        >= Permission.objects.filter(
            content_type__app_label__in=["pages", "consultations", "submissions", "auth"]
        ).count()
    )


def test_moderators_cannot_delete_a_response(client):
    client.force_login(staff_user(MODERATORS))
    submission = SubmissionFactory()

    page = client.get(reverse("admin:submissions_submission_delete", args=[submission.pk]))
    bulk = client.post(
        reverse("admin:submissions_submission_changelist"),
        {"action": "delete_selected", "_selected_action": [submission.pk], "post": "yes"},
    )

    assert page.status_code == 403
    assert bulk.status_code in (200, 302)
    assert Submission.objects.filter(pk=submission.pk).exists()


def test_moderators_see_no_delete_action(client):
    client.force_login(staff_user(MODERATORS))
    SubmissionFactory()

    response = client.get(reverse("admin:submissions_submission_changelist"))

    assert "delete_selected" not in response.content.decode()
    assert "approve_selected" in response.content.decode()


def test_content_editors_cannot_see_responses_in_the_console_index(client):
    client.force_login(staff_user(EDITORS))

    html = client.get(reverse("admin:index")).content.decode()

    assert "/admin/submissions/submission/" not in html
    assert "/admin/pages/post/" in html


def test_a_safeguarding_lead_can_open_a_flagged_response_but_not_an_unflagged_one(client):
    client.force_login(staff_user(LEADS))
    flagged = SubmissionFactory(safeguarding_flag=True)
    unflagged = SubmissionFactory()

    assert client.get(reverse("admin:submissions_safeguardingqueue_review", args=[flagged.pk])).status_code == 200
    # A response outside the queue is not there for them at all.
    missing = client.get(reverse("admin:submissions_safeguardingqueue_review", args=[unflagged.pk]))
    assert missing.status_code == 404
    assert client.get(reverse("admin:submissions_submission_moderate", args=[unflagged.pk])).status_code == 403


# Attachment downloads ---------------------------------------------------------------------------------------


@pytest.fixture
def stored_attachment(settings):
    attachment = AttachmentFactory(original_name="evidence report.pdf", stored_name="attachments/abc123.pdf")
    private_storage().save("attachments/abc123.pdf", ContentFile(b"%PDF-1.4 a respondent's file"))
    return attachment


def download_url(attachment):
    return reverse("submissions:attachment_download", args=[attachment.pk])


@pytest.mark.parametrize("role", [MODERATORS, LEADS, ADMINISTRATORS])
def test_roles_that_read_responses_download_attachments_as_a_download(client, stored_attachment, role):
    Submission.objects.filter(pk=stored_attachment.submission_id).update(safeguarding_flag=role == LEADS)
    client.force_login(staff_user(role))

    response = client.get(download_url(stored_attachment))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 a respondent's file"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "evidence report.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/octet-stream"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_a_safeguarding_lead_cannot_download_files_of_responses_that_are_not_flagged(client, stored_attachment):
    client.force_login(staff_user(LEADS))
    assert client.get(download_url(stored_attachment)).status_code == 403

    Submission.objects.filter(pk=stored_attachment.submission_id).update(safeguarding_flag=True)

    assert client.get(download_url(stored_attachment)).status_code == 200


def test_content_editors_are_refused_attachments(client, stored_attachment):
    client.force_login(staff_user(EDITORS))

    assert client.get(download_url(stored_attachment)).status_code == 403


def test_the_public_is_sent_to_sign_in_for_an_attachment(client, stored_attachment):
    response = client.get(download_url(stored_attachment))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_signed_in_member_of_the_public_cannot_download_an_attachment(client, stored_attachment, django_user_model):
    user = django_user_model.objects.create_user(username="someone", password="a-long-test-password")
    client.force_login(user)

    response = client.get(download_url(stored_attachment))

    assert response.status_code == 302
    assert b"respondent" not in response.content


def test_the_moderation_screen_links_attachments_to_the_checked_download(client, stored_attachment):
    client.force_login(staff_user(MODERATORS))

    html = client.get(
        reverse("admin:submissions_submission_moderate", args=[stored_attachment.submission.pk])
    ).content.decode()

    assert download_url(stored_attachment) in html
    assert "evidence report.pdf" in html
