"""Content history (django-simple-history): who changed a page, FAQ, post, call, question or closure notice, and when,
shown in the admin, and an earlier version restored from there."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import Call, Question
from core.models import ClosureNotice
from pages.models import FAQ, Page, Post
from tests.factories import (
    CallFactory,
    ClosureNoticeFactory,
    FAQFactory,
    PageFactory,
    PostFactory,
    QuestionFactory,
)
from tests.submissions.staff import staff_user

pytestmark = pytest.mark.django_db

OLD_ANSWER = "Responses close at midnight on 12 March."
NEW_ANSWER = "Responses close at 5pm on 12 March."


@pytest.fixture
def editor(client):
    user = staff_user(superuser=True, username="editor")
    client.force_login(user)
    return user


def faq_form(faq, **changes):
    return {"question": faq.question, "slug": faq.slug, "answer": faq.answer, "position": faq.position, **changes}


def test_an_edit_in_the_admin_is_recorded_with_who_made_it_and_when(client, editor):
    faq = FAQFactory(answer=OLD_ANSWER)
    edited_at = timezone.now()
    response = client.post(reverse("admin:pages_faq_change", args=[faq.pk]), faq_form(faq, answer=NEW_ANSWER))
    assert response.status_code == 302, response.content.decode()[:2000]

    latest, first = faq.history.all()[:2]
    assert (first.history_type, first.answer, first.history_user) == ("+", OLD_ANSWER, None)
    assert (latest.history_type, latest.answer, latest.history_user) == ("~", NEW_ANSWER, editor)
    assert latest.history_date >= edited_at
    [change] = latest.diff_against(first).changes
    assert (change.field, change.old, change.new) == ("answer", OLD_ANSWER, NEW_ANSWER)

    page = client.get(reverse("admin:pages_faq_history", args=[faq.pk])).content.decode()
    assert "editor" in page and "Changed" in page


def test_reverting_in_the_admin_restores_the_earlier_text(client, editor):
    faq = FAQFactory(answer=OLD_ANSWER)
    client.post(reverse("admin:pages_faq_change", args=[faq.pk]), faq_form(faq, answer=NEW_ANSWER))
    earlier = faq.history.earliest()

    revert_url = reverse("admin:pages_faq_simple_history", args=[faq.pk, earlier.history_id])
    form_page = client.get(revert_url).content.decode()
    assert re.search(rf"<textarea[^>]*name=\"answer\"[^>]*>\s*{re.escape(OLD_ANSWER)}</textarea>", form_page)
    faq.refresh_from_db()
    response = client.post(revert_url, faq_form(faq, answer=OLD_ANSWER))
    assert response.status_code == 302

    faq.refresh_from_db()
    assert faq.answer == OLD_ANSWER
    reverted = faq.history.latest()
    assert (reverted.answer, reverted.history_user) == (OLD_ANSWER, editor)
    assert faq.history.count() == 3, "the revert is itself a change in the history"


def _change(instance, field, value):
    setattr(instance, field, value)
    instance.save()


@pytest.mark.parametrize(
    ("make", "field", "value"),
    [
        (lambda: PageFactory(), "body", "A new body."),
        (lambda: FAQFactory(), "answer", "A new answer."),
        (lambda: PostFactory(), "body", "A new post body."),
        (lambda: CallFactory(), "summary", "A new summary."),
        (lambda: QuestionFactory(), "prompt", "A new question?"),
        (lambda: ClosureNoticeFactory(closes_at=timezone.now() + datetime.timedelta(days=30)), "message", "New."),
    ],
    ids=["page", "faq", "post", "call", "question", "closure-notice"],
)
def test_each_kind_of_content_keeps_its_history(make, field, value):
    instance = make()
    old = getattr(instance, field)
    _change(instance, field, value)
    assert [getattr(version, field) for version in instance.history.order_by("history_date", "history_id")] == [
        old,
        value,
    ]
    instance.history.earliest().instance.save()  # what the admin's revert does
    instance.refresh_from_db()
    assert getattr(instance, field) == old


@pytest.mark.parametrize("model", [Page, FAQ, Post, Call, ClosureNotice, Question])
def test_each_history_page_opens_in_the_admin(client, editor, model):
    factory = {
        Page: PageFactory,
        FAQ: FAQFactory,
        Post: PostFactory,
        Call: CallFactory,
        ClosureNotice: ClosureNoticeFactory,
        Question: QuestionFactory,
    }[model]
    instance = factory()
    meta = model._meta
    response = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[instance.pk]))
    assert response.status_code == 200


def test_a_calls_questions_link_to_their_own_history(client, editor):
    question = QuestionFactory()
    page = client.get(reverse("admin:consultations_call_change", args=[question.call.pk])).content.decode()
    assert reverse("admin:consultations_question_history", args=[question.pk]) in page
