"""The site says "service unavailable" (503) whenever the database has dropped, wherever in the request it shows."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from tests.factories import CallFactory

pytestmark = pytest.mark.django_db

UNAVAILABLE = "Sorry, the service is unavailable"


def browser():
    # As gunicorn serves it: the error handlers answer instead of the test raising the exception.
    return Client(raise_request_exception=False)


def test_the_database_dropping_while_the_session_loads_shows_the_503_page(monkeypatch):
    def dropped(self):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(SessionStore, "_get_session_from_db", dropped)
    client = browser()
    client.cookies["sessionid"] = "a" * 32
    response = client.get("/")
    assert response.status_code == 503
    assert UNAVAILABLE in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_an_answer_whose_session_cannot_be_saved_shows_the_503_page_not_bad_request(monkeypatch):
    call = CallFactory()
    client = browser()
    about = reverse("submissions:respond_about", kwargs={"slug": call.slug})
    assert client.get(about).status_code == 200

    def dropped(self, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Session, "save", dropped)
    response = client.post(about, {"respondent_type": "care_experienced_adult", "action": "continue"})
    assert response.status_code == 503
    assert UNAVAILABLE in response.content.decode()


def test_other_bad_requests_still_get_a_400():
    response = browser().get("/", HTTP_HOST="not-allowed.example")
    assert response.status_code == 400


def test_other_errors_still_get_the_500_page(monkeypatch):
    def broken(self):
        raise ValueError("a bug, not the database")

    monkeypatch.setattr(SessionStore, "_get_session_from_db", broken)
    client = browser()
    client.cookies["sessionid"] = "a" * 32
    response = client.get("/")
    assert response.status_code == 500
    assert UNAVAILABLE not in response.content.decode()
