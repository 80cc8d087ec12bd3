"""The analysis screens in the staff console: who may use them, what they count, and that no personal field of a
respondent ever shows on them or in their export."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from openpyxl import load_workbook

from analysis.models import Coding, Theme
from submissions.models import ExportRecord, Submission
from tests.factories import AnswerFactory, IdeaFactory, QuestionFactory, SubmissionFactory
from tests.submissions.staff import staff_user

from .factories import ThemeFactory, analyst, closed_ideas_call, code

pytestmark = pytest.mark.django_db

PERSONAL = ["Sam Jones", "sam@example.org", "Sam's Charity"]


def url(name, call=None, **query):
    base = reverse(f"admin:analysis_theme_{name}", kwargs={"call_id": call.pk} if call else None)
    return base + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


@pytest.fixture
def call():
    call = closed_ideas_call()
    QuestionFactory(call=call, position=1, prompt="What would you change?")
    return call


@pytest.fixture
def responses(call):
    question = call.questions.get()
    sam = SubmissionFactory(
        call=call,
        reference="IDEAS-AAAA-0001",
        name="Sam Jones",
        email="sam@example.org",
        respondent_type=Submission.RespondentType.ORGANISATION,
        organisation_name="Sam's Charity",
    )
    young = SubmissionFactory(call=call, reference="IDEAS-AAAA-0002", respondent_type="young_person")
    spam = SubmissionFactory(call=call, reference="IDEAS-AAAA-0003", status=Submission.Status.SPAM)
    ideas = [
        IdeaFactory(submission=sam, position=1, title="Corporate parents", body="Every council a corporate parent."),
        IdeaFactory(submission=sam, position=2, title="Stay put", body="Let children stay where they are settled."),
        IdeaFactory(submission=young, position=1, title="Same worker", body="Keep the same social worker for years."),
        IdeaFactory(submission=spam, position=1, title="Buy now", body="A corporate parent sale."),
    ]
    answers = [AnswerFactory(submission=sam, question=question, text="Ring me on 07700 900123, ask for Sam Jones.")]
    return {"sam": sam, "young": young, "spam": spam, "ideas": ideas, "answers": answers}


@pytest.fixture
def analyst_client(client):
    client.force_login(analyst())
    return client


def test_analysts_may_code_and_read_but_never_open_the_responses_list_or_moderation_screen(client, call, responses):
    client.force_login(analyst())

    assert client.get(url("overview", call)).status_code == 200
    assert client.get(url("items", call)).status_code == 200
    assert client.get(reverse("admin:submissions_submission_changelist")).status_code == 403
    moderate = reverse("admin:submissions_submission_moderate", args=[responses["sam"].pk])
    assert client.get(moderate).status_code == 403
    assert moderate not in client.get(url("items", call)).content.decode(), "no link an analyst cannot follow"
    assert client.get(url("import")).status_code == 403, "importing holds personal data: not an analyst's job"


def test_staff_without_an_analysis_role_see_no_analysis(client, call):
    client.force_login(staff_user("Content editors"))

    assert client.get(url("overview", call)).status_code == 403
    assert client.get(url("items", call)).status_code == 403


def test_no_screen_of_analysis_shows_a_name_email_or_organisation(analyst_client, call, responses):
    theme = ThemeFactory(call=call, name="Stability")
    code(theme, idea=responses["ideas"][0])
    pages = [
        url("overview", call),
        url("items", call),
        url("items", call, show="responses"),
        url("items", call, show=f"q{call.questions.get().pk}"),
        url("suggestions", call),
    ]
    for page in pages:
        html = analyst_client.get(page).content.decode()
        for value in ("Sam's Charity", "Sam&#x27;s Charity", "sam@example.org"):
            assert value not in html, page


def test_the_coding_screen_codes_the_ticked_items_and_nothing_from_elsewhere(analyst_client, call, responses):
    theme = ThemeFactory(call=call, name="Stability")
    stranger = IdeaFactory()  # another call's idea, its id forged into the form
    ideas = responses["ideas"]

    response = analyst_client.post(
        url("items", call, show="ideas"),
        {"theme": theme.pk, "action": "apply", "item": [ideas[1].pk, ideas[2].pk, stranger.pk]},
    )

    assert response.status_code == 302
    assert set(Coding.objects.values_list("idea_id", flat=True)) == {ideas[1].pk, ideas[2].pk}
    assert set(Coding.objects.values_list("coder__username", flat=True)) == {"analyst"}
    page = analyst_client.get(response.url, follow=True).content.decode()
    assert "applied to 2 items" in page
    assert "coded by analyst" in page


def test_apply_to_all_matching_codes_every_idea_the_search_finds_on_every_page(analyst_client, call, responses):
    theme = ThemeFactory(call=call, name="Corporate parenting")

    analyst_client.post(
        url("items", call, show="ideas", q="corporate+parent"), {"theme": theme.pk, "action": "apply_all"}
    )

    coded = set(Coding.objects.filter(theme=theme).values_list("idea_id", flat=True))
    assert coded == {responses["ideas"][0].pk}, "the spam response's idea is not analysed"


def test_a_search_filter_and_drill_down_by_theme_show_only_their_items(analyst_client, call, responses):
    theme = ThemeFactory(call=call, name="Stability")
    code(theme, idea=responses["ideas"][2])

    html = analyst_client.get(url("items", call, show="ideas", theme=theme.pk)).content.decode()
    assert "Same worker" in html and "Stay put" not in html
    html = analyst_client.get(url("items", call, show="ideas", uncoded="on")).content.decode()
    assert "Same worker" not in html and "Stay put" in html


def test_removing_needs_a_theme_and_ticked_items_and_says_so(analyst_client, call, responses):
    response = analyst_client.post(url("items", call, show="ideas"), {"action": "remove", "theme": ""})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a theme" in html and "Tick at least one item" in html


def test_the_overview_counts_themes_by_responses_and_type_with_pairs_and_what_is_left(analyst_client, call, responses):
    stability = ThemeFactory(call=call, name="Stability", colour="green")
    parents = ThemeFactory(call=call, name="Corporate parents")
    ideas = responses["ideas"]
    code(stability, idea=ideas[1])
    code(stability, idea=ideas[2])
    code(parents, idea=ideas[0])
    code(stability, idea=ideas[3])  # spam: not counted

    html = analyst_client.get(url("overview", call)).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))

    assert "Stability 2 2 100%" in text, "two items in two responses, of two analysable responses"
    assert "Corporate parents 1 1 50%" in text
    assert "Corporate parents Stability 1" in text, "the pair on Sam's response"
    assert "Ideas 3 0" in text.replace(",", "")
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="analysis-chart" role="img"' in html
    assert "Care-experienced child or young person (under 18)" in html


def test_the_overview_makes_the_same_queries_for_a_few_or_many_coded_items(
    analyst_client, call, responses, django_assert_max_num_queries
):
    theme = ThemeFactory(call=call)
    for idea in responses["ideas"]:
        code(theme, idea=idea)
    with django_assert_max_num_queries(30) as few:
        analyst_client.get(url("overview", call))
    for _ in range(10):
        submission = SubmissionFactory(call=call)
        code(ThemeFactory(call=call), idea=IdeaFactory(submission=submission, position=1))
        code(theme, submission=submission)
    with django_assert_max_num_queries(len(few)) as many:
        analyst_client.get(url("overview", call))
    assert len(many) == len(few)


def test_the_coded_data_export_has_one_row_per_item_with_its_themes_and_no_personal_data(
    analyst_client, call, responses
):
    theme = ThemeFactory(call=call, name="Stability")
    sub = ThemeFactory(call=call, name="Same worker", parent=theme)
    code(sub, idea=responses["ideas"][2])
    code(theme, answer=responses["answers"][0])

    response = analyst_client.get(url("export", call, format="csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))

    assert rows[0] == ["Item", "Reference", "Respondent type", "Came by", "Question", "Title", "Text", "Themes"]
    assert len(rows) == 1 + 3 + 1, "three ideas and one answer; the spam response's idea is left out"
    by_title = {row[5]: row for row in rows[1:]}
    assert by_title["Same worker"][7] == "Stability › Same worker"
    answer = next(row for row in rows[1:] if row[0] == "Answer")
    assert answer[7] == "Stability"
    assert "07700" not in answer[6] and "[phone number removed]" in answer[6]
    flat = "\n".join(",".join(row) for row in rows)
    for value in PERSONAL:
        assert value not in flat
    record = ExportRecord.objects.get()
    assert not record.personal and record.rows == 4 and record.details_replaced >= 2


def test_the_coded_data_export_as_a_workbook(analyst_client, call, responses):
    code(ThemeFactory(call=call, name="Stability"), idea=responses["ideas"][0])

    response = analyst_client.get(url("export", call, format="xlsx"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active

    rows = list(sheet.values)
    assert rows[0][0] == "Item" and len(rows) == 5
    assert any(row[7] == "Stability" for row in rows[1:])


def test_the_analysts_role_holds_every_analysis_permission_and_no_response_permission():
    group = Group.objects.get(name="Analysts")
    labels = {perm.content_type.app_label for perm in group.permissions.select_related("content_type")}

    assert labels == {"analysis"}
    assert group.permissions.filter(codename="add_coding").exists()
    administrators = Group.objects.get(name="Administrators")
    assert administrators.permissions.filter(codename="add_coding").exists()


def test_the_codebook_list_links_each_call_to_its_analysis(analyst_client, call):
    html = analyst_client.get(reverse("admin:analysis_theme_changelist")).content.decode()

    assert url("overview", call) in html


def test_the_admin_form_offers_only_top_level_themes_as_parents_and_refuses_a_sub_theme(analyst_client, call):
    top = ThemeFactory(call=call, name="Top")
    sub = ThemeFactory(call=call, name="Sub", parent=top)
    add = reverse("admin:analysis_theme_add")

    form = analyst_client.get(add).content.decode()
    assert f'<option value="{top.pk}">' in form and f'<option value="{sub.pk}">' not in form
    response = analyst_client.post(
        add, {"call": call.pk, "name": "Deeper", "description": "", "parent": sub.pk, "colour": "blue"}
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    response = analyst_client.post(
        add, {"call": call.pk, "name": "top", "description": "", "parent": "", "colour": "blue"}
    )
    assert "already has a theme with this name" in response.content.decode()
    assert not Theme.objects.filter(name__in=["Deeper", "top"]).exists()


def test_the_overview_is_kept_until_the_coding_changes_and_refresh_counts_again(analyst_client, call, responses):
    theme = ThemeFactory(call=call, name="Stability")
    overview = url("overview", call)
    assert "Stability 0 0 0%" in text_of(analyst_client.get(overview))

    analyst_client.post(
        url("items", call, show="ideas"), {"theme": theme.pk, "action": "apply", "item": [responses["ideas"][2].pk]}
    )
    assert "Stability 1 1 50%" in text_of(analyst_client.get(overview)), "coding shows at once"

    Submission.objects.filter(pk=responses["young"].pk).update(status=Submission.Status.SPAM)
    assert "Stability 1 1 50%" in text_of(analyst_client.get(overview)), "kept: a moderator's change shows later"
    assert "Stability 0 0 0%" in text_of(analyst_client.get(overview + "?refresh=1"))


def test_renaming_a_theme_shows_on_the_kept_overview_at_once(analyst_client, call, responses):
    theme = ThemeFactory(call=call, name="Stability")
    analyst_client.get(url("overview", call))

    theme.name = "Staying put"
    theme.save()

    assert "Staying put" in analyst_client.get(url("overview", call)).content.decode()


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
