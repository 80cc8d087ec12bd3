"""Staff sign-in is protected: five wrong passwords lock that username out from that address for an hour."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from .staff import staff_user

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
PASSWORD = "a-long-test-password"


def sign_in(client, username, password, address="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_account_out_even_with_the_right_one(client):
    staff_user("Moderators", username="mod")
    for _ in range(4):
        assert sign_in(client, "mod", "wrong-password").status_code == 200

    locked = sign_in(client, "mod", "wrong-password")
    after = sign_in(client, "mod", PASSWORD)

    assert locked.status_code == 429
    assert after.status_code == 429
    assert "You cannot sign in at the moment" in after.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_is_in_the_sites_style(client):
    staff_user("Moderators", username="mod")
    for _ in range(5):
        response = sign_in(client, "mod", "wrong-password")

    html = response.content.decode()
    assert "govuk-template" in html
    assert "<title>You cannot sign in at the moment – " in html


def test_the_lockout_is_for_that_username_from_that_address_only(client):
    staff_user("Moderators", username="mod")
    staff_user("Content editors", username="editor")
    for _ in range(5):
        sign_in(client, "mod", "wrong-password")

    other_user = sign_in(client, "editor", PASSWORD)
    other_address = sign_in(client, "mod", PASSWORD, address="198.51.100.9")

    assert other_user.status_code == 302
    assert other_address.status_code == 302


def test_the_lockout_ends_after_an_hour(client):
    staff_user("Moderators", username="mod")
    for _ in range(5):
        sign_in(client, "mod", "wrong-password")

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61)):
        response = sign_in(client, "mod", PASSWORD)

    assert response.status_code == 302


def test_a_right_password_before_the_limit_signs_in(client):
    staff_user("Moderators", username="mod")
    for _ in range(4):
        sign_in(client, "mod", "wrong-password")

    assert sign_in(client, "mod", PASSWORD).status_code == 302


@pytest.mark.cache_time_travel
def test_an_idle_staff_session_expires_after_the_idle_time(client, settings):
    settings.STAFF_SESSION_IDLE_SECONDS = 30 * 60
    client.force_login(staff_user("Moderators", username="mod"))

    client.get(reverse("admin:index"))

    assert client.session.get_expiry_age() == 30 * 60
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31)):
        response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_a_staff_member_working_is_not_signed_out(client, settings):
    settings.STAFF_SESSION_IDLE_SECONDS = 30 * 60
    client.force_login(staff_user("Moderators", username="mod"))
    start = timezone.now()

    for minutes in (20, 40, 60):
        with time_machine.travel(start + datetime.timedelta(minutes=minutes)):
            assert client.get(reverse("admin:index")).status_code == 200
