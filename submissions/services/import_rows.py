"""The rows of an import (services/imports.py): the header read against the call, and each row checked and turned
into an unsaved Submission with its Answers and Ideas. Messages name the row (a spreadsheet's: the header is row 1)
and the column (by letter and header name)."""

import csv
import datetime
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from consultations.models import Call, Question
from core.csv import FORMULA_TRIGGERS

from ..forms import IDEA_TITLE_MAX, LONG_TEXT_MAX, SHORT_TEXT_MAX, count_words
from ..models import Answer, Idea, Submission

LONDON = ZoneInfo("Europe/London")
# Cells up to this size are read, so that one too long for any answer is refused naming its row and column; a larger
# one stops the csv module itself (its own default, 128 KiB, would stop a 10 MB cell without saying which column).
CELL_READ_LIMIT = 16 * 1024 * 1024
csv.field_size_limit(max(csv.field_size_limit(), CELL_READ_LIMIT))

REFERENCE, CALL, RESPONDENT_TYPE, STATUS, SUBMITTED_AT, PUBLICATION = (
    "Reference",
    "Call",
    "Respondent type",
    "Status",
    "Submitted at (UK time)",
    "Publication choice",
)
NAME, ORGANISATION, EMAIL, ATTACHMENTS = "Name", "Organisation", "Email", "Attachments"
REQUIRED = (CALL, RESPONDENT_TYPE, PUBLICATION)
OPTIONAL = (REFERENCE, STATUS, SUBMITTED_AT, NAME, ORGANISATION, EMAIL, ATTACHMENTS)
IDEA_RE = re.compile(r"^Idea ([1-9][0-9]{0,3})( title)?$")
REFERENCE_RE = re.compile(r"^[A-Z]+(-[A-Z0-9]+)+$")
# The last line of an export without personal data, which counts what the personal-data check replaced.
EXPORT_TRAILER = "Possible personal details found by the check"
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y")
IMPORT_CHANNELS = [choice for choice in Submission.Channel.values if choice != Submission.Channel.WEB]


