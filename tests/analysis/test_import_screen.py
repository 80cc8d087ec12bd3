"""Importing offline responses from the staff console: for staff who may add responses, size-capped, NUL-safe, and
every problem listed with nothing stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from analysis import forms
from submissions.models import Submission
from tests.factories import QuestionFactory
from tests.submissions.staff import staff_user

from .factories import analyst, closed_ideas_call

pytestmark = pytest.mark.django_db

URL = "/admin/analysis/theme/import/"


@pytest.fixture
def call():
    call = closed_ideas_call()
    QuestionFactory(call=call, prompt="What should change?")
    return call


@pytest.fixture
def admin_client(client):
    client.force_login(staff_user("Administrators", username="boss"))
    return client


def upload(text, name="letters.csv"):
    return SimpleUploadedFile(name, text if isinstance(text, bytes) else text.encode(), content_type="text/csv")


HEAD = "Call,Respondent type,Publication choice,What should change?\r\n"


def test_an_administrator_imports_a_file_and_it_waits_for_moderation(admin_client, call):
    data = {"call": call.pk, "channel": "post", "file": upload(HEAD + ",Foster or kinship carer,,More respite.\r\n")}

    response = admin_client.post(URL, data, follow=True)

    assert "Imported 1 responses (1 answers, 0 ideas) to Call for Ideas" in response.content.decode()
    submission = Submission.objects.get()
    assert (submission.channel, submission.status) == ("post", "pending")


def test_a_bad_file_lists_every_problem_and_stores_nothing(admin_client, call):
    text = HEAD + ",Wizard,,x\r\n,Carer,Maybe,y\r\n"

    response = admin_client.post(URL, {"call": call.pk, "channel": "email", "file": upload(text)})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was imported" in html
    assert "Row 2, column B (“Respondent type”)" in html and "Row 3, column C (“Publication choice”)" in html
    assert not Submission.objects.exists()


def test_nul_bytes_in_the_file_or_its_name_are_refused_cleanly(admin_client, call):
    text = (HEAD + ",Foster or kinship carer,,More\x00respite.\r\n").encode()

    response = admin_client.post(URL, {"call": call.pk, "channel": "post", "file": upload(text, "a\x00b.csv")})

    assert response.status_code == 400
    assert "contains a NUL byte" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_file_over_the_limit_is_refused_before_it_is_read(admin_client, call, monkeypatch):
    monkeypatch.setattr(forms, "IMPORT_MAX_BYTES", 100)

    response = admin_client.post(URL, {"call": call.pk, "channel": "post", "file": upload(HEAD + "x" * 200)})

    assert response.status_code == 400
    assert "the most this page takes is" in response.content.decode()


def test_analysts_and_moderators_may_not_import(client, call):
    client.force_login(analyst())
    assert client.get(URL).status_code == 403
    client.force_login(staff_user("Moderators", username="mod"))
    assert client.get(URL).status_code == 403
