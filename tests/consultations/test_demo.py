"""The demo calls and the Story that dates them: the right shape, the right dates, and a second run changes nothing."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from consultations import demo
from consultations.demo import Story
from consultations.models import Call, Question

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
TODAY = datetime.date(2026, 3, 2)


def snapshot():
    """Every demo row, every field, so any change at all shows up."""
    calls = list(Call.objects.order_by("slug").values())
    questions = list(Question.objects.order_by("call__slug", "position").values())
    return calls, questions


def load(archived=False, output=None):
    demo.load(output or io.StringIO(), Story.on(timezone.localdate(), archived=archived))


def calls():
    return [Call.objects.get(slug=f"call-for-{kind}") for kind in ("advice", "evidence", "ideas")]


def test_the_default_story_is_ten_days_into_the_call_for_ideas_moved_to_today():
    story = Story.on(TODAY)

    assert story.day == datetime.date(2021, 11, 14)
    assert story.date(demo.IDEAS_OPENS) == TODAY - datetime.timedelta(days=10)
    assert story.has_happened(demo.CASE_FOR_CHANGE)
    assert not story.has_happened(demo.IDEAS_CLOSES)
    assert not story.has_happened(demo.FINAL_REPORT)


def test_the_archived_story_keeps_the_real_dates_and_everything_has_happened():
    story = Story.on(TODAY, archived=True)

    assert story.date(demo.IDEAS_OPENS) == datetime.date(2021, 11, 4)
    assert story.has_happened(demo.SITE_CLOSES)
    assert story.moment_text(demo.IDEAS_CLOSES, demo.FIVE_PM) == "5pm on 15 December 2021"


def test_demo_creates_the_three_calls_with_questions():
    load()

    calls_by_slug = {call.slug: call for call in Call.objects.all()}
    assert set(calls_by_slug) == {"call-for-advice", "call-for-evidence", "call-for-ideas"}
    assert calls_by_slug["call-for-advice"].kind == Call.Kind.ADVICE
    assert calls_by_slug["call-for-evidence"].accepts_attachments
    assert calls_by_slug["call-for-ideas"].idea_word_limit == 250
    assert calls_by_slug["call-for-ideas"].max_ideas == 10
    for call in calls_by_slug.values():
        assert call.questions.exists()
        call.full_clean()
        for question in call.questions.all():
            question.full_clean()


def test_by_default_advice_and_evidence_have_closed_and_ideas_is_open_today():
    load()
    now = timezone.now()

    advice, evidence, ideas = calls()
    assert advice.is_closed(now)
    assert evidence.is_closed(now)
    assert ideas.is_open(now)
    assert advice.outcome and evidence.outcome
    assert not ideas.outcome
    # In order, and no longer or shorter than the real calls.
    assert advice.closes_at < evidence.opens_at < evidence.closes_at < ideas.opens_at
    assert (ideas.closes_at - ideas.opens_at).days == 41
    assert timezone.localtime(ideas.opens_at).time() == datetime.time(9)
    assert timezone.localtime(ideas.closes_at).time() == datetime.time(17)


def test_archived_demo_uses_the_real_2021_dates():
    load(archived=True)

    advice, evidence, ideas = calls()
    assert advice.opens_at == datetime.datetime(2021, 1, 15, 9, tzinfo=LONDON)
    assert evidence.opens_at.date().month == 3
    assert ideas.opens_at == datetime.datetime(2021, 11, 4, 9, tzinfo=LONDON)
    assert ideas.closes_at == datetime.datetime(2021, 12, 15, 17, tzinfo=LONDON)
    assert all(call.is_closed() for call in (advice, evidence, ideas))
    assert ideas.outcome


def test_outcomes_date_what_they_mention_by_the_story():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 12, tzinfo=LONDON), tick=False):
        load()
    assert "published in October 2025" in Call.objects.get(slug="call-for-advice").outcome
    load(archived=True)
    assert "published in June 2021" in Call.objects.get(slug="call-for-advice").outcome


def test_a_second_run_on_the_same_day_changes_nothing():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 8, 0, tzinfo=LONDON), tick=False):
        load()
    before = snapshot()
    output = io.StringIO()
    with time_machine.travel(datetime.datetime(2026, 3, 2, 22, 0, tzinfo=LONDON), tick=False):
        load(output=output)

    assert snapshot() == before
    assert "updated" not in output.getvalue()
    assert output.getvalue().count("unchanged") == 3


def test_a_run_puts_back_what_staff_changed_in_a_demo_call():
    load()
    ideas = Call.objects.get(slug="call-for-ideas")
    ideas.questions.filter(position=1).update(prompt="Edited")
    Question.objects.create(call=ideas, position=99, prompt="An extra question")

    load()

    assert not ideas.questions.filter(prompt__in=["Edited", "An extra question"]).exists()
    assert ideas.questions.count() == len(demo.ideas(Story.on(TODAY))["questions"])


def test_summer_dates_keep_london_wall_clock_times():
    # Whatever the season the moved calls open at 9am and close at 5pm London time.
    with time_machine.travel(datetime.datetime(2026, 7, 1, 12, 0, tzinfo=LONDON), tick=False):
        dates = demo.demo_dates(Story.on(timezone.localdate()))
    for opens_at, closes_at in dates.values():
        assert opens_at.astimezone(LONDON).hour == 9
        assert closes_at.astimezone(LONDON).hour == 17
