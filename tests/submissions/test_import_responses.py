"""import_responses: offline responses in the export's own layout, all or nothing, row- and column-numbered."""

import csv
import datetime
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command

from consultations.models import Call, Question
from core.csv import csv_lines
from outbox.models import EmailJob
from submissions import exports
from submissions.models import Answer, Idea, Submission
from submissions.services import imports
from submissions.services.imports import ImportRefused, responses_import
from tests.factories import AnswerFactory, CallFactory, IdeaFactory, QuestionFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2021, 7, 1, 12, 0, tzinfo=datetime.UTC)
HEADER = ["Reference", "Call", "Respondent type", "Status", "Submitted at (UK time)", "Publication choice"]
ADULT = "Care-experienced adult"
ANONYMOUS = "Publish my response anonymously"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def call():
    call = CallFactory(
        title="Call for Ideas",
        slug="call-for-ideas",
        kind=Call.Kind.IDEAS,
        idea_word_limit=20,
        max_ideas=3,
        opens_at=NOW - datetime.timedelta(days=40),
        closes_at=NOW - datetime.timedelta(days=5),
    )
    QuestionFactory(call=call, position=1, prompt="What helped you most?")
    QuestionFactory(
        call=call,
        position=2,
        prompt="Which of these did you have?",
        answer_type=Question.AnswerType.MANY_CHOICES,
        choices="A social worker\nA foster carer\nAdvice; then support",
    )
    short = Question.AnswerType.SHORT_TEXT
    QuestionFactory(call=call, position=3, prompt="Your age", answer_type=short, required=False)
    return call


def header(ideas=1, personal=False):
    cells = list(HEADER)
    if personal:
        cells += ["Name", "Organisation", "Email"]
    cells += ["What helped you most?", "Which of these did you have?", "Your age"]
    for number in range(1, ideas + 1):
        cells += [f"Idea {number} title", f"Idea {number}"]
    return [*cells, "Attachments"]


def row(**changes):
    values = {
        "Reference": "",
        "Call": "Call for Ideas",
        "Respondent type": ADULT,
        "Status": "",
        "Submitted at (UK time)": "2021-06-09 14:30:00",
        "Publication choice": ANONYMOUS,
        "What helped you most?": "A social worker who stayed.",
        "Which of these did you have?": "A social worker",
        "Your age": "",
        "Idea 1 title": "Stay put",
        "Idea 1": "Let children stay where they are settled.",
        "Attachments": "",
    }
    values.update(changes)
    return values


def csv_bytes(head, rows, *, bom=True):
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(head)
    for values in rows:
        writer.writerow([values.get(name, "") for name in head] if isinstance(values, dict) else values)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


def run_import(call, data, **options):
    options.setdefault("channel", Submission.Channel.POST)
    return responses_import(call=call, binary=io.BytesIO(data), **options)


def refused(call, data, **options):
    with pytest.raises(ImportRefused) as caught:
        run_import(call, data, **options)
    assert not Submission.objects.exists(), "a refused file stores nothing"
    return "\n".join(caught.value.messages)


def export_bytes(queryset):
    table = exports.ExportTable(queryset, personal=True)
    return "".join(csv_lines(table.header, table.rows())).encode()


# What is stored


def test_an_imported_response_waits_for_moderation_with_its_channel_a_new_reference_and_no_receipt(call):
    result = run_import(call, csv_bytes(header(), [row(Email="sam@example.org")]), channel=Submission.Channel.EMAIL)

    submission = Submission.objects.get()
    assert result.rows == 1 and result.references == [submission.reference]
    assert submission.reference.startswith("IDEAS-")
    assert submission.status == Submission.Status.PENDING
    assert submission.channel == Submission.Channel.EMAIL
    assert submission.submitted_at == datetime.datetime(2021, 6, 9, 13, 30, tzinfo=datetime.UTC)  # BST to UTC
    assert submission.publication == Submission.Publication.ANONYMOUS
    assert not EmailJob.objects.exists()
    assert not Submission.objects.receipt_pending().exists()
    assert [a.text for a in Answer.objects.filter(selected=[])] == ["A social worker who stayed."]
    assert Answer.objects.get(question__position=2).selected == ["A social worker"]
    assert list(Idea.objects.values_list("position", "title")) == [(1, "Stay put")]


def test_reference_status_submitted_at_and_attachments_may_be_left_out():
    call = CallFactory(kind=Call.Kind.ADVICE, title="Call for Advice")
    QuestionFactory(call=call, prompt="What would you change?")
    data = csv_bytes(
        ["Call", "Respondent type", "Publication choice", "What would you change?"],
        [["", "carer", "", "More respite."]],
        bom=False,
    )

    run_import(call, data)

    submission = Submission.objects.get()
    assert submission.submitted_at == NOW
    assert submission.respondent_type == Submission.RespondentType.CARER
    assert submission.publication == Submission.Publication.DO_NOT_PUBLISH, "nobody is published without asking"


