import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.models import ClosureNotice
from pages.models import FAQ, Post
from tests.factories import ClosureNoticeFactory, FAQFactory, PageFactory, PostFactory

pytestmark = pytest.mark.django_db


def notice_form(**overrides):
    closes = timezone.localtime(timezone.now() + datetime.timedelta(days=60))
    data = {
        "message": "The review is over.",
        "closes_at_0": closes.strftime("%d/%m/%Y"),
        "closes_at_1": closes.strftime("%H:%M:%S"),
        "archive_url": "https://webarchive.example.org/review/",
        "is_active": "on",
    }
    return {**data, **overrides}


def test_database_refuses_a_second_active_closure_notice():
    ClosureNoticeFactory(is_active=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ClosureNoticeFactory(is_active=True)
    ClosureNoticeFactory(is_active=False)
    assert ClosureNotice.objects.active().count() == 1


def test_admin_explains_why_a_second_active_closure_notice_cannot_be_saved(admin_client):
    ClosureNoticeFactory(is_active=True)
    response = admin_client.post(reverse("admin:core_closurenotice_add"), notice_form())
    assert response.status_code == 200
    assert "Another closure notice is already active. Make it inactive first." in response.content.decode()
    assert ClosureNotice.objects.count() == 1


def test_admin_saves_the_first_active_closure_notice(admin_client):
    response = admin_client.post(reverse("admin:core_closurenotice_add"), notice_form())
    assert response.status_code == 302
    assert ClosureNotice.objects.active().count() == 1


def test_staff_reorder_faqs_from_the_list(admin_client):
    first = FAQFactory(question="Was first?", position=1)
    second = FAQFactory(question="Was second?", position=2)
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-id": str(first.pk),
        "form-0-position": "20",
        "form-1-id": str(second.pk),
        "form-1-position": "10",
        "_save": "Save",
    }
    response = admin_client.post(reverse("admin:pages_faq_changelist"), data)
    assert response.status_code == 302
    assert [faq.question for faq in FAQ.objects.all()] == ["Was second?", "Was first?"]
    html = admin_client.get("/faqs/").content.decode()
    assert html.index("1. Was second?") < html.index("2. Was first?")


def test_post_admin_lists_with_filters_search_and_a_view_or_preview_link(admin_client):
    live = PostFactory(title="Live post")
    draft = PostFactory(title="Draft post", status=Post.Status.DRAFT, published_at=None)
    url = reverse("admin:pages_post_changelist")
    html = admin_client.get(url).content.decode()
    assert f'<a href="{live.get_absolute_url()}">View on site</a>' in html
    assert f'<a href="{draft.get_absolute_url()}">Preview</a>' in html
    filtered = admin_client.get(url, {"status__exact": "draft"}).content.decode()
    assert "Draft post" in filtered and "Live post" not in filtered
    searched = admin_client.get(url, {"q": "Live"}).content.decode()
    assert "Live post" in searched and "Draft post" not in searched


def test_admin_cannot_publish_a_post_without_a_publication_date(admin_client):
    data = {
        "title": "No date",
        "slug": "no-date",
        "kind": "news",
        "summary": "Summary",
        "body": "Body",
        "status": "published",
        "published_at_0": "",
        "published_at_1": "",
    }
    response = admin_client.post(reverse("admin:pages_post_add"), data)
    assert response.status_code == 200
    assert "Enter a publication date to publish this post" in response.content.decode()
    assert not Post.objects.exists()


def test_page_admin_pages_load(admin_client):
    page = PageFactory()
    assert admin_client.get(reverse("admin:pages_page_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:pages_page_change", args=[page.pk])).status_code == 200
    assert admin_client.get(reverse("admin:pages_post_add")).status_code == 200
    assert admin_client.get(reverse("admin:pages_faq_add")).status_code == 200


def test_the_old_closure_notice_admin_address_leads_to_the_new_one(admin_client):
    response = admin_client.get("/admin/pages/closurenotice/add/")

    assert response.status_code == 301
    assert response["Location"] == reverse("admin:core_closurenotice_add")
