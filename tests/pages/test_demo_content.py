"""The demo content: one coherent story on the day it shows, in our own words, and a second run changes nothing."""

import datetime
import io
import os
import re
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from consultations.models import Call, Question
from core.closure import site_is_closed
from core.models import ClosureNotice
from pages.models import FAQ, Page, Post
from pages.search import search_site
from publications.models import Publication
from submissions.models import Submission

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 1, 10, 12, 0, tzinfo=datetime.UTC)
ROOT = Path(__file__).resolve().parents[2]


def _seeds():
    """shared/seeds beside the repository; for a clone (CI clones it elsewhere), beside the repository it was cloned
    from. SEEDS_DIR points elsewhere if it must."""
    if os.environ.get("SEEDS_DIR"):
        return Path(os.environ["SEEDS_DIR"])
    origin = subprocess.run(["git", "remote", "get-url", "origin"], cwd=ROOT, capture_output=True, text=True)
    for repository in (ROOT, Path(origin.stdout.strip())):
        if repository.is_absolute() and (repository.parent / "shared" / "seeds").is_dir():
            return repository.parent / "shared" / "seeds"
    return ROOT.parent / "shared" / "seeds"


SEEDS = _seeds()
REVIEW_YEARS = re.compile(r"\b202[123]\b")

# Long sentences from the original site. Demo content is written in our own words, so none may appear.
SEED_SENTENCES = [
    "All applications were assessed ‘blind’ – which means the panel had no information on the name, location, "
    "ethnicity or disability applicants had declared in their application.",
    "What I’m finding is that this exercise is a great leveller.",
    "One of the big things we learned from our first round of workshops is that while some people are happy to "
    "come to us, in fact many more like to share their thoughts in events organised by groups that they know "
    "and trust.",
]


def load(*args):
    out = io.StringIO()
    call_command("load_demo_content", *args, stdout=out)
    return out.getvalue()


def snapshot():
    """Every demo row with its last-changed time (or all its fields, where a model has none)."""
    rows = {
        model.__name__: sorted((obj.pk, obj.updated_at, getattr(obj, "is_active", None)) for obj in model.objects.all())
        for model in (FAQ, Post, Page, ClosureNotice, Call)
    }
    rows["Question"] = list(Question.objects.order_by("pk").values())
    rows["Submission"] = sorted(Submission.objects.values_list("pk", "submitted_at"))
    return rows


def demo_text():
    parts = []
    for faq in FAQ.objects.all():
        parts += [faq.question, faq.answer]
    for post in Post.objects.all():
        parts += [post.title, post.summary, post.body, post.author_name, post.author_role]
    for page in Page.objects.all():
        parts += [page.title, page.summary, page.body]
    for call in Call.objects.all():
        parts += [call.title, call.summary, call.body, call.audience, call.outcome]
    parts += [question.prompt + " " + question.hint for question in Question.objects.all()]
    parts += [notice.message for notice in ClosureNotice.objects.all()]
    # Publication titles are the documents' own names (facts); what we say about them is ours.
    for publication in Publication.objects.all():
        parts += [publication.summary, publication.body]
    return normalise("\n".join(parts))


def normalise(text):
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(re.findall(r"[\w',]+", text.lower().replace(",", "")))


