"""Sign-ups cannot be used to mail strangers from the review's address: per-client limits on sign-ups and on the
emails they cause, each with a friendly 429 page; sign-ups nobody confirmed are forgotten once their link expires."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from outbox.models import EmailJob
from pages.models import Subscriber
from tests.factories import SubscriberFactory

pytestmark = pytest.mark.django_db


def sign_up(client, n):
    return client.post("/updates/", {"email": f"stranger{n}@example.org"})


def test_sign_ups_from_one_address_stop_at_the_limit_with_a_friendly_page(settings):
    settings.UPDATES_SIGNUP_RATE_LIMIT = "3/h"
    settings.UPDATES_EMAIL_RATE_LIMIT = "100/h"
    client = Client(REMOTE_ADDR="198.51.100.7")
    assert [sign_up(client, n).status_code for n in range(3)] == [302, 302, 302]

    refused = sign_up(client, 3)

    assert refused.status_code == 429
    assert "Too many sign-ups from your connection" in refused.content.decode()
    assert not Subscriber.objects.filter(email="stranger3@example.org").exists()
    # Another connection is not held up by this one.
    assert sign_up(Client(REMOTE_ADDR="203.0.113.9"), 4).status_code == 302


def test_emails_caused_by_one_address_stop_at_their_own_limit_and_nothing_is_stored(settings):
    settings.UPDATES_SIGNUP_RATE_LIMIT = "100/h"
    settings.UPDATES_EMAIL_RATE_LIMIT = "2/h"
    client = Client(REMOTE_ADDR="198.51.100.8")
    assert [sign_up(client, n).status_code for n in range(2)] == [302, 302]

    refused = sign_up(client, 2)

    assert refused.status_code == 429
    assert "No email has been sent." in refused.content.decode()
    assert EmailJob.objects.filter(kind="updates_sign_up").count() == 2
    assert Subscriber.objects.count() == 2


def test_fifteen_strangers_signed_up_in_a_burst_get_no_more_than_the_email_limit(settings):
    settings.UPDATES_EMAIL_RATE_LIMIT = "5/h"
    client = Client(REMOTE_ADDR="198.51.100.9")

    statuses = [sign_up(client, n).status_code for n in range(15)]

    assert statuses.count(302) == 5 and statuses.count(429) == 10
    assert EmailJob.objects.count() == 5


def test_unconfirmed_sign_ups_older_than_their_link_are_removed_by_the_scheduled_job(settings):
    settings.UPDATES_CONFIRM_MAX_AGE_HOURS = 72
    now = timezone.now()
    with time_machine.travel(now - datetime.timedelta(hours=73)):
        stale = SubscriberFactory(email="old@example.org", confirmed_at=None)
        kept = SubscriberFactory(email="confirmed@example.org", confirmed_at=timezone.now())
    with time_machine.travel(now - datetime.timedelta(hours=71)):
        fresh = SubscriberFactory(email="new@example.org", confirmed_at=None)

    with time_machine.travel(now):
        call_command("clear_unconfirmed_subscribers")

    assert set(Subscriber.objects.values_list("pk", flat=True)) == {kept.pk, fresh.pk}
    assert not Subscriber.objects.filter(pk=stale.pk).exists()
    assert "clear_unconfirmed_subscribers" in settings.SCHEDULED_JOBS
