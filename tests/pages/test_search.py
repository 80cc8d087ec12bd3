"""Site search: FAQs, published news and blogs, content pages and calls; ranked, highlighted, escaped, never a 500."""

import datetime

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations.models import Call
from pages import search, search_postgres, stems
from pages.models import FAQ, Page, Post
from pages.search import search_site
from tests.factories import CallFactory, FAQFactory, PageFactory, PostFactory

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
    CallFactory(title="Call for fostering stories", slug="fostering-call")

    found = {(r.title, r.kind, r.url) for r in search_site("fostering")}

    assert found == {
        ("What is a fostering allowance?", "FAQ", "/faqs/#allowance"),
        ("Fostering news", "News", "/news/fostering-news/"),
        ("Fostering blog", "Blog", "/news/fostering-blog/"),
        ("Fostering in the final report", "Page", "/final-report/"),
        ("Call for fostering stories", "Call", "/calls/fostering-call/"),
    }


@pytest.mark.parametrize("field", ["title", "summary", "body"])
def test_calls_are_found_by_their_title_summary_or_body(field):
    words = {"title": "A call", "summary": "Tell us.", "body": "We ask."}
    CallFactory(slug="the-call", **{**words, field: words[field] + " Kinship matters."})
    CallFactory(slug="another-call", title="Another call", summary="Nothing here.", body="Nothing here either.")

    assert [(r.kind, r.url) for r in search_site("kinship")] == [("Call", "/calls/the-call/")]


def test_the_results_page_names_each_results_type(client):
    FAQFactory(question="Kinship FAQ")
    PostFactory(title="Kinship news")
    PageFactory(title="Kinship page")
    CallFactory(title="Kinship call")

    html = client.get("/search/", {"q": "kinship"}).content.decode()

    for kind in ["FAQ", "News", "Page", "Call"]:
        assert f'<strong class="govuk-tag govuk-tag--grey">{kind}</strong>' in html


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
    assert "alert" not in result.snippet  # removed with its script, as the reader's page removes it
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
        "the and of",
        "Ω≈ç√∫",
        "\u202e\ufeff emoji 🙂",
    ],
)
def test_odd_queries_never_fail(client, query):
    FAQFactory(question="Care leavers", answer="Help for care leavers.")

    response = client.get("/search/", {"q": query})

    if "\x00" in query:
        # Refused before any view runs (core.middleware): a NUL never reaches the database.
        assert response.status_code == 400
        return
    assert response.status_code == 200
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
        CallFactory(body="Advocacy, please.")


def queries_for_search(client):
    # The most a search runs: a worker that has seen none of the rows and stemmed none of the words yet.
    stems.forget()
    search_postgres.forget()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "advocacy"})
    return len(queries), len(response.context["results"])


def test_search_runs_the_same_number_of_queries_however_many_items_match(client):
    make_matching_content(2)
    few = queries_for_search(client)
    make_matching_content(14)
    many = queries_for_search(client)

    assert (few[1], many[1]) == (8, 50)
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
        elif model is Call:
            rows.append(
                Call(
                    title=f"Call {n}",
                    slug=f"c-{n}",
                    summary=words,
                    body=words,
                    audience="Anyone",
                    kind=Call.Kind.IDEAS,
                    phase="development",
                    opens_at=now,
                    closes_at=now + datetime.timedelta(days=30),
                )
            )
        elif model._meta.label == "publications.Publication":  # registered by that app
            rows.append(
                model(
                    title=f"Report {n}", slug=f"r-{n}", summary=words, body=words, status="published", published_at=now
                ),
            )
        else:
            rows.append(FAQ(question=f"Question {n}", slug=f"q-{n}", answer=words))
    model.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {model._meta.db_table}")


# This app's own sources; another app that offers one (its AppConfig's search_sources) proves its index itself.
OWN_SOURCES = [source for source in search.SOURCES if source.queryset().model in (FAQ, Post, Page, Call)]


