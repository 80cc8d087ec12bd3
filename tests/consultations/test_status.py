"""A call's status comes from the clock alone, and the QuerySet methods agree with the predicates."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError
from django.utils import timezone

from consultations.models import Call
from tests.factories import CallFactory, QuestionFactory

pytestmark = pytest.mark.django_db

OPENS_AT = datetime.datetime(2021, 11, 4, 9, 0, tzinfo=datetime.UTC)
CLOSES_AT = datetime.datetime(2021, 12, 15, 17, 0, tzinfo=datetime.UTC)
SECOND = datetime.timedelta(seconds=1)


def test_default_factory_call_is_open_with_a_required_long_question():
    question = QuestionFactory()
    assert question.call.is_open()
    assert question.required
    assert question.answer_type == "long_text"
    assert question.call.kind == Call.Kind.ADVICE


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (OPENS_AT - SECOND, Call.Status.UPCOMING),
        (OPENS_AT, Call.Status.OPEN),
        (OPENS_AT + SECOND, Call.Status.OPEN),
        (CLOSES_AT - SECOND, Call.Status.OPEN),
        (CLOSES_AT, Call.Status.CLOSED),
        (CLOSES_AT + SECOND, Call.Status.CLOSED),
    ],
    ids=["second-before-opening", "at-opening", "second-after-opening", "second-before-closing", "at-closing",
         "second-after-closing"],
)  # fmt: skip
def test_call_opens_exactly_at_opens_at_and_closes_exactly_at_closes_at(moment, expected):
    call = CallFactory(opens_at=OPENS_AT, closes_at=CLOSES_AT)
    with time_machine.travel(moment, tick=False):
        assert call.status() == expected
        assert call.is_upcoming() is (expected == Call.Status.UPCOMING)
        assert call.is_open() is (expected == Call.Status.OPEN)
        assert call.is_closed() is (expected == Call.Status.CLOSED)
        # The QuerySet methods give the same answer as the predicates, at the same instant.
        assert list(Call.objects.upcoming()) == ([call] if expected == Call.Status.UPCOMING else [])
        assert list(Call.objects.open()) == ([call] if expected == Call.Status.OPEN else [])
        assert list(Call.objects.closed()) == ([call] if expected == Call.Status.CLOSED else [])


def test_every_call_is_in_exactly_one_of_upcoming_open_and_closed():
    now = timezone.now()
    day = datetime.timedelta(days=1)
    calls = [
        CallFactory(opens_at=now + day, closes_at=now + 2 * day),
        CallFactory(opens_at=now, closes_at=now + day),
        CallFactory(opens_at=now - day, closes_at=now + day),
        CallFactory(opens_at=now - 2 * day, closes_at=now),
        CallFactory(opens_at=now - 2 * day, closes_at=now - day),
    ]
    for call in calls:
        memberships = [
            call in Call.objects.upcoming(now),
            call in Call.objects.open(now),
            call in Call.objects.closed(now),
        ]
        assert memberships == [call.is_upcoming(now), call.is_open(now), call.is_closed(now)]
        assert memberships.count(True) == 1


def test_database_refuses_a_call_that_closes_before_or_when_it_opens():
    with pytest.raises(IntegrityError):
        CallFactory(opens_at=OPENS_AT, closes_at=OPENS_AT)


def test_database_refuses_a_call_that_closes_before_it_opens():
    with pytest.raises(IntegrityError):
        CallFactory(opens_at=OPENS_AT, closes_at=OPENS_AT - SECOND)
