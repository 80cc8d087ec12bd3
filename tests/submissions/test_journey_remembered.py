"""With the page cache on, each worker remembers a call and its first-visit forms per content version: everyone
answering gets the same empty fields rendered once, nobody ever sees another respondent's answers, and what is
posted is checked against the database."""

import datetime
import re

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client, RequestFactory
from django.utils import timezone

from consultations.models import Call
from core.templatetags import core_tags

from .journey_helpers import ABOUT, _fresh_rate_limit, make_advice_call, url  # noqa: F401 - autouse fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


@pytest.fixture
def shared_renders(monkeypatch):
    rendered = []
    render_shared = core_tags.RememberedNode.render_shared

    def counting(node, context):
        rendered.append(1)
        return render_shared(node, context)

    monkeypatch.setattr(core_tags.RememberedNode, "render_shared", counting)
    return rendered


def without_token(response):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_everyone_on_a_first_visit_gets_the_same_fields_rendered_once(shared_renders):
    call = make_advice_call()
    first, second = Client().get(url(call, "respond_about")), Client().get(url(call, "respond_about"))
    assert first.status_code == second.status_code == 200
    assert without_token(first) == without_token(second)
    assert 'name="respondent_type"' in without_token(first)
    assert len(shared_renders) == 1


def test_a_respondent_coming_back_sees_their_own_answers_and_no_one_else_does(shared_renders):
    call = make_advice_call()
    sam = Client()
    sam.post(url(call, "respond_about"), ABOUT)
    assert "Sam Example" in sam.get(url(call, "respond_about")).content.decode()
    assert "Sam Example" not in Client().get(url(call, "respond_about")).content.decode()


def test_an_edit_to_a_question_shows_at_once_on_a_first_visit():
    call = make_advice_call()
    assert Client().post(url(call, "respond_about"), ABOUT).status_code == 302
    question = call.questions.get(position=1)
    respondent = Client()
    respondent.post(url(call, "respond_about"), ABOUT)
    assert "What is your first name?" in respondent.get(url(call, "respond_answers")).content.decode()
    question.prompt = "What should we call you?"
    question.save()
    assert "What should we call you?" in respondent.get(url(call, "respond_answers")).content.decode()


def test_answers_are_checked_against_the_call_in_the_database_not_a_remembered_one():
    call = make_advice_call()
    respondent = Client()
    assert respondent.get(url(call, "respond_about")).status_code == 200  # the open call is remembered
    # Closed without a signal (a bulk update, a command): no worker hears of it.
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    assert respondent.post(url(call, "respond_about"), ABOUT).status_code == 410


def test_a_remembered_fragment_refuses_to_hold_a_csrf_token():
    template = Template("{% load core_tags %}{% remembered 'form' %}<form>{% csrf_token %}</form>{% endremembered %}")
    request = RequestFactory().get("/")
    with pytest.raises(TemplateSyntaxError):
        template.render(Context({"request": request, "csrf_token": "token"}))