class ImportRefused(Exception):
    """The file was not imported, and nothing was stored; `messages` say why, row by row."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass
class ImportResult:
    rows: int = 0
    answers: int = 0
    ideas: int = 0
    dry_run: bool = False
    references: list[str] = field(default_factory=list)  # the first few, for the message staff see


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: as a spreadsheet names its columns."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def unneutralise(value: str) -> str:
    """The text our export wrote behind a leading quote, so that no spreadsheet runs it as a formula."""
    if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def _by_label(choices) -> dict[str, str]:
    return {key.casefold(): value for value, label in choices for key in (value, label)}


RESPONDENT_TYPES = _by_label(Submission.RespondentType.choices)
PUBLICATIONS = _by_label(Submission.Publication.choices)


@dataclass
class _Layout:
    """Which column holds what, from the header."""

    header: list[str]
    fields: dict[str, int]  # REQUIRED and OPTIONAL names -> column index
    questions: list[tuple[Question, int]]
    ideas: list[tuple[int, int, int]]  # (number, title column, body column)

    def where(self, column: int) -> str:
        return f"column {column_letter(column)} (“{self.header[column]}”)"


def read_header(cells: list[str], call: Call) -> _Layout:
    questions = list(call.questions.order_by("position", "id"))
    by_prompt = {}
    for question in questions:
        by_prompt.setdefault(question.prompt.strip(), question)
        by_prompt.setdefault(f"{call.title}: {question.prompt}".strip(), question)
    header = [unneutralise(cell).strip() for cell in cells]
    while header and header[-1] == "":  # a spreadsheet may pad the header with empty cells
        header.pop()
    problems, fields, found, idea_columns, seen = [], {}, {}, {}, set()
    for index, name in enumerate(header):
        where = f"Column {column_letter(index)} (“{name}”)"
        if name in seen:
            problems.append(f"{where} appears twice in the header.")
            continue
        seen.add(name)
        if name in REQUIRED or name in OPTIONAL:
            fields[name] = index
        elif name in by_prompt:
            found[by_prompt[name].pk] = (by_prompt[name], index)
        elif match := IDEA_RE.match(name):
            if not call.is_ideas:
                problems.append(f"{where}: {call.title} does not take ideas.")
            idea_columns.setdefault(int(match[1]), {})["title" if match[2] else "body"] = index
        else:
            problems.append(f"{where} is not a column of the export for {call.title}.")
    for name in REQUIRED:
        if name not in fields:
            problems.append(f"The column “{name}” is missing.")
    for question in questions:
        if question.pk not in found:
            problems.append(f"The column for the question “{question.prompt}” is missing.")
    ideas = []
    for number in range(1, len(idea_columns) + 1):
        pair = idea_columns.get(number, {})
        if set(pair) != {"title", "body"}:
            problems.append(f"Ideas need both “Idea {number} title” and “Idea {number}” columns, numbered from 1.")
            break
        ideas.append((number, pair["title"], pair["body"]))
    if problems:
        raise ImportRefused(["The header does not match the export's layout:", *problems])
    return _Layout(header, fields, [found[q.pk] for q in questions], ideas)


@dataclass
class Row:
    number: int
    submission: Submission
    answers: list[Answer]
    ideas: list[Idea]


class RowReader:
    """Checks one row against the call and builds its unsaved Submission, Answers and Ideas."""

    def __init__(self, *, call: Call, layout: _Layout, channel: str, now: datetime.datetime):
        self.call, self.layout, self.channel, self.now = call, layout, channel, now

    def read(self, number: int, cells: list[str]) -> tuple[Row | None, list[str]]:
        layout, problems = self.layout, []
        width = len(layout.header)
        if len(cells) > width and not any(cell.strip() for cell in cells[width:]):
            cells = cells[:width]
        if len(cells) != width:
            return None, [f"Row {number} has {len(cells)} cells but the header has {width}: one is missing or extra."]

        def problem(column, text):
            problems.append(f"Row {number}, {layout.where(column)}: {text}")

        values = []
        for index, cell in enumerate(cells):
            if "\x00" in cell:
                problem(index, "contains a NUL byte (a hidden control character). Remove it and import again.")
                cell = cell.replace("\x00", "")
            values.append(unneutralise(cell))

        def get(name):
            index = layout.fields.get(name)
            return ("", None) if index is None else (values[index].strip(), index)

        submission = Submission(call=self.call, channel=self.channel, status=Submission.Status.PENDING)
        self._read_response(submission, get, problem)
        answers = self._read_answers(values, problem)
        ideas = self._read_ideas(values, problem)
        if not answers and not ideas and not problems:
            problems.append(f"Row {number} has no answers and no ideas: a response needs at least one.")
        if problems:
            return None, problems
        return Row(number, submission, answers, ideas), []

    def _read_response(self, submission, get, problem):
        call_title, column = get(CALL)
        if call_title and call_title != self.call.title:
            problem(column, f"this row is for “{call_title}”, not {self.call.title}.")
        reference, column = get(REFERENCE)
        if reference:
            reference = reference.upper()
            if len(reference) > 32 or not REFERENCE_RE.match(reference):
                problem(column, "a reference is letters and digits in groups joined by hyphens, like IDEAS-7K3Q-9XPD.")
            submission.reference = reference
        kind, column = get(RESPONDENT_TYPE)
        if kind.casefold() in RESPONDENT_TYPES:
            submission.respondent_type = RESPONDENT_TYPES[kind.casefold()]
        else:
            labels = "; ".join(label for _, label in Submission.RespondentType.choices)
            problem(column, f"“{kind[:100]}” is not a respondent type. Use one of: {labels}." if kind else "is empty.")
        publication, column = get(PUBLICATION)
        if not publication:
            submission.publication = Submission.Publication.DO_NOT_PUBLISH
        elif publication.casefold() in PUBLICATIONS:
            submission.publication = PUBLICATIONS[publication.casefold()]
        else:
            labels = "; ".join(label for _, label in Submission.Publication.choices)
            problem(column, f"“{publication[:100]}” is not a publication choice. Use one of: {labels}.")
        submitted, column = get(SUBMITTED_AT)
        submission.submitted_at = self._moment(submitted, column, problem) if submitted else self.now
        submission.consented_at = submission.submitted_at
        for name, attribute, limit in ((NAME, "name", 200), (ORGANISATION, "organisation_name", 200)):
            value, column = get(name)
            if len(value) > limit:
                problem(column, f"must be {limit} characters or fewer.")
            setattr(submission, attribute, value[:limit])
        email, column = get(EMAIL)
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problem(column, f"“{email[:100]}” is not an email address.")
        submission.email = email[:254]
        if submission.respondent_type == Submission.RespondentType.ORGANISATION and not submission.organisation_name:
            _, column = get(RESPONDENT_TYPE)
            problem(column, "a response for an organisation needs the organisation's name in an Organisation column.")

    def _moment(self, text, column, problem):
        for pattern in DATE_FORMATS:
            try:
                moment = datetime.datetime.strptime(text, pattern).replace(tzinfo=LONDON)
            except ValueError:
                continue
            if moment > self.now:
                problem(column, f"{text} is in the future.")
            return moment
        problem(column, f"“{text[:40]}” is not a date and time like 2021-06-09 14:30 or 09/06/2021 14:30 (UK time).")
        return self.now

    def _read_answers(self, values, problem):
        answers = []
        for question, column in self.layout.questions:
            text = values[column]
            if not text.strip():
                continue
            if question.has_choices:
                selected = self._choices(question, text.strip(), column, problem)
                answers.append(Answer(question=question, selected=selected))
                continue
            limit = SHORT_TEXT_MAX if question.answer_type == Question.AnswerType.SHORT_TEXT else LONG_TEXT_MAX
            if len(text) > limit:
                problem(column, f"{len(text):,} characters, longer than any answer allowed ({limit:,}).")
                continue
            if question.word_limit and count_words(text) > question.word_limit:
                problem(column, f"{count_words(text):,} words; the question allows {question.word_limit:,}.")
            answers.append(Answer(question=question, text=text))
        return answers

    def _choices(self, question, text, column, problem):
        """The export joins choices with "; "; a choice that itself holds "; " is put back together."""
        choices, selected, part = set(question.choice_list), [], ""
        for token in text.split("; "):
            part = f"{part}; {token}" if part else token
            if part.strip() in choices:
                selected.append(part.strip())
                part = ""
        if part or not selected:
            problem(column, f"“{text[:100]}” is not among the question's choices: {'; '.join(question.choice_list)}.")
        elif question.answer_type == Question.AnswerType.ONE_CHOICE and len(selected) > 1:
            problem(column, "the question takes one choice only.")
        return selected

    def _read_ideas(self, values, problem):
        ideas, limit = [], self.call.idea_word_limit
        for number, title_column, body_column in self.layout.ideas:
            title, body = values[title_column].strip(), values[body_column].strip()
            if not title and not body:
                continue
            if len(title) > IDEA_TITLE_MAX:
                problem(title_column, f"{len(title):,} characters; an idea's title may have {IDEA_TITLE_MAX}.")
            if len(body) > LONG_TEXT_MAX:
                problem(body_column, f"{len(body):,} characters, longer than any idea allowed ({LONG_TEXT_MAX:,}).")
            elif count_words(body) > limit:
                problem(body_column, f"idea {number} has {count_words(body):,} words; ideas may have {limit:,}.")
            ideas.append(Idea(position=len(ideas) + 1, title=title[:IDEA_TITLE_MAX], body=body))
        if len(ideas) > self.call.max_ideas:
            problem(self.layout.ideas[0][1], f"{len(ideas)} ideas; {self.call.title} takes {self.call.max_ideas}.")
        return ideas
