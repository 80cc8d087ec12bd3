"""The response journey, step by step and end to end, with the Django test client (no JavaScript involved)."""

import re

import pytest
from django.core import mail

from submissions.models import Answer, Idea, Submission
from tests.factories import CallFactory
from tests.worker import send_queued_emails

from .journey_helpers import (
    ABOUT,
    PUBLICATION,
    _fresh_rate_limit,  # noqa: F401 - autouse fixture
    answers_for,
    make_advice_call,
    make_ideas_call,
    submit,
    url,
    walk_to_check,
)

pytestmark = pytest.mark.django_db


def error_summary(response):
    html = response.content.decode()
    assert "govuk-error-summary" in html, "expected the GOV.UK error summary"
    return html


# The whole journey


def test_respondent_can_answer_every_kind_of_question_and_gets_a_reference(client, django_capture_on_commit_callbacks):
    call = make_advice_call()
    start = client.get(url(call, "respond_start"))
    assert start.status_code == 302 and start.url == url(call, "respond_about")
    check = walk_to_check(client, call)
    assert check.status_code == 200
    html = check.content.decode()
    assert "Keeping the same social worker for more than a year." in html
    assert "A social worker" in html and "A teacher" in html

    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, call)
    assert response.status_code == 302 and response.url == url(call, "respond_confirmation")

    submission = Submission.objects.get()
    assert submission.status == Submission.Status.PENDING
    assert submission.call == call
    assert submission.respondent_type == "care_experienced_adult"
    assert submission.name == "Sam Example" and submission.email == "sam@example.org"
    assert submission.publication == Submission.Publication.ANONYMOUS
    assert submission.consented_at is not None and submission.submitted_at is not None
    answers = {a.question.position: a for a in submission.answers.select_related("question")}
    assert answers[1].text == "Sam"
    assert answers[2].text == "Keeping the same social worker for more than a year."
    assert answers[3].selected == ["5 to 11"]
    assert answers[4].selected == ["A social worker", "A teacher"]

    confirmation = client.get(response.url)
    assert confirmation.status_code == 200
    page = confirmation.content.decode()
    assert "govuk-panel--confirmation" in page
    assert submission.reference in page
    assert "What happens next" in page
    # The receipt is queued, and sent by the worker, not by the request.
    assert mail.outbox == []
    send_queued_emails()
    assert len(mail.outbox) == 1


def test_reference_has_the_call_prefix_and_no_ambiguous_characters(client):
    call = make_advice_call()
    walk_to_check(client, call)
    submit(client, call)
    reference = Submission.objects.get().reference
    prefix, first, second = reference.split("-")
    assert prefix == "ADVICE"
    assert len(first) == len(second) == 4
    assert not set(first + second) & set("0O1IL")


def test_optional_questions_can_be_left_empty(client):
    call = make_advice_call()
    answers = answers_for(call)
    optional = f"q_{call.questions.get(position=4).pk}"
    del answers[optional]
    walk_to_check(client, call, answers=answers)
    submit(client, call)
    submission = Submission.objects.get()
    assert submission.answers.count() == 3
    assert not submission.answers.filter(question__position=4).exists()


def test_confirmation_without_a_journey_goes_back_to_the_start(client):
    call = make_advice_call()
    response = client.get(url(call, "respond_confirmation"))
    assert response.status_code == 302 and response.url == url(call, "respond_start")


# Step 1: about you


def test_about_you_requires_a_choice(client):
    call = make_advice_call()
    response = client.post(url(call, "respond_about"), {})
    assert response.status_code == 200
    html = error_summary(response)
    assert "Select which of these best describes you" in html
    assert "<title>Error: About you" in html
    # The summary links to the first radio, which exists.
    assert 'href="#id_respondent_type_0"' in html and 'id="id_respondent_type_0"' in html


