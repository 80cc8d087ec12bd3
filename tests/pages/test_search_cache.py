"""Search results pages are kept by the page cache per cleaned query, for every visitor it may serve."""

import pytest
from django.test import Client

from tests.factories import FAQFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


def search(q, client=None):
    return (client or Client()).get("/search/", {"q": q})


def test_the_same_words_however_spaced_are_searched_once():
    FAQFactory(question="Who helps care leavers?", answer="Personal advisers.")
    first = search("care leavers")
    again = search("  care \t leavers ")
    assert "X-Page-Cache" not in first
    assert again["X-Page-Cache"] == "hit"
    assert "Who helps care leavers?" in again.content.decode()
    assert again["X-Robots-Tag"] == "noindex"


def test_other_words_are_searched_afresh():
    FAQFactory(question="Who helps care leavers?", answer="Personal advisers.")
    search("care leavers")
    response = search("advisers")
    assert "X-Page-Cache" not in response
    assert "Who helps care leavers?" in response.content.decode()


def test_a_new_faq_is_found_at_once():
    search("kinship")
    FAQFactory(question="What is kinship care?", answer="Care by relatives.")
    assert "What is kinship care?" in search("kinship").content.decode()


def test_someone_in_the_middle_of_a_response_gets_the_kept_results_page_and_a_hard_refresh_searches_again():
    FAQFactory(question="Who helps care leavers?", answer="Personal advisers.")
    respondent = Client()
    session = respondent.session
    session["respond_journeys"] = {"1": {"token": "t", "steps": {"about": {"name": ["Sam"]}}}}
    session.save()
    search("care")
    assert search("care", respondent)["X-Page-Cache"] == "hit"
    refreshed = respondent.get("/search/", {"q": "care"}, headers={"Cache-Control": "no-cache"})
    assert "X-Page-Cache" not in refreshed
    assert "Who helps care leavers?" in refreshed.content.decode()
