"""One date and time style on every public page, GOV.UK's: "5pm on 15 December 2021", "2:52pm", "15 December 2021"."""

import datetime
import re
from pathlib import Path

import pytest
import time_machine

from tests.factories import CallFactory, ClosureNoticeFactory, FAQFactory, PostFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# The public templates this rule covers (staff emails and the admin have their own styles).
PUBLIC = ["base.html", "includes", "pages", "consultations", "submissions"]
UTC = datetime.UTC
# Django's own styles, which must not show: "2:52 a.m.", "02:52", "Feb. 2, 2023", "2023-02-02".
OTHER_STYLES = re.compile(r"\b\d{1,2}:\d\d ?[ap]\.m\.|\b\d\d:\d\d\b|\b[A-Z][a-z]{2}\. \d|>\d{4}-\d\d-\d\d<")


def public_templates():
    for entry in PUBLIC:
        path = TEMPLATES / entry
        yield from ([path] if path.is_file() else sorted(p for p in path.rglob("*.html") if "email" not in p.parts))


def test_public_templates_format_dates_with_the_uk_filters_only():
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match}"
        for path in public_templates()
        for match in re.findall(r"\|\s*(?:date|time)\b[^}]*", path.read_text())
    ]
    assert not offenders, offenders


def test_posts_calls_faqs_and_the_closure_banner_share_one_style(client):
    moment = datetime.datetime(2023, 2, 2, 14, 52, tzinfo=UTC)
    with time_machine.travel(moment + datetime.timedelta(days=1), tick=False):
        post = PostFactory(title="Out now", published_at=moment)
        FAQFactory()
        call = CallFactory(opens_at=moment, closes_at=moment + datetime.timedelta(days=30, hours=2, minutes=8))
        ClosureNoticeFactory(closes_at=datetime.datetime(2023, 3, 10, 17, tzinfo=UTC))
        pages = {url: client.get(url).content.decode() for url in ["/", "/news/", post.get_absolute_url(), "/faqs/"]}
        pages["call"] = client.get(call.get_absolute_url()).content.decode()

    assert "2 February 2023" in pages[post.get_absolute_url()]
    assert "Closes at 5pm on 4 March 2023" in pages["call"]
    assert "Opened on 2 February 2023" in pages["call"]
    for html in pages.values():
        assert "closed down by 10 March 2023" in html
        text = re.sub(r"<[^>]+>", " ", html)
        assert not OTHER_STYLES.search(text), OTHER_STYLES.search(text)
