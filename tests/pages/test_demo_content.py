import datetime
import io
import re
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command

from core.models import ClosureNotice
from pages.models import FAQ, Page, Post

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 1, 10, 12, 0, tzinfo=datetime.UTC)
SEEDS = Path("/work/shared/seeds")

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
    """Every pages row with its last-changed time."""
    return {
        model.__name__: sorted((obj.pk, obj.updated_at) for obj in model.objects.all())
        for model in (FAQ, Post, Page, ClosureNotice)
    }


def demo_text():
    parts = []
    for faq in FAQ.objects.all():
        parts += [faq.question, faq.answer]
    for post in Post.objects.all():
        parts += [post.title, post.summary, post.body, post.author_name, post.author_role]
    for page in Page.objects.all():
        parts += [page.title, page.summary, page.body]
    parts += [notice.message for notice in ClosureNotice.objects.all()]
    return normalise("\n".join(parts))


def normalise(text):
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("‘", "'")).lower()


def test_demo_content_has_the_faqs_posts_pages_and_one_active_closure_notice():
    with time_machine.travel(NOW, tick=False):
        load()
    assert FAQ.objects.count() == 12
    assert len({faq.position for faq in FAQ.objects.all()}) == 12
    assert Post.objects.published().count() >= 4
    assert {p.kind for p in Post.objects.all()} == {Post.Kind.NEWS, Post.Kind.BLOG}
    assert Post.objects.filter(author_role="Lead reviewer", published_at__year=2021, published_at__month=11).exists()
    header = [p.slug for p in Page.objects.in_header()]
    footer = {p.link_text: p.slug for p in Page.objects.in_footer()}
    assert header == ["about", "get-involved"]
    assert footer == {
        "Privacy notice": "privacy",
        "Accessibility statement": "accessibility",
        "Cookies": "cookies",
        "Contact": "contact",
    }
    assert Page.objects.filter(slug="terms-of-reference", nav_location=Page.NavLocation.NONE).exists()
    notice = ClosureNotice.objects.active().get()
    assert notice.closes_at == NOW + datetime.timedelta(days=60)
    assert notice.archive_url.startswith("https://webarchive.nationalarchives.gov.uk/")


def test_closure_date_can_be_chosen():
    with time_machine.travel(NOW, tick=False):
        load("--closure-days", "5")
    assert ClosureNotice.objects.active().get().closes_at == NOW + datetime.timedelta(days=5)


def test_running_the_demo_command_twice_changes_nothing():
    with time_machine.travel(NOW, tick=False):
        load()
    before = snapshot()
    with time_machine.travel(NOW + datetime.timedelta(days=3), tick=False):
        output = load()
    assert snapshot() == before
    assert "FAQs: 0 created, 0 updated, 12 unchanged" in output


def test_demo_command_restores_edited_demo_rows_without_touching_others():
    load()
    FAQ.objects.filter(slug="who-the-call-for-evidence-is-for").update(answer="Changed by hand")
    untouched = FAQ.objects.get(slug="what-the-review-looks-at").updated_at
    output = load()
    assert FAQ.objects.get(slug="who-the-call-for-evidence-is-for").answer != "Changed by hand"
    assert FAQ.objects.get(slug="what-the-review-looks-at").updated_at == untouched
    assert "FAQs: 0 created, 1 updated, 11 unchanged" in output


def test_demo_command_leaves_an_existing_active_closure_notice_alone():
    existing = ClosureNotice.objects.create(
        message="Staff wrote this.", closes_at=NOW, archive_url="https://example.org/", is_active=True
    )
    load()
    assert list(ClosureNotice.objects.all()) == [existing]
    assert ClosureNotice.objects.get().message == "Staff wrote this."


def test_demo_command_creates_no_user_accounts():
    load("--historical")
    assert not get_user_model().objects.exists()


def test_demo_content_does_not_copy_the_original_sites_sentences():
    load()
    text = demo_text()
    for sentence in SEED_SENTENCES:
        assert normalise(sentence) not in text


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed texts are not on this machine")
def test_demo_content_does_not_copy_any_long_sentence_from_the_seeds():
    load()
    text = demo_text()
    for seed in SEEDS.glob("*.txt"):
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", seed.read_text()):
            if len(sentence.split()) >= 10:
                assert normalise(sentence.strip()) not in text, (seed.name, sentence)


def test_demo_pages_render(client):
    load()
    for url in ["/", "/faqs/", "/news/", "/news/feed/", "/sitemap.xml"] + [
        obj.get_absolute_url() for obj in [*Page.objects.all(), *Post.objects.all()]
    ]:
        assert client.get(url).status_code == 200, url