def test_organisation_name_is_required_only_for_organisations(client):
    call = make_advice_call()
    response = client.post(url(call, "respond_about"), {"respondent_type": "organisation"})
    assert "Enter the name of the organisation" in error_summary(response)
    response = client.post(
        url(call, "respond_about"), {"respondent_type": "organisation", "organisation_name": "Acorn"}
    )
    assert response.status_code == 302
    response = client.post(url(call, "respond_about"), {"respondent_type": "carer"})
    assert response.status_code == 302


def test_organisation_name_field_is_in_the_page_without_javascript(client):
    call = make_advice_call()
    html = client.get(url(call, "respond_about")).content.decode()
    # Revealed by GOV.UK Frontend's radios when JavaScript runs; shown inline when it does not.
    assert 'name="organisation_name"' in html
    assert "govuk-radios__conditional" in html


def test_organisation_name_typed_then_abandoned_is_not_stored(client):
    call = make_advice_call()
    about = {**ABOUT, "organisation_name": "Acorn Trust"}
    walk_to_check(client, call, about=about)
    submit(client, call)
    assert Submission.objects.get().organisation_name == ""


def test_an_invalid_email_address_is_refused(client):
    call = make_advice_call()
    response = client.post(url(call, "respond_about"), {**ABOUT, "email": "not an email"})
    assert "Enter an email address in the correct format, like name@example.com" in error_summary(response)


def test_an_unknown_respondent_type_is_refused(client):
    call = make_advice_call()
    response = client.post(url(call, "respond_about"), {**ABOUT, "respondent_type": "astronaut"})
    assert "Select which of these best describes you" in error_summary(response)


def test_email_is_optional_and_without_it_no_receipt_is_sent(client, django_capture_on_commit_callbacks):
    call = make_advice_call()
    walk_to_check(client, call, about={"respondent_type": "family"})
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, call)
    assert Submission.objects.get().email == ""
    assert mail.outbox == []
    assert "we cannot send you a receipt" in client.get(url(call, "respond_confirmation")).content.decode()


# Step 2: the call's questions


def test_required_questions_must_be_answered(client):
    call = make_advice_call()
    client.post(url(call, "respond_about"), ABOUT)
    response = client.post(url(call, "respond_answers"), {})
    html = error_summary(response)
    assert "Enter your answer to question 1" in html
    assert "Enter your answer to question 2" in html
    assert "Select an answer to question 3" in html
    assert "question 4" not in html  # optional


def test_long_answer_over_the_word_limit_is_refused(client):
    call = make_advice_call()
    client.post(url(call, "respond_about"), ABOUT)
    answers = answers_for(call)
    long_question = call.questions.get(position=2)
    answers[f"q_{long_question.pk}"] = "word " * 51
    html = error_summary(client.post(url(call, "respond_answers"), answers))
    assert "Your answer to question 2 must be 50 words or fewer" in html
    answers[f"q_{long_question.pk}"] = "word " * 50
    assert client.post(url(call, "respond_answers"), answers).status_code == 302


def test_long_answer_uses_the_character_count_in_word_mode(client):
    call = make_advice_call()
    client.post(url(call, "respond_about"), ABOUT)
    html = client.get(url(call, "respond_answers")).content.decode()
    assert 'data-module="govuk-character-count"' in html
    assert 'data-maxwords="50"' in html


def test_short_answer_over_500_characters_is_refused(client):
    call = make_advice_call()
    client.post(url(call, "respond_about"), ABOUT)
    answers = answers_for(call)
    answers[f"q_{call.questions.get(position=1).pk}"] = "x" * 501
    assert "Your answer to question 1 must be 500 characters or fewer" in error_summary(
        client.post(url(call, "respond_answers"), answers)
    )


def test_a_100000_character_answer_is_refused_not_stored(client):
    call = make_advice_call()
    client.post(url(call, "respond_about"), ABOUT)
    answers = answers_for(call)
    answers[f"q_{call.questions.get(position=2).pk}"] = "a" * 100_000
    response = client.post(url(call, "respond_answers"), answers)
    assert "Your answer to question 2 must be 20,000 characters or fewer" in error_summary(response)
    assert Answer.objects.count() == 0


