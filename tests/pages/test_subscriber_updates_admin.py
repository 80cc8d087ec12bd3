"""The staff screens for updates to subscribers: write, preview, test to yourself, send once, watch the counts."""

import datetime

import pytest
import time_machine
from django.core import mail

from outbox.worker import Worker
from pages.models import Post, SubscriberUpdate, UpdateTestEmail
from tests.factories import SubscriberFactory
from tests.submissions.staff import staff_user

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2022, 5, 23, 9, 0, tzinfo=datetime.UTC)
ADMIN = "/admin/pages/subscriberupdate/"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def editor(client):
    client.force_login(staff_user("Content editors", email="editor@review.example.org"))
    return client


def make_update():
    return SubscriberUpdate.objects.create(subject="The final report is out", body="Read it **today**.")


def test_an_editor_writes_a_draft_and_previews_it_as_subscribers_will_get_it(editor):
    SubscriberFactory.create_batch(3, confirmed=True)
    SubscriberFactory()  # not confirmed: not counted
    response = editor.post(f"{ADMIN}add/", {"subject": "The final report is out", "body": "Read it **today**."})
    assert response.status_code == 302
    update = SubscriberUpdate.objects.get()
    assert update.is_draft() and update.created_by.username == "content-editors"

    page = editor.get(f"{ADMIN}{update.pk}/preview/").content.decode()

    assert "<strong>today</strong>" in page  # the HTML, and the plain text:
    assert "Read it today." in page.split("<pre")[1] and "You get this email because you signed up" in page
    assert "Send to 3 subscribers" in page and "Send a test to me (editor@review.example.org)" in page


def test_a_test_goes_to_the_editor_only_through_the_outbox_marked_as_a_test(editor):
    SubscriberFactory.create_batch(2, confirmed=True)
    update = make_update()

    response = editor.post(f"{ADMIN}{update.pk}/test/")

    assert response.status_code == 302 and mail.outbox == []
    assert Worker().drain() == 1
    (message,) = mail.outbox
    assert message.to == ["editor@review.example.org"] and message.subject == "[Test] The final report is out"
    assert "List-Unsubscribe" not in message.extra_headers
    update.refresh_from_db()
    assert update.is_draft() and UpdateTestEmail.objects.get().to == "editor@review.example.org"


def test_a_test_needs_an_address_on_the_editors_account(client):
    client.force_login(staff_user("Content editors"))
    update = make_update()
    response = client.post(f"{ADMIN}{update.pk}/test/", follow=True)
    assert "Add an email address to your account first" in response.content.decode()
    assert not UpdateTestEmail.objects.exists()


def test_sending_asks_first_then_sends_once_and_the_update_can_no_longer_change(editor):
    SubscriberFactory.create_batch(2, confirmed=True)
    update = make_update()

    confirm = editor.get(f"{ADMIN}{update.pk}/send/").content.decode()
    assert "to 2 confirmed subscribers?" in confirm
    editor.post(f"{ADMIN}{update.pk}/send/", {"publish_post": "on"})
    again = editor.post(f"{ADMIN}{update.pk}/send/", follow=True).content.decode()
    Worker().drain()

    assert "already been sent" in again
    assert len(mail.outbox) == 2
    assert Post.objects.get().title == "The final report is out"
    change = editor.get(f"{ADMIN}{update.pk}/change/").content.decode()
    assert 'name="subject"' not in change and 'name="body"' not in change
    assert editor.post(f"{ADMIN}{update.pk}/delete/", {"post": "yes"}).status_code == 403
    assert editor.post(f"{ADMIN}{update.pk}/change/", {"subject": "Changed", "body": "x"}).status_code == 403
    assert editor.post(f"{ADMIN}{update.pk}/test/").status_code == 403
    assert "Send a test to me" not in editor.get(f"{ADMIN}{update.pk}/preview/").content.decode()


def test_the_update_page_shows_how_many_were_queued_sent_and_are_waiting(editor, settings):
    settings.UPDATES_SEND_PER_MINUTE = 2
    SubscriberFactory.create_batch(5, confirmed=True)
    update = make_update()
    editor.post(f"{ADMIN}{update.pk}/send/")
    Worker().drain()

    page = editor.get(f"{ADMIN}{update.pk}/change/").content.decode()

    for label, value in [("Queued", "5"), ("Sent", "2"), ("Waiting", "3"), ("Failed", "0")]:
        assert f'<th scope="row">{label}</th><td>{value}</td>' in page, label
    assert "at most 2 a minute; the last is due at 10:02am on 23 May 2022" in page  # London time, BST


def test_only_staff_allowed_to_send_can_send(client):
    SubscriberFactory(confirmed=True)
    update = make_update()
    client.force_login(staff_user("Moderators"))

    assert client.get(f"{ADMIN}{update.pk}/send/").status_code == 403
    assert client.post(f"{ADMIN}{update.pk}/send/").status_code == 403
    Worker().drain()
    assert mail.outbox == []
    update.refresh_from_db()
    assert update.is_draft()


def test_administrators_can_send_too(client):
    SubscriberFactory(confirmed=True)
    update = make_update()
    client.force_login(staff_user("Administrators"))
    assert client.post(f"{ADMIN}{update.pk}/send/").status_code == 302
    Worker().drain()
    assert len(mail.outbox) == 1
