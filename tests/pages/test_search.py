"""Site search: FAQs, published news and blogs, content pages; ranked, highlighted, escaped, never a 500."""

import datetime

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pages import search
from pages.models import FAQ, Page, Post
from pages.search import search_site
from tests.factories import FAQFactory, PageFactory, PostFactory

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search only")


def titles(results):
    return [r.title for r in results]


def test_search_finds_a_faq_by_a_word_only_in_its_answer():
    FAQFactory(question="Can I still take part?", answer="The calls have closed, but the archive keeps every report.")
    FAQFactory(question="Who led the review?", answer="Josh MacAlister led it.")

    results = search_site("archive")

    assert titles(results) == ["Can I still take part?"]
    assert results[0].kind == "FAQ"
    assert results[0].url.startswith("/faqs/#")


def test_drafts_and_future_posts_never_appear_in_search():
    PostFactory(title="Published kinship news", body="Kinship carers told us a lot.")
    PostFactory(title="Draft kinship news", status=Post.Status.DRAFT, published_at=None)
    PostFactory(title="Future kinship news", published_at=timezone.now() + datetime.timedelta(days=2))

    assert titles(search_site("kinship")) == ["Published kinship news"]


def test_each_result_has_its_type_and_link():
    FAQFactory(question="What is a fostering allowance?", slug="allowance")
    PostFactory(title="Fostering news", slug="fostering-news", kind=Post.Kind.NEWS)
    PostFactory(title="Fostering blog", slug="fostering-blog", kind=Post.Kind.BLOG)
    PageFactory(title="Fostering in the final report", slug="final-report")

    found = {(r.title, r.kind, r.url) for r in search_site("fostering")}

    assert found == {
        ("What is a fostering allowance?", "FAQ", "/faqs/#allowance"),
        ("Fostering news", "News", "/news/fostering-news/"),
        ("Fostering blog", "Blog", "/news/fostering-blog/"),
        ("Fostering in the final report", "Page", "/final-report/"),
    }


def test_ranking_puts_the_title_match_first():
    PostFactory(
        title="What we heard this spring",
        summary="Notes from our visits.",
        body="Adoption came up again and again. Adoption, adoption, adoption: people asked about adoption support.",
    )
    PageFactory(title="Adoption", body="The review's findings on this.")

    assert titles(search_site("adoption")) == ["Adoption", "What we heard this spring"]


def test_matches_are_highlighted_and_everything_else_escaped():
    FAQFactory(
        question="How do you keep information safe?",
        answer='We never run code like <script>alert("x")</script> and we keep your information safe & private.',
    )

    [result] = search_site("information")

    assert '<mark class="review-highlight">information</mark>' in result.snippet
    assert "<script" not in result.snippet
    assert "&amp;" in result.snippet


def test_a_query_with_html_comes_back_escaped(client):
    FAQFactory(question="About scripts", answer="A script for the day.")

    response = client.get("/search/", {"q": "<script>alert(1)</script>"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_empty_query_shows_the_form_only(client):
    FAQFactory(question="Anything at all?")

    response = client.get("/search/", {"q": "   "})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="search"' in html
    assert "result" not in html.split('role="search"')[1].split("</form>")[1]


def test_search_form_is_a_labelled_get_form(client):
    html = client.get("/search/").content.decode()

    assert '<form action="/search/" method="get" role="search"' in html
    assert '<label class="govuk-label govuk-label--s" for="search-q">' in html
    assert 'name="q"' in html


@pytest.mark.parametrize(
    "query",
    [
        "care\x00leavers",
        "x" * 5000,
        '"unfinished quote',
        "!!! & | : * ( ) <-> ''",
        "-",
        "or",
        "\u202e\ufeff emoji 🙂",
    ],
)
def test_odd_queries_never_fail(client, query):
    FAQFactory(question="Care leavers", answer="Help for care leavers.")

    response = client.get("/search/", {"q": query})

    assert response.status_code == 200
    assert "\x00" not in response.context["query"]
    assert len(response.context["query"]) <= search.MAX_QUERY_LENGTH


def test_long_queries_are_trimmed_and_nul_characters_removed():
    assert search.clean_query("care\x00leavers") == "care leavers"
    assert search.clean_query("  a " * 300) == ("a " * 100).strip()
    assert len(search.clean_query("y" * 500)) == 200


def test_results_are_limited():
    for n in range(5):
        FAQFactory(question=f"Residential care question {n}")

    assert len(search_site("residential", limit=3)) == 3


def make_matching_content(count):
    for _ in range(count):
        FAQFactory(answer="Advocacy for every child.")
        PostFactory(body="More on advocacy.")
        PageFactory(body="Advocacy explained.")


def queries_for_search(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "advocacy"})
    return len(queries), len(response.context["results"])


def test_search_runs_the_same_number_of_queries_however_many_items_match(client):
    make_matching_content(2)
    few = queries_for_search(client)
    make_matching_content(14)
    many = queries_for_search(client)

    assert (few[1], many[1]) == (6, 48)
    assert few[0] == many[0]


def fill_for_planner(model, count=300):
    """Realistic statistics: many rows, nearly all published, the search word rare."""
    now = timezone.now()
    rows = []
    for n in range(count):
        words = "care" if n == 0 else f"topic{n} kinship fostering adoption"
        if model is Post:
            rows.append(
                Post(title=f"Post {n}", slug=f"p-{n}", summary=words, body=words, status="published", published_at=now)
            )
        elif model is Page:
            rows.append(Page(title=f"Page {n}", slug=f"pg-{n}", summary=words, body=words))
        else:
            rows.append(FAQ(question=f"Question {n}", slug=f"q-{n}", answer=words))
    model.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {model._meta.db_table}")


@on_postgres
@pytest.mark.parametrize("source", search.SOURCES, ids=lambda s: s.queryset().model.__name__)
def test_postgres_search_uses_the_gin_index(source):
    model = source.queryset().model
    fill_for_planner(model)
    index = f"pages_{model._meta.model_name}_search_gin"
    queryset = search.postgres_queryset(source, SearchQuery("care", search_type="websearch", config=search.CONFIG))

    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = queryset.explain()
        finally:
            cursor.execute("RESET enable_seqscan")

    assert f"Bitmap Index Scan on {index}" in plan, plan
    assert [obj.pk for obj in queryset] == [model.objects.get(**{source.snippet_field: "care"}).pk]


def test_every_page_links_to_search_and_email_updates_from_the_footer(client):
    footer = client.get("/faqs/").content.decode().split('class="govuk-footer"')[1]

    assert 'href="/search/">Search this website</a>' in footer
    assert 'href="/updates/">Get email updates</a>' in footer


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the word-match fallback only")
def test_fallback_ranks_more_matched_words_first_then_title_matches():
    PageFactory(title="Housing", body="Nothing else here.")
    PageFactory(title="Support after care", body="Care leavers need housing and support.")
    PageFactory(title="Other", body="Care leavers and housing.")

    assert titles(search_site("care leavers housing")) == ["Support after care", "Other", "Housing"]
