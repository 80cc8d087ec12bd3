import csv
import datetime
import io
import zipfile

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from consultations.models import Question
from core.csv import neutralise
from submissions import exports
from submissions.models import Answer, Submission
from tests.factories import (
    AnswerFactory,
    AttachmentFactory,
    CallFactory,
    IdeaFactory,
    QuestionFactory,
    SubmissionFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/submissions/submission/"
EXPORT = "/admin/submissions/submission/export/"
PERSONAL = ["Sam Jones", "sam@example.org", "Sam's Charity", "Alex Kay", "alex@example.org"]


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user("mod", password="a-long-password-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def call():
    call = CallFactory(title="Call for Advice")
    QuestionFactory(call=call, position=1, prompt="What helped you most?")
    QuestionFactory(
        call=call,
        position=2,
        prompt="Which of these did you have?",
        answer_type=Question.AnswerType.MANY_CHOICES,
        choices="A social worker\nA foster carer\nAn advocate",
    )
    QuestionFactory(call=call, position=3, prompt="What should change?", required=False)
    return call


@pytest.fixture
def responses(call):
    first, second, third = call.questions.order_by("position")
    sam = SubmissionFactory(
        call=call,
        reference="ADVICE-000001",
        name="Sam Jones",
        email="sam@example.org",
        respondent_type=Submission.RespondentType.ORGANISATION,
        organisation_name="Sam's Charity",
        publication=Submission.Publication.WITH_NAME,
        submitted_at=datetime.datetime(2021, 6, 9, 23, 30, tzinfo=datetime.UTC),
    )
    AnswerFactory(submission=sam, question=first, text="My advocate.")
    AnswerFactory(submission=sam, question=second, selected=["A social worker", "An advocate"])
    AnswerFactory(submission=sam, question=third, text="Fewer moves.")
    IdeaFactory(submission=sam, position=1, title="Stay put", body="Let children stay where they are settled.")
    IdeaFactory(submission=sam, position=2, title="Advocates", body="An advocate for every child.")
    AttachmentFactory(submission=sam)
    AttachmentFactory(submission=sam)
    alex = SubmissionFactory(
        call=call,
        reference="ADVICE-000002",
        name="Alex Kay",
        email="alex@example.org",
        status=Submission.Status.APPROVED,
        submitted_at=datetime.datetime(2021, 6, 11, 9, 0, tzinfo=datetime.UTC),
    )
    AnswerFactory(submission=alex, question=first, text="My foster carer.")
    IdeaFactory(submission=alex, position=1, title="Keep in touch", body="Let siblings meet often.")
    return sam, alex


def read_csv(response):
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content)))


