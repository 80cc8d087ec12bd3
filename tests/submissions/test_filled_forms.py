"""Coming back to a step: its form with the respondent's answers in, made from a shape each worker remembers
(submissions/filled_forms.py), must be the very HTML crispy-forms renders for it, whatever was typed, and must
never show one respondent's answers to another."""

import re

import pytest
from django.test import Client

from submissions import views

from .journey_helpers import ABOUT, _fresh_rate_limit, make_advice_call, make_ideas_call, url, walk_to_check  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

HOSTILE = "<script>alert(\"x\")</script> & 'quotes' \ue000name\ue001 \ue000 ü"
STEPS = ["respond_about", "respond_answers", "respond_publication"]


@pytest.fixture(autouse=True)
def made_from_a_shape(monkeypatch):
    """Every filled form the view made from a remembered shape (the test fails if it fell back to crispy)."""
    made = []
    make = views.filled_form_html

    def counting(*args):
        html = make(*args)
        made.append(html)
        return html

    monkeypatch.setattr(views, "filled_form_html", counting)
    yield made
    assert made and all(made)


def page(client, call, step):
    response = client.get(url(call, step))
    assert response.status_code == 200
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def rendered_directly(monkeypatch, client, call, step):
    with monkeypatch.context() as patch:
        patch.setattr(views, "filled_form_html", lambda *args: None)
        return page(client, call, step)


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize(
    "about",
    [
        ABOUT,
        {**ABOUT, "name": HOSTILE},
        {
            "respondent_type": "organisation",
            "organisation_name": "Voices & Co",
            "name": "Sam",
            "email": "s@example.org",
        },
    ],
    ids=["plain", "hostile", "organisation"],
)
def test_a_filled_form_is_the_html_crispy_renders_for_it(monkeypatch, step, about):
    call = make_advice_call()
    client = Client()
    walk_to_check(client, call, about=about)
    remembered = page(client, call, step)
    again = page(client, call, step)
    assert remembered == again == rendered_directly(monkeypatch, client, call, step)


def test_an_ideas_call_with_hostile_ideas_is_filled_in_exactly(monkeypatch):
    call = make_ideas_call()
    client = Client()
    ideas = {"idea_title_1": HOSTILE, "idea_body_1": f"First line\n{HOSTILE}\n\nLast line"}
    walk_to_check(client, call, answers=ideas)
    html = page(client, call, "respond_answers")
    assert html == rendered_directly(monkeypatch, client, call, "respond_answers")
    assert "<script>alert" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_the_idea_given_the_focus_after_add_another_has_it_in_the_filled_form(monkeypatch):
    call = make_ideas_call()
    client = Client()
    walk_to_check(client, call)
    response = client.post(
        url(call, "respond_answers"), {"idea_title_1": "Siblings", "idea_body_1": "Together.", "action": "add_idea"}
    )
    assert response.status_code == 302 and "focus=2" in response.url
    focused = client.get(response.url).content.decode()
    assert re.search(r'<input[^>]*name="idea_title_2"[^>]*autofocus', focused)
    unfocused = page(client, call, "respond_answers")
    assert not re.search(r"autofocus", unfocused)


def test_one_respondents_answers_never_show_in_anothers_form():
    call = make_advice_call()
    sam, alex = Client(), Client()
    walk_to_check(sam, call)
    walk_to_check(alex, call, about={**ABOUT, "name": "Alex Other", "email": "alex@example.org"})
    sams, alexs = page(sam, call, "respond_about"), page(alex, call, "respond_about")
    assert "Sam Example" in sams and "Alex Other" not in sams
    assert "Alex Other" in alexs and "Sam Example" not in alexs


def test_the_remembered_shape_holds_no_answer(monkeypatch):
    from core import cache as page_cache

    call = make_advice_call()
    walk_to_check(Client(), call, about={**ABOUT, "name": "Sam Example"})
    client = Client()
    walk_to_check(client, call)
    page(client, call, "respond_about")
    page(client, call, "respond_answers")
    kept = " ".join(str(value) for _, _, value in page_cache._Local.memo.values())
    keys = " ".join(str(key) for key in page_cache._Local.memo)
    for answer in ("Sam Example", "sam@example.org", "Keeping the same social worker"):
        assert answer not in kept and answer not in keys
