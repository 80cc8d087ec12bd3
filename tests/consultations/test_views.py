"""The Get involved page and a call's own page, as a visitor sees them."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core import cache as page_cache
from tests.factories import CallFactory, ClosureNoticeFactory, PageFactory, QuestionFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
OPENS_AT = datetime.datetime(2021, 11, 4, 9, 0, tzinfo=UTC)
CLOSES_AT = datetime.datetime(2021, 12, 15, 17, 0, tzinfo=UTC)
BEFORE = datetime.datetime(2021, 11, 1, 12, 0, tzinfo=UTC)
DURING = datetime.datetime(2021, 11, 20, 12, 0, tzinfo=UTC)
AFTER = datetime.datetime(2022, 1, 10, 12, 0, tzinfo=UTC)


def section(html, heading_id):
    """The HTML of one <section> of the Get involved page."""
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def ideas_call(**kwargs):
    return CallFactory(
        title="Call for Ideas",
        slug="call-for-ideas",
        kind="ideas",
        opens_at=OPENS_AT,
        closes_at=CLOSES_AT,
        **kwargs,
    )


# Get involved


def test_get_involved_lists_open_upcoming_and_closed_calls_in_their_own_sections(client):
    now = timezone.now()
    day = datetime.timedelta(days=1)
    CallFactory(title="Open one", opens_at=now - day, closes_at=now + 30 * day)
    CallFactory(title="Coming one", opens_at=now + 5 * day, closes_at=now + 40 * day)
    CallFactory(title="Finished one", opens_at=now - 60 * day, closes_at=now - 20 * day)

    html = client.get("/get-involved/").content.decode()

    assert "Open one" in section(html, "open-calls")
    assert "Coming one" in section(html, "upcoming-calls")
    assert "Finished one" in section(html, "closed-calls")
    assert "Open one" not in section(html, "closed-calls")
    assert "Finished one" not in section(html, "open-calls")


def test_get_involved_says_so_when_a_section_is_empty(client):
    html = client.get(reverse("pages:get_involved")).content.decode()

    assert "No calls are open at the moment." in html
    assert "No new calls are planned at the moment." in html
    assert "No calls have closed yet." in html


def test_get_involved_shows_each_call_with_its_tag_uk_dates_summary_and_link(client):
    ideas_call(summary="Share your ideas for change.")
    with time_machine.travel(DURING, tick=False):
        html = client.get("/get-involved/").content.decode()

    open_section = section(html, "open-calls")
    assert 'href="/calls/call-for-ideas/"' in open_section
    assert 'govuk-tag--green">Open</strong>' in open_section
    assert "Opened on 4 November 2021" in open_section
    assert "Closes at 5pm on 15 December 2021" in open_section
    assert "Share your ideas for change." in open_section


def test_get_involved_says_opens_at_for_upcoming_and_closed_at_for_closed_calls(client):
    ideas_call()
    with time_machine.travel(BEFORE, tick=False):
        upcoming = section(client.get("/get-involved/").content.decode(), "upcoming-calls")
    with time_machine.travel(AFTER, tick=False):
        closed = section(client.get("/get-involved/").content.decode(), "closed-calls")

    assert "Opens at 9am on 4 November 2021" in upcoming
    assert "Upcoming</strong>" in upcoming
    assert "Closed on 15 December 2021" in closed
    assert "Closed</strong>" in closed


def test_get_involved_uses_the_content_page_title_and_body_when_staff_wrote_one(client):
    PageFactory(slug="get-involved", title="Have your say", body="Here is **how** to take part.")

    response = client.get("/get-involved/")
    html = response.content.decode()

    assert "<title>Have your say – " in html
    assert '<h1 class="govuk-heading-xl">Have your say</h1>' in html
    assert "Here is <strong>how</strong> to take part." in html
    assert 'aria-current="page">Have your say</li>' in html


def test_get_involved_is_titled_get_involved_without_a_content_page(client):
    html = client.get("/get-involved/").content.decode()

    assert "<title>Get involved – " in html
    assert 'aria-current="page">Get involved</li>' in html


# A call's page


def test_call_page_offers_start_now_only_while_the_call_is_open(client):
    call = ideas_call()
    pages = {}
    for name, moment in [("before", BEFORE), ("during", DURING), ("after", AFTER)]:
        with time_machine.travel(moment, tick=False):
            pages[name] = client.get(call.get_absolute_url()).content.decode()

    assert "Start now" in pages["during"]
    assert 'href="/calls/call-for-ideas/respond/"' in pages["during"]
    for name in ("before", "after"):
        assert "Start now" not in pages[name]
        assert "/respond/" not in pages[name]


def test_start_now_appears_the_moment_the_call_opens_and_goes_the_moment_it_closes(client):
    call = ideas_call()
    with time_machine.travel(OPENS_AT, tick=False):
        assert "Start now" in client.get(call.get_absolute_url()).content.decode()
    with time_machine.travel(CLOSES_AT, tick=False):
        assert "Start now" not in client.get(call.get_absolute_url()).content.decode()


def test_upcoming_call_page_says_when_it_opens(client):
    call = ideas_call()
    with time_machine.travel(BEFORE, tick=False):
        html = client.get(call.get_absolute_url()).content.decode()

    assert "This call opens at 9am on 4 November 2021." in html
    assert "Upcoming</strong>" in html


def test_closed_call_page_says_when_it_closed_and_what_we_heard_with_a_link_to_responses(client):
    call = ideas_call(outcome="About 600 people sent **ideas**.", responses_may_be_published=True)
    with time_machine.travel(AFTER, tick=False):
        html = client.get(call.get_absolute_url()).content.decode()

    assert "This call closed at 5pm on 15 December 2021." in html
    assert "What we heard" in html
    assert "About 600 people sent <strong>ideas</strong>." in html
    assert 'href="/calls/call-for-ideas/responses/">Read the published responses</a>' in html


def test_closed_call_page_has_no_responses_link_when_responses_are_not_published(client):
    call = ideas_call(outcome="We heard a lot.", responses_may_be_published=False)
    with time_machine.travel(AFTER, tick=False):
        html = client.get(call.get_absolute_url()).content.decode()

    assert "We heard a lot." in html
    assert "Read the published responses" not in html


def test_open_call_page_shows_no_outcome_even_if_one_is_written(client):
    call = ideas_call(outcome="Draft findings, not for readers yet.")
    with time_machine.travel(DURING, tick=False):
        html = client.get(call.get_absolute_url()).content.decode()

    assert "Draft findings" not in html
    assert "What we heard" not in html
    assert "Read the published responses" not in html


def test_call_page_says_who_it_is_for_and_lists_its_questions_in_order(client):
    call = CallFactory(audience="Mainly **researchers**.", body="We ask about evidence.")
    QuestionFactory(call=call, position=2, prompt="Where is evidence missing?", required=False)
    QuestionFactory(call=call, position=1, prompt="What does the evidence show?")

    html = client.get(call.get_absolute_url()).content.decode()

    assert "Who this is for" in html
    assert "Mainly <strong>researchers</strong>." in html
    assert "We ask about evidence." in html
    assert html.index("What does the evidence show?") < html.index("Where is evidence missing? (optional)")


def test_call_for_ideas_page_gives_the_idea_rules_in_the_tense_of_the_day(client):
    call = ideas_call(max_ideas=10, idea_word_limit=250)
    with time_machine.travel(DURING, tick=False):
        during = client.get(call.get_absolute_url()).content.decode()
    with time_machine.travel(AFTER, tick=False):
        after = client.get(call.get_absolute_url()).content.decode()

    assert "You can send up to 10 ideas." in during
    assert "Each idea can be up to 250 words long." in during
    assert "People could send up to 10 ideas." in after
    assert "Each idea could be up to 250 words long." in after
    assert "You can send" not in after and "We will also ask" not in after


def test_call_page_gives_open_and_close_times_in_uk_time_in_summer(client):
    call = CallFactory(
        opens_at=datetime.datetime(2021, 6, 18, 8, 0, tzinfo=UTC),
        closes_at=datetime.datetime(2021, 8, 13, 16, 0, tzinfo=UTC),
    )
    with time_machine.travel(datetime.datetime(2021, 7, 1, tzinfo=UTC), tick=False):
        html = client.get(call.get_absolute_url()).content.decode()

    assert "Opened on 18 June 2021" in html
    assert "Closes at 5pm on 13 August 2021" in html


def test_open_call_offers_no_start_button_once_the_site_has_closed(client):
    call = CallFactory()
    ClosureNoticeFactory(closes_at=timezone.now() - datetime.timedelta(hours=1))

    html = client.get(call.get_absolute_url()).content.decode()

    assert "Start now" not in html
    assert "no longer taking responses" in html


def test_open_call_is_tagged_closed_once_the_site_has_closed(client):
    call = CallFactory()
    ClosureNoticeFactory(closes_at=timezone.now() - datetime.timedelta(hours=1))

    html = client.get(call.get_absolute_url()).content.decode()

    assert ">Closed<" in html.replace("\n", "").replace(" ", "")
    assert ">Open<" not in html.replace("\n", "").replace(" ", "")


def test_a_call_the_closed_site_cut_short_says_when_it_closed_not_when_it_would_have(client):
    ideas_call()
    with time_machine.travel(DURING, tick=False):
        ClosureNoticeFactory(closes_at=DURING - datetime.timedelta(days=2))
        for url in ["/get-involved/", "/calls/call-for-ideas/"]:
            html = client.get(url).content.decode()
            assert "Closed on 18 November 2021" in html, url
            assert "Closes at" not in html, url
            assert 'govuk-tag--grey">Closed</strong>' in html, url


def test_unknown_call_is_not_found(client):
    assert client.get("/calls/no-such-call/").status_code == 404


# Queries


def _queries_for(client, django_assert_max_num_queries, url, count):
    """Number of queries to render url; fails if it exceeds count."""
    with django_assert_max_num_queries(count) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def _make_calls(number):
    now = timezone.now()
    day = datetime.timedelta(days=1)
    for index in range(number):
        offset = (index % 3 - 1) * 40 * day  # past, present and future calls in turn
        call = CallFactory(opens_at=now + offset - day, closes_at=now + offset + 30 * day)
        QuestionFactory(call=call)


@pytest.mark.parametrize("url", ["/get-involved/"])
def test_get_involved_makes_the_same_number_of_queries_for_3_or_30_calls(client, url, django_assert_max_num_queries):
    _make_calls(3)
    few = _queries_for(client, django_assert_max_num_queries, url, 8)
    _make_calls(27)
    many = _queries_for(client, django_assert_max_num_queries, url, 8)
    assert few == many


def test_call_page_makes_the_same_number_of_queries_for_1_or_30_questions(client, django_assert_max_num_queries):
    call = CallFactory()
    QuestionFactory(call=call)
    few = _queries_for(client, django_assert_max_num_queries, call.get_absolute_url(), 8)
    QuestionFactory.create_batch(29, call=call)
    many = _queries_for(client, django_assert_max_num_queries, call.get_absolute_url(), 8)
    assert few == many


def test_sitemap_lists_get_involved_and_every_call(client):
    CallFactory(slug="call-for-advice")
    html = client.get("/sitemap.xml").content.decode()

    assert html.count("/get-involved/</loc>") == 1
    assert "/calls/call-for-advice/</loc>" in html


def test_sitemap_lists_get_involved_once_when_staff_wrote_its_content_page(client):
    PageFactory(slug="get-involved", title="Get involved")
    html = client.get("/sitemap.xml").content.decode()

    assert html.count("/get-involved/</loc>") == 1


def test_open_call_page_explains_that_responses_may_be_published_and_the_choice_people_have(client):
    published = CallFactory(responses_may_be_published=True)
    private = CallFactory(responses_may_be_published=False)

    assert "What happens to your response" in client.get(published.get_absolute_url()).content.decode()
    assert "What happens to your response" not in client.get(private.get_absolute_url()).content.decode()


def test_call_page_links_go_to_the_response_journey_and_the_published_responses():
    call = CallFactory(slug="call-for-ideas")

    assert call.get_respond_url() == reverse("submissions:respond_start", kwargs={"slug": "call-for-ideas"})
    assert call.get_responses_url() == reverse("submissions:published_responses", kwargs={"slug": "call-for-ideas"})


def test_made_up_call_addresses_are_not_remembered_and_push_out_nothing(client, page_cache_on):
    call = CallFactory(slug="call-for-ideas", title="Call for Ideas")
    assert client.get(reverse("consultations:call_detail", args=[call.slug])).status_code == 200
    remembered = len(page_cache._Local.memo)

    for n in range(20):
        assert client.get(f"/calls/no-such-call-{n}/").status_code == 404

    assert len(page_cache._Local.memo) == remembered
    assert client.get(reverse("consultations:call_detail", args=[call.slug]))["X-Page-Cache"] == "hit"


def test_a_new_call_is_found_at_once_by_a_worker_that_remembers_the_calls(client, page_cache_on):
    CallFactory(slug="call-for-ideas")
    assert client.get("/calls/call-for-evidence/").status_code == 404
    CallFactory(slug="call-for-evidence", title="Call for Evidence")
    assert "Call for Evidence" in client.get("/calls/call-for-evidence/").content.decode()
