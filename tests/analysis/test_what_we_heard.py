"""The public What we heard page: only for a closed call and a page marked ready (staff may preview), figures live
from the coding with small numbers hidden, quotes only from what the public may read, in its public form."""

import datetime
import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.utils import timezone

from analysis.models import Quote
from analysis.services.what_we_heard import QuoteRefused, quote_add
from submissions.models import Submission
from tests.factories import AnswerFactory, ClosureNoticeFactory, IdeaFactory, QuestionFactory, SubmissionFactory
from tests.submissions.staff import staff_user

from .factories import ThemeFactory, WhatWeHeardFactory, analyst, closed_ideas_call, code

pytestmark = pytest.mark.django_db

URL = "/calls/call-for-ideas/what-we-heard/"
APPROVED = Submission.Status.APPROVED


@pytest.fixture
def call():
    call = closed_ideas_call()
    QuestionFactory(call=call, prompt="What should change?")
    return call


def approved(call, **kwargs):
    return SubmissionFactory(call=call, status=APPROVED, **kwargs)


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_page_of_a_closed_call_marked_ready_is_public(client, call):
    WhatWeHeardFactory(call=call, title="What we heard", body="We read **every** response.")

    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>every</strong>" in html
    assert "Preview" not in html
    assert 'class="govuk-summary-list"' in html


@pytest.mark.parametrize("when", ["open", "not ready", "none"])
def test_before_it_is_ready_the_public_gets_the_sites_404(client, call, when):
    if when == "open":
        call.closes_at = timezone.now() + datetime.timedelta(days=3)
        call.save()
        WhatWeHeardFactory(call=call)
    elif when == "not ready":
        WhatWeHeardFactory(call=call, published=False)

    assert client.get(URL).status_code == 404


def test_staff_who_may_see_it_get_a_marked_preview_that_no_cache_keeps(client, call):
    WhatWeHeardFactory(call=call, published=False)
    client.force_login(analyst())

    response = client.get(URL)

    assert response.status_code == 200
    assert "Only staff can see this page." in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    client.force_login(staff_user("Content editors", username="editor"))
    assert client.get(URL).status_code == 404


def test_once_the_site_has_closed_the_page_is_public_even_for_a_call_still_within_its_dates(client, call):
    call.closes_at = timezone.now() + datetime.timedelta(days=3)
    call.save()
    WhatWeHeardFactory(call=call)
    ClosureNoticeFactory(closes_at=timezone.now() - datetime.timedelta(minutes=1))

    assert client.get(URL).status_code == 200


def test_figures_are_live_from_the_coding_and_small_numbers_are_never_exact(client, call):
    WhatWeHeardFactory(call=call)
    stability, money = ThemeFactory(call=call, name="Stability"), ThemeFactory(call=call, name="Money")
    same_worker = ThemeFactory(call=call, name="Same worker", parent=stability)
    adults = [approved(call) for _ in range(6)]
    young = [approved(call, respondent_type="young_person") for _ in range(2)]
    for submission in adults:
        code(same_worker, idea=IdeaFactory(submission=submission, position=1))
    code(money, submission=young[0])
    SubmissionFactory(call=call, status=Submission.Status.SPAM)

    text = text_of(client.get(URL))

    assert "Responses 8" in text, "spam is not counted"
    assert "Ideas 6" in text
    assert "Care-experienced adult 6 75%" in text
    assert "Care-experienced child or young person (under 18) fewer than 5 –" in text
    assert "Stability 6 75%" in text, "a sub-theme counts in its top-level theme"
    assert "Money fewer than 5" in text
    assert "Same worker" not in text


def test_charts_are_drawn_on_the_server_with_a_title_and_a_table_beside_them(client, call):
    WhatWeHeardFactory(call=call)
    theme = ThemeFactory(call=call, name="Stability")
    for _ in range(5):
        code(theme, submission=approved(call))

    html = client.get(URL).content.decode()

    assert html.count('role="img"') >= 2
    assert '<title id="themes-chart-title">' in html
    assert html.count('<table class="govuk-table">') == 2


def test_quotes_are_only_from_publishable_responses_and_in_their_public_form(client, call):
    page = WhatWeHeardFactory(call=call)
    question = call.questions.get()
    good = approved(call)
    answer = AnswerFactory(submission=good, question=question, text="Jo my social worker stayed.")
    answer.redacted_text = "[name removed] my social worker stayed."
    answer.save()
    idea = IdeaFactory(submission=good, position=1, title="Stay put", body="Let children stay where they are settled.")
    private = SubmissionFactory(call=call, status=APPROVED, publication=Submission.Publication.DO_NOT_PUBLISH)
    pending = SubmissionFactory(call=call)
    withheld = IdeaFactory(submission=approved(call), position=1, withheld=True)

    quote_add(page=page, kind="answer", item_id=answer.pk, actor=None, theme=ThemeFactory(call=call, name="Stability"))
    quote_add(page=page, kind="idea", item_id=idea.pk, actor=None)
    for kind, item in [("idea", IdeaFactory(submission=private, position=1)), ("idea", withheld)]:
        with pytest.raises(QuoteRefused):
            quote_add(page=page, kind=kind, item_id=item.pk, actor=None)
    with pytest.raises(QuoteRefused, match="may not be published"):
        quote_add(page=page, kind="idea", item_id=IdeaFactory(submission=pending, position=1).pk, actor=None)
    with pytest.raises(QuoteRefused, match="already quoted"):
        quote_add(page=page, kind="idea", item_id=idea.pk, actor=None)

    html = client.get(URL).content.decode()
    assert "[name removed] my social worker stayed." in html
    assert "Jo my social worker" not in html
    assert "On stability, answering “What should change?”" in html
    assert "Stay put" in html