def test_an_answer_with_a_nul_character_is_refused(client):
    call = make_advice_call()
    client.post(url(call, "respond_about"), ABOUT)
    answers = answers_for(call)
    answers[f"q_{call.questions.get(position=1).pk}"] = "Sam\x00"
    assert "Your answer to question 1 must not contain hidden control characters" in error_summary(
        client.post(url(call, "respond_answers"), answers)
    )


def test_a_choice_that_was_not_offered_is_refused(client):
    call = make_advice_call()
    client.post(url(call, "respond_about"), ABOUT)
    answers = answers_for(call)
    answers[f"q_{call.questions.get(position=3).pk}"] = "Over 100"
    answers[f"q_{call.questions.get(position=4).pk}"] = ["A teacher", "A wizard"]
    html = error_summary(client.post(url(call, "respond_answers"), answers))
    assert "Select one of the answers given for question 3" in html
    assert "Select only the answers given for question 4" in html


# Ideas


def test_call_for_ideas_takes_several_ideas_with_add_another(client):
    call = make_ideas_call()
    client.post(url(call, "respond_about"), ABOUT)
    first = {"idea_title_1": "Same worker", "idea_body_1": "Keep one social worker for years."}
    response = client.post(url(call, "respond_answers"), {**first, "action": "add_idea"})
    assert response.status_code == 302 and response.url.endswith("?focus=2")
    page = client.get(url(call, "respond_answers")).content.decode()
    # What was typed is still there, and a second idea has appeared.
    assert "Keep one social worker for years." in page
    assert 'name="idea_title_2"' in page
    assert 'value="remove_idea_2"' in page
    second = {"idea_title_2": "Sibling visits", "idea_body_2": "Pay for brothers and sisters to visit."}
    response = client.post(url(call, "respond_answers"), {**first, **second, "action": "continue"})
    assert response.status_code == 302
    client.post(url(call, "respond_publication"), PUBLICATION)
    submit(client, call)
    ideas = list(Idea.objects.order_by("position").values_list("position", "title", "body"))
    assert ideas == [
        (1, "Same worker", "Keep one social worker for years."),
        (2, "Sibling visits", "Pay for brothers and sisters to visit."),
    ]


def test_an_idea_can_be_removed_and_the_later_ones_move_up(client):
    call = make_ideas_call()
    client.post(url(call, "respond_about"), ABOUT)
    data = {"idea_title_1": "One", "idea_body_1": "First idea."}
    client.post(url(call, "respond_answers"), {**data, "action": "add_idea"})
    data.update({"idea_title_2": "Two", "idea_body_2": "Second idea."})
    client.post(url(call, "respond_answers"), {**data, "action": "add_idea"})
    data.update({"idea_title_3": "Three", "idea_body_3": "Third idea."})
    response = client.post(url(call, "respond_answers"), {**data, "action": "remove_idea_2"})
    assert response.status_code == 302
    page = client.get(url(call, "respond_answers")).content.decode()
    assert "Second idea." not in page
    assert "Third idea." in page
    assert 'name="idea_title_3"' not in page


def test_ideas_stop_at_the_calls_maximum(client):
    call = make_ideas_call(max_ideas=2)
    client.post(url(call, "respond_about"), ABOUT)
    for _ in range(3):
        client.post(url(call, "respond_answers"), {"action": "add_idea"})
    page = client.get(url(call, "respond_answers")).content.decode()
    assert 'name="idea_title_2"' in page and 'name="idea_title_3"' not in page
    assert 'value="add_idea"' not in page


def test_an_idea_needs_a_title_and_stays_within_the_word_limit(client):
    call = make_ideas_call(idea_word_limit=5)
    client.post(url(call, "respond_about"), ABOUT)
    html = error_summary(client.post(url(call, "respond_answers"), {"idea_body_1": "one two three four five six"}))
    assert "Enter a title for idea 1" in html
    assert "Idea 1 must be 5 words or fewer" in html
    html = error_summary(client.post(url(call, "respond_answers"), {"idea_title_1": "x" * 151}))
    assert "The title of idea 1 must be 150 characters or fewer" in html
    assert "Describe idea 1" in html