def public_text(client, urls):
    """The words on these pages as a reader sees them: tags removed."""
    text = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text.append(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return " ".join(" ".join(text).split())


def every_public_url():
    objects = [*Page.objects.all(), *Post.objects.published(), *Call.objects.all()]
    return ["/", "/faqs/", "/news/", "/get-involved/", *(obj.get_absolute_url() for obj in objects)]


# The default day: the Call for Ideas is open


def test_by_default_the_call_for_ideas_is_open_and_no_closure_notice_is_up(client):
    with time_machine.travel(NOW, tick=False):
        load()
        ideas = Call.objects.get(slug="call-for-ideas")
        assert ideas.is_open()
        assert not ClosureNotice.objects.active().exists()
        assert not site_is_closed()
        html = client.get("/").content.decode()

    assert "Have your say" in html and "Start now" in html
    assert "This website will be closed down" not in html
    assert 'href="/updates/"' in html.split('class="govuk-footer"')[1], "sign-up is open, and linked"


def test_by_default_nothing_has_happened_after_the_day_shown():
    with time_machine.travel(NOW, tick=False):
        load()
        slugs = set(Post.objects.published().values_list("slug", flat=True))

    assert "call-for-ideas-is-open" in slugs
    assert not slugs & {"thank-you-for-your-ideas", "final-report-published", "government-response"}
    assert not Post.objects.exclude(slug__in=slugs).exists(), "no post waits in the future either"


def test_by_default_no_page_post_faq_or_call_contradicts_the_open_call(client):
    with time_machine.travel(NOW, tick=False):
        load()
        ideas = Call.objects.get(slug="call-for-ideas")
        text = public_text(client, every_public_url())

    # Every date moved with the day: none of the review's real years shows while it is running.
    assert not REVIEW_YEARS.search(text), REVIEW_YEARS.search(text)
    for wrong in ["Call for Ideas closed", "Call for Ideas has closed", "as many as you like", "review has finished"]:
        assert wrong not in text
    assert f"up to {ideas.max_ideas} ideas" in text
    assert "Yes. The Call for Ideas is open until 5pm on 10 February 2026" in text
    assert "The call closes at 5pm on 10 February 2026" in text


# --archived: the site after the review ended


def test_archived_every_call_has_closed_and_the_site_has_closed_with_its_notice_up(client):
    with time_machine.travel(NOW, tick=False):
        load("--archived")
        assert all(call.is_closed() for call in Call.objects.all())
        notice = ClosureNotice.objects.active().get()
        assert site_is_closed()
        html = client.get("/").content.decode()

    assert notice.closes_at.year == 2023
    assert "This website closed on 10 March 2023" in html
    assert "Last updated 2 February 2023" in public_text(client, ["/faqs/"])
    assert "What we heard" in html and "Have your say" not in html
    assert 'href="/updates/"' not in html, "sign-up has closed: no link to it, on the page or in the footer"


def test_archived_dates_are_the_real_ones_from_2021_to_2023():
    with time_machine.travel(NOW, tick=False):
        load("--archived")

    dates = [
        *Post.objects.values_list("published_at", flat=True),
        *ClosureNotice.objects.values_list("closes_at", flat=True),
    ]
    for call in Call.objects.all():
        dates += [call.opens_at, call.closes_at]
    # Last changed then too: the FAQs must not say they were updated years after the site closed.
    for model in (FAQ, Page, Post, Call, Publication):
        dates += model.objects.values_list("updated_at", flat=True)
    assert {d.year for d in dates} <= {2021, 2022, 2023}
    assert {p.slug for p in Post.objects.published()} >= {"final-report-published", "government-response"}
    assert "Closes at" not in demo_text()


def test_archived_with_closure_days_shows_the_notice_before_the_site_closes(client):
    with time_machine.travel(NOW, tick=False):
        load("--archived", "--closure-days", "5")
        notice = ClosureNotice.objects.active().get()
        assert not site_is_closed()
    assert notice.closes_at.date() == datetime.date(2026, 1, 15)


def test_closure_days_without_archived_is_refused():
    with pytest.raises(CommandError, match="--archived"):
        load("--closure-days", "5")


# Running again


def test_running_the_demo_command_twice_on_one_day_changes_nothing():
    for args in [(), ("--archived",)]:
        with time_machine.travel(NOW, tick=False):
            load(*args)
        before = snapshot()
        with time_machine.travel(NOW + datetime.timedelta(hours=9), tick=False):
            output = load(*args)
        assert snapshot() == before, args
        assert "FAQs: 0 created, 0 updated, 13 unchanged" in output


def test_switching_between_the_default_day_and_archived_updates_the_rows():
    with time_machine.travel(NOW, tick=False):
        load()
        default = snapshot()
        output = load("--archived")
        assert "Call for Ideas: updated (closed" in output
        assert Post.objects.filter(slug="government-response").exists()
        load()
        assert not Post.objects.filter(slug="government-response").exists()
        assert not ClosureNotice.objects.active().exists()
        assert Call.objects.get(slug="call-for-ideas").is_open()
        # The demo responses moved with their calls, and back.
        assert snapshot()["Submission"] == default["Submission"]
        for submission in Submission.objects.select_related("call"):
            assert submission.call.opens_at <= submission.submitted_at <= submission.call.closes_at


def test_demo_command_restores_edited_demo_rows_without_touching_others():
    load()
    FAQ.objects.filter(slug="who-the-call-for-evidence-is-for").update(answer="Changed by hand")
    untouched = FAQ.objects.get(slug="what-the-review-looks-at").updated_at
    output = load()
    assert FAQ.objects.get(slug="who-the-call-for-evidence-is-for").answer != "Changed by hand"
    assert FAQ.objects.get(slug="what-the-review-looks-at").updated_at == untouched
    assert "FAQs: 0 created, 1 updated, 12 unchanged" in output


def test_archived_demo_leaves_a_closure_notice_staff_wrote_alone():
    existing = ClosureNotice.objects.create(
        message="Staff wrote this.", closes_at=NOW, archive_url="https://example.org/", is_active=True
    )
    load("--archived")
    assert list(ClosureNotice.objects.all()) == [existing]
    assert ClosureNotice.objects.get().message == "Staff wrote this."


def test_default_demo_takes_down_an_active_notice_without_deleting_it():
    ClosureNotice.objects.create(
        message="Staff wrote this.", closes_at=NOW, archive_url="https://example.org/", is_active=True
    )
    load()
    assert ClosureNotice.objects.get().is_active is False


def test_demo_command_creates_no_user_accounts():
    load("--archived")
    load()
    assert not get_user_model().objects.exists()


# Our own words


@pytest.mark.parametrize("args", [(), ("--archived",)])
def test_demo_content_does_not_copy_the_original_sites_sentences(args):
    load(*args)
    text = demo_text()
    for sentence in SEED_SENTENCES:
        assert normalise(sentence) not in text


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed texts are not on this machine")
@pytest.mark.parametrize("args", [(), ("--archived",)])
def test_demo_content_has_no_run_of_ten_words_from_the_seeds(args):
    load(*args)
    text = f" {demo_text()} "
    for seed in SEEDS.glob("*.txt"):
        words = normalise(seed.read_text()).split()
        for start in range(len(words) - 9):
            run = " ".join(words[start : start + 10])
            assert f" {run} " not in text, (seed.name, run)


# The demo pages work, and search finds what it should in them


@pytest.mark.parametrize("args", [(), ("--archived",)])
def test_demo_pages_render(client, args):
    load(*args)
    urls = ["/", "/faqs/", "/news/", "/news/feed/", "/sitemap.xml", "/get-involved/"]
    urls += [obj.get_absolute_url() for obj in [*Page.objects.all(), *Post.objects.all(), *Call.objects.all()]]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_searching_the_demo_for_the_call_for_evidence_finds_it_first_and_not_everything():
    load()
    everything = FAQ.objects.count() + Post.objects.published().count() + Page.objects.count() + Call.objects.count()

    results = search_site("Call for Evidence")

    assert results[0].title == "Call for Evidence" and results[0].kind == "Call"
    assert len(results) < everything / 2


# The statements the law asks for, in pages staff can edit


def test_the_accessibility_statement_has_the_sections_the_regulations_ask_for(settings):
    load()
    body = Page.objects.get(slug="accessibility").body

    for heading in [
        "## How accessible this website is",
        "## Enforcement procedure",
        "### Compliance status",
        "## Non-accessible content",
        "## Preparation of this statement",
    ]:
        assert heading in body
    assert "partially compliant with the [Web Content Accessibility Guidelines version 2.2]" in body
    assert "Equality and Human Rights Commission" in body and "Equality Commission for Northern Ireland" in body
    assert f"mailto:{settings.CONTACT_EMAIL}" in body
    assert re.search(r"prepared on \d+ \w+ 20\d\d\. It was last reviewed on \d+ \w+ 20\d\d", body)


def test_the_privacy_notice_names_the_controller_lawful_basis_retention_rights_and_officer(settings):
    load()
    body = Page.objects.get(slug="privacy").body

    assert "The Department for Education is the data controller" in body
    assert "public interest" in body and "Article 6(1)(e)" in body
    assert "substantial public interest" in body and "9(2)(g)" in body
    for heading in ["## How long we keep it", "## Your rights", "## Contact the data protection officer"]:
        assert heading in body
    assert f"mailto:{settings.CONTACT_EMAIL}" in body
    assert "Information Commissioner's Office" in body
