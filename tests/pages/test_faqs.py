import datetime
import re

import pytest
import time_machine

from tests.factories import ClosureNoticeFactory, FAQFactory

pytestmark = pytest.mark.django_db


def test_faqs_are_numbered_in_the_order_staff_chose(client):
    FAQFactory(question="Asked second?", slug="second", position=20)
    FAQFactory(question="Asked first?", slug="first", position=10)
    FAQFactory(question="Asked third?", slug="third", position=30)
    html = client.get("/faqs/").content.decode()
    assert '<h2 class="govuk-heading-m" id="first">1. Asked first?</h2>' in html
    assert '<h2 class="govuk-heading-m" id="second">2. Asked second?</h2>' in html
    assert '<h2 class="govuk-heading-m" id="third">3. Asked third?</h2>' in html


def test_faq_list_at_the_top_links_to_each_answer_by_its_stable_anchor(client):
    FAQFactory(question="Who led the review?", slug="who-led-the-review", position=1)
    FAQFactory(question="When did it end?", slug="when-did-it-end", position=2)
    html = client.get("/faqs/").content.decode()
    contents = html[html.index('id="faq-contents-title"') : html.index("</nav>", html.index("faq-contents-title"))]
    links = re.findall(r'href="#([^"]+)">([^<]+)</a>', contents)
    assert links == [("who-led-the-review", "Who led the review?"), ("when-did-it-end", "When did it end?")]
    for anchor, _ in links:
        assert f'id="{anchor}"' in html


def test_faq_anchor_is_the_answers_address(client):
    faq = FAQFactory(slug="why-a-board")
    assert faq.get_absolute_url() == "/faqs/#why-a-board"


def test_faq_answers_are_markdown_rendered_safely(client):
    FAQFactory(answer="Read **the report**.\n\n<script>alert(1)</script>[x](javascript:alert(1))")
    html = client.get("/faqs/").content.decode()
    assert "<strong>the report</strong>" in html
    assert "alert(1)</script>" not in html
    assert "javascript:" not in html


def test_faqs_page_says_when_the_answers_were_last_updated(client):
    with time_machine.travel(datetime.datetime(2021, 3, 1, 10, 0, tzinfo=datetime.UTC), tick=False):
        FAQFactory()
    with time_machine.travel(datetime.datetime(2021, 9, 14, 10, 0, tzinfo=datetime.UTC), tick=False):
        FAQFactory()
    html = client.get("/faqs/").content.decode()
    assert "Last updated <time" in html
    assert "14 September 2021" in html
    assert "1 March 2021" not in html


def test_faqs_page_has_breadcrumbs_title_and_the_closure_banner(client):
    ClosureNoticeFactory()
    FAQFactory()
    response = client.get("/faqs/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Frequently asked questions – Independent Review of Children&#x27;s Social Care</title>" in html
    assert 'class="govuk-breadcrumbs"' in html
    assert "This website will be closed down by" in html


def test_faqs_page_without_questions_still_works(client):
    response = client.get("/faqs/")
    assert response.status_code == 200
    assert "There are no questions here yet." in response.content.decode()