def read_xlsx(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [[cell.value for cell in row] for row in workbook.active.iter_rows()]


def as_dicts(rows):
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def test_csv_has_one_row_per_response_and_one_column_per_question(moderator_client, responses):
    rows = read_csv(moderator_client.get(EXPORT, {"format": "csv"}))

    assert rows[0] == [
        "Reference",
        "Call",
        "Respondent type",
        "Status",
        "Submitted at (UK time)",
        "Publication choice",
        "Name",
        "Organisation",
        "Email",
        "What helped you most?",
        "Which of these did you have?",
        "What should change?",
        "Idea 1 title",
        "Idea 1",
        "Idea 2 title",
        "Idea 2",
        "Attachments",
    ]
    sam, alex = as_dicts(rows)
    assert sam["Reference"] == "ADVICE-000001"
    assert sam["Respondent type"] == "Responding for an organisation"
    assert sam["Status"] == "Pending"
    # 23:30 UTC in June is half past midnight the next day in London.
    assert sam["Submitted at (UK time)"] == "2021-06-10 00:30:00"
    assert sam["Publication choice"] == "Publish my response with my name"
    assert (sam["Name"], sam["Organisation"], sam["Email"]) == ("Sam Jones", "Sam's Charity", "sam@example.org")
    assert sam["Which of these did you have?"] == "A social worker; An advocate"
    assert sam["What should change?"] == "Fewer moves."
    assert (sam["Idea 2 title"], sam["Idea 2"]) == ("Advocates", "An advocate for every child.")
    assert sam["Attachments"] == "2"
    assert alex["What should change?"] == ""
    assert (alex["Idea 1 title"], alex["Idea 2 title"]) == ("Keep in touch", "")
    assert alex["Attachments"] == "0"


def test_xlsx_has_the_same_columns_and_rows(moderator_client, responses):
    response = moderator_client.get(EXPORT, {"format": "xlsx"})

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = read_xlsx(response)
    sam, alex = as_dicts(rows)
    assert len(rows[0]) == 17
    assert sam["Which of these did you have?"] == "A social worker; An advocate"
    assert sam["Submitted at (UK time)"] == datetime.datetime(2021, 6, 10, 0, 30)
    assert sam["Attachments"] == 2
    assert alex["Idea 1"] == "Let siblings meet often."


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_without_personal_data_holds_no_name_email_or_organisation(moderator_client, responses, file_format):
    response = moderator_client.get(EXPORT, {"format": file_format, "personal": "0"})
    content = b"".join(response.streaming_content)
    if file_format == "xlsx":
        header = load_workbook(io.BytesIO(content)).active[1]
        header = [cell.value for cell in header]
        # The workbook is a zip: look at every file inside it, uncompressed.
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b"".join(archive.read(name) for name in archive.namelist())
    else:
        header = next(csv.reader(io.StringIO(content.decode("utf-8-sig"))))

    for value in PERSONAL:
        assert value.encode() not in content
        assert value.replace("'", "&apos;").encode() not in content
    assert not {"Name", "Email", "Organisation"} & set(header)
    assert b"My advocate." in content
    assert "without-personal-data" in response["Content-Disposition"]


def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(moderator_client, call):
    question = call.questions.get(position=1)
    attacks = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn"]
    for number, attack in enumerate(attacks):
        response = SubmissionFactory(call=call, reference=f"ADVICE-{number:06d}", name=attack)
        AnswerFactory(submission=response, question=question, text=attack)

    csv_rows = as_dicts(read_csv(moderator_client.get(EXPORT, {"format": "csv"})))
    xlsx = load_workbook(io.BytesIO(b"".join(moderator_client.get(EXPORT, {"format": "xlsx"}).streaming_content)))

    assert sorted(row["What helped you most?"] for row in csv_rows) == sorted("'" + attack for attack in attacks)
    assert sorted(row["Name"] for row in csv_rows) == sorted("'" + attack for attack in attacks)
    cells = [cell for row in xlsx.active.iter_rows(min_row=2) for cell in row]
    assert not [cell for cell in cells if cell.data_type == "f"]
    assert {cell.value for cell in cells if isinstance(cell.value, str) and "HYPERLINK" in cell.value} == {
        "'" + attacks[0]
    }


def test_text_with_a_dash_inside_and_numbers_are_left_alone():
    assert neutralise("A plain answer - with a dash") == "A plain answer - with a dash"
    assert neutralise(-3) == -3


def test_control_characters_do_not_break_the_workbook(moderator_client, call):
    response = SubmissionFactory(call=call)
    AnswerFactory(submission=response, question=call.questions.get(position=1), text="Bell\x07 and\x1b escape")

    (row,) = as_dicts(read_xlsx(moderator_client.get(EXPORT, {"format": "xlsx"})))

    assert row["What helped you most?"] == "Bell and escape"


def test_questions_are_grouped_by_call_when_the_export_spans_calls(moderator_client, responses):
    evidence = CallFactory(title="Call for Evidence")
    question = QuestionFactory(call=evidence, prompt="What does the evidence say?")
    AnswerFactory(submission=SubmissionFactory(call=evidence), question=question, text="Look at outcomes.")

    header, *rows = read_csv(moderator_client.get(EXPORT, {"format": "csv"}))

    assert "Call for Advice: What helped you most?" in header
    assert "Call for Evidence: What does the evidence say?" in header
    assert len(rows) == 3

    header, *rows = read_csv(moderator_client.get(EXPORT, {"format": "csv", "call__id__exact": responses[0].call_id}))
    assert "What helped you most?" in header
    assert len(rows) == 2


def test_export_of_the_list_applies_its_filters_and_is_linked_from_it(moderator_client, responses):
    page = moderator_client.get(CHANGELIST, {"status__exact": "approved"}).content.decode()
    assert f"{EXPORT}?format=csv&amp;personal=0&amp;status__exact=approved" in page

    rows = as_dicts(read_csv(moderator_client.get(EXPORT, {"format": "csv", "status__exact": "approved"})))

    assert [row["Reference"] for row in rows] == ["ADVICE-000002"]


def test_export_of_a_search_applies_the_search(moderator_client, responses):
    rows = as_dicts(read_csv(moderator_client.get(EXPORT, {"format": "csv", "q": "sam@example.org"})))
    assert [row["Reference"] for row in rows] == ["ADVICE-000001"]


def test_a_search_matching_several_answers_of_a_response_exports_it_once(moderator_client, responses):
    # "advocate" is in one of Sam's answers and in one of Sam's ideas.
    rows = as_dicts(read_csv(moderator_client.get(EXPORT, {"format": "csv", "q": "advocate"})))
    assert [row["Reference"] for row in rows] == ["ADVICE-000001"]


def test_invalid_filters_or_format_are_refused_with_a_message(moderator_client, responses):
    assert moderator_client.get(EXPORT, {"format": "pdf"}).status_code == 400
    assert moderator_client.get(EXPORT, {"format": "csv", "no_such_field": "1"}).status_code == 400


@pytest.mark.parametrize(
    ("action", "expected_class"),
    [
        ("export_csv", StreamingHttpResponse),
        ("export_csv_without_personal_data", StreamingHttpResponse),
        ("export_xlsx", FileResponse),
        ("export_xlsx_without_personal_data", FileResponse),
    ],
)
def test_admin_actions_export_only_the_selected_responses(moderator_client, responses, action, expected_class):
    sam, alex = responses

    response = moderator_client.post(CHANGELIST, {"action": action, "_selected_action": [alex.pk]})

    assert isinstance(response, expected_class)
    content = b"".join(response.streaming_content)
    if action.startswith("export_xlsx"):
        rows = [[c.value for c in r] for r in load_workbook(io.BytesIO(content)).active.iter_rows()]
    else:
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    body = rows[1:]
    if action.endswith("without_personal_data"):
        *body, last = body
        assert last[0] == "Possible personal details found by the check and replaced in this file: 0"
    assert [row[0] for row in body] == ["ADVICE-000002"]
    assert ("Email" in rows[0]) is ("personal" not in action)


def test_staff_without_the_export_permission_cannot_export(client, django_user_model, responses):
    user = django_user_model.objects.create_user("viewer", password="a-long-password-1", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_submission"))
    client.force_login(user)

    assert client.get(EXPORT, {"format": "csv"}).status_code == 403
    page = client.get(CHANGELIST).content.decode()
    assert "export_csv" not in page
    assert EXPORT not in page
    response = client.post(CHANGELIST, {"action": "export_csv", "_selected_action": [responses[0].pk]})
    assert not isinstance(response, StreamingHttpResponse)


def test_moderators_and_administrators_may_export():
    for name in ("Moderators", "Administrators"):
        assert Group.objects.get(name=name).permissions.filter(codename="export_submission").exists()
    assert not Group.objects.get(name="Content editors").permissions.filter(codename="export_submission").exists()


def bulk_responses(call, count):
    question = call.questions.get(position=1)
    now = timezone.now()
    submissions = Submission.objects.bulk_create(
        Submission(
            call=call,
            reference=f"BULK-{n:06d}",
            respondent_type=Submission.RespondentType.OTHER,
            publication=Submission.Publication.ANONYMOUS,
            consented_at=now,
            submitted_at=now,
        )
        for n in range(count)
    )
    Answer.objects.bulk_create(Answer(submission=s, question=question, text="Answer") for s in submissions)


def test_csv_export_streams_rows_in_chunks_not_one_query_per_row(moderator_client, call, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 500)
    bulk_responses(call, 2000)

    response = moderator_client.get(EXPORT, {"format": "csv"})
    assert isinstance(response, StreamingHttpResponse)
    with CaptureQueriesContext(connection) as queries:
        content = b"".join(response.streaming_content)

    assert content.count(b"\r\n") == 2001
    answer_fetches = [q for q in queries if 'FROM "submissions_answer"' in q["sql"]]
    # One prefetch of answers per chunk of 500, not one per response.
    assert len(answer_fetches) == 4
    assert len(queries) < 20


def test_xlsx_export_is_served_from_a_file_not_built_in_memory(moderator_client, call):
    bulk_responses(call, 50)

    response = moderator_client.get(EXPORT, {"format": "xlsx"})

    assert isinstance(response, FileResponse)
    # Sized up front: the workbook was written out to a file before the first byte was sent.
    assert int(response["Content-Length"]) > 0
    assert len(read_xlsx(response)) == 51
