"""Times read the GOV.UK way and in UK time, whatever the season."""

import datetime

import pytest
import time_machine
from django.template import Context, Template

from consultations.templatetags.calls_tags import uk_date, uk_datetime
from tests.factories import CallFactory

UTC = datetime.UTC


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime.datetime(2021, 12, 15, 17, 0, tzinfo=UTC), "5pm on 15 December 2021"),
        (datetime.datetime(2021, 11, 4, 9, 30, tzinfo=UTC), "9:30am on 4 November 2021"),
        (datetime.datetime(2021, 11, 4, 9, 5, tzinfo=UTC), "9:05am on 4 November 2021"),
        (datetime.datetime(2021, 12, 15, 12, 0, tzinfo=UTC), "midday on 15 December 2021"),
        (datetime.datetime(2021, 12, 15, 0, 0, tzinfo=UTC), "midnight on 15 December 2021"),
        (datetime.datetime(2021, 12, 15, 0, 30, tzinfo=UTC), "12:30am on 15 December 2021"),
        (datetime.datetime(2021, 12, 15, 12, 45, tzinfo=UTC), "12:45pm on 15 December 2021"),
    ],
)
def test_uk_datetime_uses_am_pm_midday_and_midnight(moment, expected):
    assert uk_datetime(moment) == expected


def test_uk_datetime_shows_british_summer_time_in_summer():
    # 16:00 UTC on 13 August 2021 is 5pm in London (BST, UTC+1).
    assert uk_datetime(datetime.datetime(2021, 8, 13, 16, 0, tzinfo=UTC)) == "5pm on 13 August 2021"
    # 23:00 UTC on 30 June is already midnight on 1 July in London.
    assert uk_datetime(datetime.datetime(2021, 6, 30, 23, 0, tzinfo=UTC)) == "midnight on 1 July 2021"


def test_uk_date_is_the_london_date_without_a_leading_zero():
    assert uk_date(datetime.datetime(2021, 11, 4, 9, 0, tzinfo=UTC)) == "4 November 2021"
    assert uk_date(datetime.datetime(2021, 6, 30, 23, 30, tzinfo=UTC)) == "1 July 2021"
    assert uk_date(datetime.date(2021, 12, 15)) == "15 December 2021"


def test_empty_values_render_as_nothing():
    assert uk_datetime(None) == ""
    assert uk_date(None) == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "label", "colour"),
    [
        (datetime.datetime(2021, 11, 1, tzinfo=UTC), "Upcoming", "govuk-tag--blue"),
        (datetime.datetime(2021, 11, 20, tzinfo=UTC), "Open", "govuk-tag--green"),
        (datetime.datetime(2022, 1, 1, tzinfo=UTC), "Closed", "govuk-tag--grey"),
    ],
)
def test_status_tag_names_the_status_in_its_colour(moment, label, colour):
    call = CallFactory(
        opens_at=datetime.datetime(2021, 11, 4, 9, tzinfo=UTC),
        closes_at=datetime.datetime(2021, 12, 15, 17, tzinfo=UTC),
    )
    template = Template("{% load calls_tags %}{% call_status_tag call %}")
    with time_machine.travel(moment, tick=False):
        html = template.render(Context({"call": call}))
    assert f'class="govuk-tag {colour}">{label}</strong>' in html
