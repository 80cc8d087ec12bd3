"""Snippets on PostgreSQL: every form of a word searched for is marked, as PostgreSQL matched it (stems), and only
those; the words around them are the ones a reader sees, cut between words."""

import pytest
from django.db import connection

from pages.search import search_site
from tests.factories import FAQFactory, PageFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL matches stems"),
]


def marked(snippet):
    return [part.split("</mark>")[0] for part in str(snippet).split('<mark class="review-highlight">')[1:]]


def test_every_form_of_the_words_searched_for_is_marked_and_nothing_else():
    FAQFactory(
        question="Leaving care",
        answer="A leaver's rights. Care leavers, caring adults, careful plans, carers and kinship carers. Leaving.",
    )

    [result] = search_site("care leaver")

    assert marked(result.snippet) == ["leaver", "Care", "leavers", "caring", "careful"]


def test_a_match_in_the_summary_alone_shows_the_summary_marked():
    PageFactory(title="Adoption", summary="Support for adopted children.", body="Nothing about it here.")

    [result] = search_site("adoption")

    assert str(result.snippet) == 'Support for <mark class="review-highlight">adopted</mark> children.'


def test_the_snippet_is_around_the_first_match_in_a_long_body():
    words = [f"word{n}" for n in range(200)]
    words[150] = "Fostering"
    PageFactory(title="Long page", body=" ".join(words))

    [result] = search_site("foster")

    snippet = str(result.snippet)
    assert snippet.startswith("… word") and snippet.endswith(" …")
    assert '<mark class="review-highlight">Fostering</mark>' in snippet