def test_idea_body_uses_the_character_count_in_word_mode(client):
    call = make_ideas_call(idea_word_limit=20)
    client.post(url(call, "respond_about"), ABOUT)
    html = client.get(url(call, "respond_answers")).content.decode()
    assert 'data-maxwords="20"' in html


# Step 4: publishing and consent


def test_consent_to_the_privacy_notice_is_required(client):
    call = make_advice_call()
    client.post(url(call, "respond_about"), ABOUT)
    client.post(url(call, "respond_answers"), answers_for(call))
    page = client.get(url(call, "respond_publication")).content.decode()
    assert 'href="/privacy/"' in page
    html = error_summary(client.post(url(call, "respond_publication"), {}))
    assert "Select whether we can publish your response" in html
    assert "Confirm that you have read the privacy notice and agree to it" in html


def test_when_the_call_does_not_publish_responses_do_not_publish_is_recorded(client):
    call = make_advice_call(responses_may_be_published=False)
    client.post(url(call, "respond_about"), ABOUT)
    client.post(url(call, "respond_answers"), answers_for(call))
    page = client.get(url(call, "respond_publication")).content.decode()
    assert 'name="publication"' not in page
    assert "We will not publish responses to this call" in page
    response = client.post(url(call, "respond_publication"), {"publication": "with_name", "consent": "on"})
    assert response.status_code == 302
    submit(client, call)
    assert Submission.objects.get().publication == Submission.Publication.DO_NOT_PUBLISH


# Order, Back and Change


def test_skipping_ahead_redirects_to_the_first_incomplete_step(client):
    call = make_advice_call()
    for name in ("respond_answers", "respond_publication", "respond_check"):
        response = client.get(url(call, name))
        assert response.status_code == 302 and response.url == url(call, "respond_about"), name
    client.post(url(call, "respond_about"), ABOUT)
    response = client.get(url(call, "respond_check"))
    assert response.url == url(call, "respond_answers")
    # Posting a later step without the earlier ones stores nothing and redirects too.
    response = client.post(url(call, "respond_publication"), PUBLICATION)
    assert response.status_code == 302 and response.url == url(call, "respond_answers")


def test_submit_without_the_earlier_steps_stores_nothing(client):
    call = make_advice_call()
    client.post(url(call, "respond_about"), ABOUT)
    response = submit(client, call)
    assert response.status_code == 302 and response.url == url(call, "respond_answers")
    assert Submission.objects.count() == 0


def test_back_link_returns_to_the_previous_step_with_answers_kept(client):
    call = make_advice_call()
    client.post(url(call, "respond_about"), {**ABOUT, "name": "Robin Example"})
    page = client.get(url(call, "respond_answers")).content.decode()
    assert f'href="{url(call, "respond_about")}" class="govuk-back-link"' in page
    about = client.get(url(call, "respond_about")).content.decode()
    assert 'value="Robin Example"' in about
    assert re.search(r'value="care_experienced_adult"\s+checked', about)


def test_a_refused_answer_is_shown_back_and_the_last_valid_answers_are_kept(client):
    call = make_advice_call()
    client.post(url(call, "respond_about"), ABOUT)
    assert client.post(url(call, "respond_answers"), answers_for(call)).status_code == 302
    long_answer = f"q_{call.questions.get(position=2).pk}"
    answers = {**answers_for(call), long_answer: "A new answer, " + "too long " * 50}
    refused = client.post(url(call, "respond_answers"), answers)
    # The refused text comes back from the POST itself, with its error...
    assert refused.status_code == 200
    assert "A new answer, too long" in error_summary(refused)
    # ...and is never stored: Back, then forward again, shows the last answers that were valid.
    page = client.get(url(call, "respond_answers")).content.decode()
    assert "Keeping the same social worker for more than a year." in page
    assert "A new answer" not in page
    assert "govuk-error-summary" not in page