def test_a_quote_whose_response_stops_being_publishable_leaves_the_page(client, call):
    page = WhatWeHeardFactory(call=call)
    submission = approved(call)
    idea = IdeaFactory(submission=submission, position=1, title="Stay put", body="Let children stay.")
    quote_add(page=page, kind="idea", item_id=idea.pk, actor=None)
    assert "Stay put" in client.get(URL).content.decode()

    Submission.objects.filter(pk=submission.pk).update(safeguarding_flag=True)
    assert "Stay put" not in client.get(URL).content.decode()
    Submission.objects.filter(pk=submission.pk).update(safeguarding_flag=False)
    idea.withheld = True
    idea.save()
    assert "Stay put" not in client.get(URL).content.decode()
    assert Quote.objects.count() == 1, "kept, so it comes back if the response is published again"


def test_the_page_has_no_database_ids_and_no_personal_data(client, call):
    page = WhatWeHeardFactory(call=call)
    submission = approved(call, name="Sam Jones", email="sam@example.org", publication="with_name")
    idea = IdeaFactory(submission=submission, position=1, title="Stay put", body="Let children stay.")
    quote_add(page=page, kind="idea", item_id=idea.pk, actor=None)
    theme = ThemeFactory(call=call, name="Stability")
    code(theme, idea=idea)

    html = client.get(URL).content.decode()

    for value in ("Sam Jones", "sam@example.org", submission.reference):
        assert value not in html
    for pk in {idea.pk, submission.pk, theme.pk, page.pk}:
        assert not re.search(rf"(?:id|item|theme|pk)[=\-_:\"]+{pk}\b", html)


def test_staff_quote_from_the_coding_screen_and_a_refusal_is_said(client, call):
    WhatWeHeardFactory(call=call)
    good = IdeaFactory(submission=approved(call), position=1, title="Stay put")
    bad = IdeaFactory(submission=SubmissionFactory(call=call), position=1, title="Pending idea")
    client.force_login(analyst())

    response = client.post(
        f"/admin/analysis/theme/call/{call.pk}/items/?show=ideas",
        {"action": "quote", "item": [good.pk, bad.pk]},
        follow=True,
    )

    assert list(Quote.objects.values_list("idea_id", flat=True)) == [good.pk]
    assert "may not be published" in response.content.decode()


def test_the_call_page_links_to_the_page_once_the_public_may_read_it(client, call):
    page = WhatWeHeardFactory(call=call, published=False)
    assert URL not in client.get(call.get_absolute_url()).content.decode()

    page.published = True
    page.save()
    assert URL in client.get(call.get_absolute_url()).content.decode()


def test_the_sitemap_lists_only_public_pages(client, call):
    WhatWeHeardFactory(call=call)
    WhatWeHeardFactory(call=closed_ideas_call(slug="other-call", title="Other"), published=False)

    xml = client.get("/sitemap.xml").content.decode()

    assert URL in xml
    assert "/calls/other-call/what-we-heard/" not in xml


def test_preview_permission_is_the_view_permission_of_the_page(client, call):
    WhatWeHeardFactory(call=call, published=False)
    editor = staff_user("Content editors", username="editor")
    editor.user_permissions.add(Permission.objects.get(codename="view_whatweheard"))
    client.force_login(editor)

    assert client.get(URL).status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="What we heard pages are searched on PostgreSQL")
def test_site_search_finds_a_public_page_and_never_one_not_ready(client, call):
    WhatWeHeardFactory(call=call, title="What we heard", summary="Stability came first.", body="Kinship carers said.")
    WhatWeHeardFactory(
        call=closed_ideas_call(slug="other-call", title="Other"), summary="Kinship again.", published=False
    )

    html = client.get("/search/", {"q": "kinship"}).content.decode()

    assert URL in html
    assert "/calls/other-call/what-we-heard/" not in html
    assert "What we heard" in html


def test_the_static_archive_copies_a_public_page_reached_from_its_call(settings, tmp_path, call):
    from archive.export import export_site
    from archive.progress import Progress

    settings.SITE_URL = "https://childrenssocialcare.example.org"
    ClosureNoticeFactory()
    WhatWeHeardFactory(call=call, summary="What the review heard.", body="Stability came up again and again.")
    SubmissionFactory(call=call, status=APPROVED)

    export_site(tmp_path / "site", progress=Progress(io.StringIO()))

    page = tmp_path / "site" / "calls" / "call-for-ideas" / "what-we-heard" / "index.html"
    assert "Stability came up again and again." in page.read_text()
    call_page = (tmp_path / "site" / "calls" / "call-for-ideas" / "index.html").read_text()
    assert "what-we-heard/" in call_page