def test_an_offline_response_may_leave_questions_and_ideas_empty_but_needs_one_answer_or_idea(call):
    only_idea = row(**{"What helped you most?": "", "Which of these did you have?": ""})
    nothing = row(**{"What helped you most?": "", "Which of these did you have?": "", "Idea 1 title": "", "Idea 1": ""})

    message = refused(call, csv_bytes(header(), [only_idea, nothing]))
    assert "Row 3 has no answers and no ideas" in message

    run_import(call, csv_bytes(header(), [only_idea]))
    assert Idea.objects.count() == 1 and not Answer.objects.exists()


def test_a_choice_that_holds_the_separator_is_read_whole(call):
    chosen = {"Which of these did you have?": "A foster carer; Advice; then support"}
    run_import(call, csv_bytes(header(), [row(**chosen)]))

    assert Answer.objects.get(question__position=2).selected == ["A foster carer", "Advice; then support"]


def test_a_reference_in_the_file_is_kept_and_the_same_file_twice_is_refused(call):
    data = csv_bytes(header(), [row(Reference="IDEAS-7K3Q-9XPD")])
    run_import(call, data)
    assert Submission.objects.get().reference == "IDEAS-7K3Q-9XPD"

    with pytest.raises(ImportRefused) as caught:
        run_import(call, data)
    assert "Row 2: the reference IDEAS-7K3Q-9XPD is already stored" in caught.value.messages[0]
    assert Submission.objects.count() == 1


def test_a_dry_run_checks_everything_and_stores_nothing(call):
    result = run_import(call, csv_bytes(header(), [row(), row()]), dry_run=True)

    assert result.rows == 2 and result.dry_run
    assert not Submission.objects.exists()


def test_formula_looking_cells_are_stored_as_text_and_our_own_quote_is_taken_off(call):
    data = csv_bytes(header(), [row(**{"What helped you most?": "'=1+1", "Idea 1 title": '=HYPERLINK("x")'})])

    run_import(call, data)

    assert Answer.objects.get(question__position=1).text == "=1+1"
    assert Idea.objects.get().title == '=HYPERLINK("x")'


# Export, import, export


def test_export_then_import_then_export_gives_the_same_answers_and_ideas(call):
    first, second, third = call.questions.order_by("position")
    sam = SubmissionFactory(
        call=call,
        reference="IDEAS-AAAA-0001",
        name="Sam Jones",
        email="sam@example.org",
        submitted_at=datetime.datetime(2021, 6, 9, 23, 30, tzinfo=datetime.UTC),
    )
    AnswerFactory(submission=sam, question=first, text='Line one,\nline two "quoted"; and =1+1')
    AnswerFactory(submission=sam, question=second, selected=["A social worker", "Advice; then support"])
    IdeaFactory(submission=sam, position=1, title="-Minus first", body="Café, naïve, 😀 and a tab\there.")
    IdeaFactory(submission=sam, position=2, title="Second", body="Two.")
    org = SubmissionFactory(
        call=call,
        reference="IDEAS-AAAA-0002",
        respondent_type=Submission.RespondentType.ORGANISATION,
        organisation_name="Sam's Charity",
        publication=Submission.Publication.WITH_NAME,
        submitted_at=datetime.datetime(2021, 1, 9, 9, 0, tzinfo=datetime.UTC),
    )
    AnswerFactory(submission=org, question=third, text="@18")
    before = export_bytes(Submission.objects.filter(call=call))

    Submission.objects.all().delete()
    result = run_import(call, before)
    after = export_bytes(Submission.objects.filter(call=call))

    assert result.rows == 2
    old, new = list(csv.reader(io.StringIO(before.decode()))), list(csv.reader(io.StringIO(after.decode())))
    status = old[0].index("Status")
    for old_row, new_row in zip(old, new, strict=True):
        assert old_row[:status] + old_row[status + 1 :] == new_row[:status] + new_row[status + 1 :]
    assert {row[status] for row in new[1:]} == {"Pending"}


def test_an_export_without_personal_data_imports_with_its_closing_count_line(call):
    SubmissionFactory(call=call, reference="IDEAS-BBBB-0001")
    AnswerFactory(submission=Submission.objects.get(), question=call.questions.first(), text="Kept.")
    table = exports.ExportTable(Submission.objects.all(), personal=False)
    data = "".join(csv_lines(table.header, table.rows())).encode()
    Submission.objects.all().delete()

    run_import(call, data)

    assert Answer.objects.get().text == "Kept."