def test_change_link_returns_to_check_answers_with_the_new_answer(client):
    call = make_advice_call()
    check = walk_to_check(client, call).content.decode()
    change_url = url(call, "respond_about") + "?change=1"
    assert f'href="{change_url}"' in check
    response = client.post(change_url, {**ABOUT, "name": "Alex Example"})
    assert response.status_code == 302 and response.url == url(call, "respond_check")
    check = client.get(url(call, "respond_check")).content.decode()
    assert "Alex Example" in check
    assert "Keeping the same social worker for more than a year." in check


def test_every_journey_page_has_the_support_box_and_exit_this_page(client):
    call = make_advice_call()
    pages = [url(call, "respond_about")]
    client.post(url(call, "respond_about"), ABOUT)
    pages.append(url(call, "respond_answers"))
    client.post(url(call, "respond_answers"), answers_for(call))
    pages.append(url(call, "respond_publication"))
    walk_to_check(client, call)
    pages.append(url(call, "respond_check"))
    for page_url in pages:
        html = client.get(page_url).content.decode()
        assert "If you need support" in html, page_url
        assert "0808 800 5000" in html and "0800 1111" in html, page_url
        assert 'data-module="govuk-exit-this-page"' in html, page_url
        assert 'href="https://www.bbc.co.uk/weather"' in html, page_url
    submit(client, call)
    html = client.get(url(call, "respond_confirmation")).content.decode()
    assert "If you need support" in html and 'data-module="govuk-exit-this-page"' in html


def test_journeys_for_two_calls_do_not_mix(client):
    first, second = make_advice_call(), make_advice_call()
    client.post(url(first, "respond_about"), {**ABOUT, "name": "First Person"})
    client.post(url(second, "respond_about"), {**ABOUT, "name": "Second Person"})
    assert 'value="First Person"' in client.get(url(first, "respond_about")).content.decode()
    assert 'value="Second Person"' in client.get(url(second, "respond_about")).content.decode()


# Unknown and not-open calls


def test_unknown_call_is_404(client):
    assert client.get("/calls/no-such-call/respond/about-you/").status_code == 404


@pytest.mark.parametrize("name", ["respond_start", "respond_about", "respond_answers", "respond_check"])
def test_upcoming_call_shows_a_clear_page_and_no_form(client, name):
    from django.utils import timezone

    call = CallFactory(opens_at=timezone.now() + timezone.timedelta(days=2))
    response = client.get(url(call, name))
    assert response.status_code == 403
    html = response.content.decode()
    assert "This call is not open yet" in html
    assert "<form" not in html.split('id="main-content"')[1]


@pytest.mark.parametrize("name", ["respond_start", "respond_about", "respond_publication", "respond_check"])
def test_closed_call_shows_a_clear_page_and_no_form(client, name):
    from django.utils import timezone

    now = timezone.now()
    call = CallFactory(opens_at=now - timezone.timedelta(days=30), closes_at=now - timezone.timedelta(days=1))
    response = client.get(url(call, name))
    assert response.status_code == 410
    html = response.content.decode()
    assert "This call has closed" in html
    assert "<form" not in html.split('id="main-content"')[1]


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("name", "Your name must not contain hidden control characters"),
        ("email", "Your email address must not contain hidden control characters"),
    ],
)
def test_about_you_refuses_nul_characters(client, field, message):
    call = make_advice_call()
    response = client.post(url(call, "respond_about"), {**ABOUT, field: "sam\x00@example.org"})
    assert message in error_summary(response)


def test_a_200_character_limit_applies_to_names(client):
    call = make_advice_call()
    response = client.post(url(call, "respond_about"), {**ABOUT, "name": "n" * 201})
    assert "Your name must be 200 characters or fewer" in error_summary(response)


def test_text_boxes_never_cut_text_off_silently(client):
    call = make_ideas_call()

    def journey_form(page_url):  # the page's own form, not the site's search box in the header
        return client.get(page_url).content.decode().split('id="main-content"')[1]

    assert "maxlength" not in journey_form(url(call, "respond_about"))
    client.post(url(call, "respond_about"), ABOUT)
    assert "maxlength" not in journey_form(url(call, "respond_answers"))