@on_postgres
@pytest.mark.parametrize("source", OWN_SOURCES, ids=lambda s: s.queryset().model.__name__)
def test_postgres_search_uses_the_gin_index(source):
    model = source.queryset().model
    fill_for_planner(model)
    index = f"{model._meta.app_label}_{model._meta.model_name}_search_gin"
    search_query = SearchQuery("care", search_type="websearch", config=search_postgres.CONFIG)
    queryset = search_postgres.postgres_queryset(source, search_query)

    with connection.cursor() as cursor:
        # The question is whether the search (its stored vector) CAN use its GIN index, not which index the planner
        # prefers on a given day: its choice flipped with autovacuum and the index's pending list. So, inside this
        # test's transaction (rolled back after), drop the table's other plain indexes, flush the pending list, refresh
        # the statistics and rule out plain scans: the GIN index is then the only way left to avoid a sequential scan.
        cursor.execute(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = %s::regclass AND NOT i.indisunique AND c.relname <> %s",
            [model._meta.db_table, index],
        )
        for (other,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{other}"')
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        cursor.execute(f"ANALYZE {model._meta.db_table}")
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")
        try:
            plan = queryset.explain()
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_indexscan")

    assert f"Bitmap Index Scan on {index}" in plan, plan
    assert [obj.pk for obj in queryset] == [model.objects.get(**{source.snippet_field: "care"}).pk]


def test_every_page_links_to_search_and_email_updates_from_the_footer(client):
    footer = client.get("/faqs/").content.decode().split('class="govuk-footer"')[1]

    assert 'href="/search/">Search this website</a>' in footer
    assert 'href="/updates/">Get email updates</a>' in footer


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the word-match fallback only")
def test_fallback_shows_only_items_with_every_word_when_there_are_some():
    PageFactory(title="Housing", body="Nothing else here.")
    PageFactory(title="Support after care", body="Care leavers need housing and support.")
    PageFactory(title="Other", body="Care leavers and housing.")
    PageFactory(title="Leavers", body="Only one of the words.")

    assert titles(search_site("care leavers housing")) == ["Support after care", "Other"]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the word-match fallback only")
def test_fallback_ranks_more_matched_words_first_then_title_matches_when_none_has_them_all():
    PageFactory(title="Housing", body="Nothing else here.")
    PageFactory(title="Support after care", body="Care and housing and support.")
    PageFactory(title="Other", body="Care and housing.")

    assert titles(search_site("care leavers housing")) == ["Support after care", "Other", "Housing"]


# Which words count, and what a snippet shows


def test_stop_words_do_not_count():
    FAQFactory(question="Is there food for thought?", answer="Yes, for everyone.")
    CallFactory(title="Call for Evidence", summary="Research, please.", body="What the evidence shows.")

    assert titles(search_site("Call for Evidence")) == ["Call for Evidence"]
    assert search_site("for the and") == []


def test_a_query_of_stop_words_only_finds_nothing_and_says_so(client):
    FAQFactory(question="Who is it for?", answer="It is for all of you.")

    response = client.get("/search/", {"q": "who is it for"})

    assert response.status_code == 200
    assert response.context["results"] == []
    assert "0 results" in response.content.decode()


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL matches stems, not whole words")
def test_fallback_matches_and_highlights_whole_words_only():
    FAQFactory(question="Careful planning", answer="Childcare and careers, considered carefully.")
    FAQFactory(question="Care leavers", answer="Help with care, and Care plans.")

    [result] = search_site("care")

    assert result.title == "Care leavers"
    assert result.snippet.count('<mark class="review-highlight">') == 2
    assert '<mark class="review-highlight">care</mark>' in result.snippet
    assert '<mark class="review-highlight">Care</mark>' in result.snippet


def test_snippets_are_the_words_a_reader_sees_not_markdown():
    PostFactory(
        title="Kinship news",
        body="## What we heard\n\nPeople told us **kinship** carers need [more support](https://example.org/x) "
        "and _respite_.\n\n- one\n- two",
    )

    [result] = search_site("kinship")

    snippet = str(result.snippet)
    for markdown in ["**", "##", "](", "https://example.org", "_respite_"]:
        assert markdown not in snippet
    assert "What we heard: People told us" in snippet
    assert "need more support and respite" in snippet


def test_long_snippets_are_cut_between_words_and_say_so():
    words = [f"word{n}" for n in range(200)]
    words[120] = "adoption"
    PageFactory(title="Long page", body=" ".join(words))

    [result] = search_site("adoption")
    snippet = str(result.snippet)
    text = snippet.replace('<mark class="review-highlight">', "").replace("</mark>", "")

    assert text.startswith("… ") and text.endswith(" …")
    inner = text.removeprefix("… ").removesuffix(" …").split(" ")
    assert set(inner) <= set(words), "every word whole"
    assert '<mark class="review-highlight">adoption</mark>' in snippet
    assert len(inner) <= 40, "a few lines, not the whole page"


# The search box in the header


def header_of(html):
    return html.split('<section aria-label="Site menu"')[1].split("</section>")[0]


def test_every_page_has_a_labelled_search_box_in_its_header(client):
    FAQFactory()
    for url in ["/", "/faqs/", "/news/", "/get-involved/"]:
        header = header_of(client.get(url).content.decode())
        assert '<form class="review-header-search" action="/search/" method="get" role="search"' in header, url
        assert '<label class="govuk-visually-hidden" for="header-search-q">Search this website</label>' in header
        assert 'id="header-search-q" name="q" type="search"' in header
        assert '<button type="submit" class="review-header-search__button">Search</button>' in header


def test_the_search_page_has_one_search_box_its_own(client):
    html = client.get("/search/", {"q": "care"}).content.decode()

    assert "review-header-search" not in html
    assert html.count('role="search"') == 1


def test_the_response_journey_has_no_search_box_so_people_stay_on_their_form(client):
    call = CallFactory(slug="open-call")

    html = client.get(f"/calls/{call.slug}/respond/about-you/").content.decode()

    assert "review-header-search" not in html
    assert "review-header-search" in client.get(call.get_absolute_url()).content.decode()


def test_plain_text_keeps_headings_and_list_items_apart():
    from pages.snippets import plain_text

    text = plain_text("## What it says\n\n- more help early\n- fewer moves\n\n## Done?\n\nYes &amp; no.")

    assert text == "What it says: more help early; fewer moves. Done? Yes & no."
    table = plain_text("| Call | Answers |\n| --- | --- |\n| Advice | 930 |\n| Ideas | 1,000 |\n\nRounded.")
    assert table == "Call, Answers; Advice, 930; Ideas, 1,000. Rounded."