# Bad input: the whole file is refused, nothing is stored, and the message names the row and column


def test_a_file_that_is_not_utf8_is_refused_naming_its_line(call):
    data = csv_bytes(header(), [row(), row(**{"What helped you most?": "Caf\u00e9"})])
    data = data.replace(b"Caf\xc3\xa9", b"Caf\xe9")  # the same word in Windows-1252

    assert "Line 3 of the file is not UTF-8" in refused(call, data)


def test_a_utf16_file_is_refused_with_how_to_save_it(call):
    data = (",".join(header()) + "\r\n").encode("utf-16")  # what Excel's "Unicode text" writes, BOM first

    assert "UTF-16" in refused(call, data)


def test_the_bom_the_export_writes_is_read_and_a_file_without_one_too(call):
    run_import(call, csv_bytes(header(), [row()], bom=True))
    run_import(call, csv_bytes(header(), [row()], bom=False))

    assert Submission.objects.count() == 2


def test_an_extra_column_is_refused_by_name(call):
    head = [*header(), "Notes"]

    message = refused(call, csv_bytes(head, [row(Notes="x")]))
    assert "Column M (“Notes”) is not a column of the export" in message


def test_a_missing_question_column_is_refused(call):
    head = [name for name in header() if name != "Your age"]

    assert "The column for the question “Your age” is missing." in refused(call, csv_bytes(head, [row()]))


def test_a_row_with_a_cell_missing_is_refused(call):
    data = csv_bytes(header(), [row(), list(row().values())[:-2]])

    assert "Row 3 has 10 cells but the header has 12" in refused(call, data)


def test_an_unknown_respondent_type_is_refused_naming_row_and_column(call):
    message = refused(call, csv_bytes(header(), [row(), row(**{"Respondent type": "Wizard"})]))

    assert "Row 3, column C (“Respondent type”): “Wizard” is not a respondent type." in message


def test_an_idea_over_the_word_limit_is_refused(call):
    message = refused(call, csv_bytes(header(), [row(**{"Idea 1": "word " * 21})]))

    assert "Row 2, column K (“Idea 1”): idea 1 has 21 words; ideas may have 20." in message


def test_ten_megabytes_in_one_cell_is_refused_as_longer_than_any_answer(call):
    message = refused(call, csv_bytes(header(), [row(**{"What helped you most?": "x" * 10_000_000})]))

    assert "Row 2, column G (“What helped you most?”): 10,000,000 characters, longer than any answer" in message


def test_nul_bytes_are_refused_naming_row_and_column(call):
    message = refused(call, csv_bytes(header(), [row(**{"Idea 1 title": "Stay\x00put"})]))

    assert "Row 2, column J (“Idea 1 title”): contains a NUL byte" in message


def test_an_organisation_without_its_name_is_refused_not_stored_half_true(call):
    message = refused(call, csv_bytes(header(), [row(**{"Respondent type": "Responding for an organisation"})]))

    assert "needs the organisation's name" in message


def test_every_problem_is_listed_once_the_file_is_read(call):
    rows = [row(), row(**{"Respondent type": "?"}), row(), row(**{"Submitted at (UK time)": "next week"})]

    message = refused(call, csv_bytes(header(), rows))
    assert "Row 3, column C" in message and "Row 5, column E" in message


def test_one_bad_row_after_a_whole_batch_refuses_the_batch_already_written(call, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_SIZE", 2)

    refused(call, csv_bytes(header(), [row(), row(), row(), row(**{"Publication choice": "Maybe"})]))


# The command


def test_the_command_imports_and_says_what_it_did(call, tmp_path):
    path = tmp_path / "letters.csv"
    path.write_bytes(csv_bytes(header(), [row()]))
    out = io.StringIO()

    call_command("import_responses", "call-for-ideas", str(path), "--channel", "post", stdout=out)

    assert "Imported 1 responses (2 answers, 1 ideas) to Call for Ideas, by post" in out.getvalue()
    assert Submission.objects.get().channel == Submission.Channel.POST


def test_the_command_refuses_a_bad_file_with_every_message(call, tmp_path):
    path = tmp_path / "letters.csv"
    path.write_bytes(csv_bytes(header(), [row(**{"Respondent type": "Wizard"})]))

    with pytest.raises(CommandError, match="Nothing was imported.\nRow 2, column C"):
        call_command("import_responses", "call-for-ideas", str(path))


def test_the_command_names_the_calls_when_the_slug_is_wrong(call, tmp_path):
    with pytest.raises(CommandError, match="call-for-ideas"):
        call_command("import_responses", "no-such-call", str(tmp_path / "x.csv"))
