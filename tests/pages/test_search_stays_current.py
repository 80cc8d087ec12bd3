"""Search finds what the site says now: on PostgreSQL each item's words are stored beside it (core/search_vector.py),
so every way content is written (a save, the admin, a bulk insert or update) must leave
search finding the new words and not the old ones."""

import pytest
from django.urls import reverse

from consultations.models import Call
from pages.models import FAQ, Page
from pages.search import search_site
from tests.factories import CallFactory, FAQFactory, PageFactory

pytestmark = pytest.mark.django_db


def titles(query):
    return [r.title for r in search_site(query)]


def test_a_page_is_found_by_its_new_words_once_edited_and_no_longer_by_its_old_ones():
    page = PageFactory(title="Housing", body="Where care leavers live.")
    assert titles("leavers") == ["Housing"]

    page.body = "Where young people go after foster care."
    page.save()

    assert titles("leavers") == []
    assert titles("foster") == ["Housing"]


def test_a_faq_edited_in_the_admin_is_found_by_its_new_answer(admin_client):
    faq = FAQFactory(question="Who can respond?", answer="Anyone over sixteen.", slug="who")
    data = {"question": faq.question, "slug": faq.slug, "answer": "Anyone, including kinship carers.", "position": 1}

    response = admin_client.post(reverse("admin:pages_faq_change", args=[faq.pk]), data)

    assert response.status_code == 302
    assert titles("kinship") == ["Who can respond?"]
    assert titles("sixteen") == []


def test_content_written_in_bulk_is_found():
    FAQ.objects.bulk_create([FAQ(question="Is there a helpline?", slug="helpline", answer="Ring the advocacy line.")])
    CallFactory(title="Call for Evidence", body="Tell us about residential homes.")
    assert titles("advocacy") == ["Is there a helpline?"]

    Call.objects.update(body="Tell us about secure children's homes.")
    FAQ.objects.filter(slug="helpline").update(question="Is there a phone line?")

    assert titles("residential") == []
    assert titles("secure") == ["Call for Evidence"]
    assert titles("helpline") == []
    assert titles("phone advocacy") == ["Is there a phone line?"]


def test_a_new_title_counts_as_a_title_match():
    PageFactory(title="Adoption", body="Adoption in England.")
    renamed = PageFactory(title="Our visits", body="We heard about adoption.")
    assert titles("adoption") == ["Adoption", "Our visits"]

    renamed.title = "Adoption support"
    renamed.save()
    Page.objects.filter(title="Adoption").update(title="Findings")

    assert titles("adoption") == ["Adoption support", "Findings"]
