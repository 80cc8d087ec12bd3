"""Responses that reached the review by email, by post or at an event, typed by staff into a spreadsheet laid out as
the CSV export lays it out (exports.ExportTable.header), and stored as if sent through the website.

What is read, and how:
- UTF-8 text, with or without the byte order mark the export writes; a file in any other encoding is refused.
- The header names the export writes. Required: Call, Respondent type, Publication choice and one column per
  question of the call (its prompt, or "<call title>: <prompt>" as a multi-call export writes it). Optional:
  Reference, Status, Submitted at (UK time), Name, Organisation, Email, Attachments, and "Idea N title" / "Idea N"
  pairs from 1 up. Any other column, or a required one missing, refuses the file before a row is read.
- Respondent type and Publication choice by their labels (or stored values), any case; an empty publication choice
  is "Do not publish": nobody is published without having asked to be.
- Status and Attachments are ignored: an imported response always waits for a moderator, and files sent by post
  stay where staff keep them. A Reference, if given, is kept (so an export moved to a new site keeps them) unless
  it is already stored, which refuses the row: the response was imported or sent before.
- A cell the export neutralised ("'=1+1", the quote that stops a spreadsheet running it as a formula) is read as
  the text after the quote ("=1+1"); every cell is stored as text and never evaluated. A respondent's own text
  that began with a quote and then =, +, -, @, a tab or a carriage return loses that quote: a rare cost of reading
  our own exports back exactly.
- Row numbers are a spreadsheet's: the header is row 1. A cell with line breaks is still one row.

The whole file is one transaction: any invalid row refuses the file, with row- and column-numbered messages, and
nothing is stored. Imported responses get a reference and the channel they came by, go to the pending queue, and
never get a receipt (Submission.objects.receipt_pending() only counts responses sent through the website). Rows are
stored in batches (one INSERT per table) as they are read, so memory stays flat however long the file is.
"""

import csv
import datetime
from collections.abc import Iterable, Iterator
from typing import IO

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from consultations.models import Call

from ..models import Answer, Idea, Submission
from .import_rows import EXPORT_TRAILER, IMPORT_CHANNELS, ImportRefused, ImportResult, Row, RowReader, read_header
from .responses import reference_generate

__all__ = ["IMPORT_CHANNELS", "ImportRefused", "ImportResult", "responses_import"]

BATCH_SIZE = 1000
MAX_MESSAGES = 50


class _Lines:
    """The file's lines as text, decoded strictly as UTF-8 one line at a time, so a bad byte is found on its line."""

    def __init__(self, binary: IO[bytes]):
        self.binary = binary
        self.line = 0

    def __iter__(self) -> Iterator[str]:
        for raw in self.binary:
            self.line += 1
            if self.line == 1:
                if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                    raise ImportRefused(["The file is UTF-16 text. Save it as “CSV UTF-8” and import that."])
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                raise _NotUtf8(self.line) from None


class _NotUtf8(Exception):
    def __init__(self, line):
        self.line = line


def _rows(reader: Iterable[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) after the header, skipping empty rows and the export's closing count."""
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) == 1 and cells[0].startswith(EXPORT_TRAILER):
            continue
        yield number, cells


class _Store:
    """Batches of checked rows, given references and written in one INSERT per table; nothing once a row failed."""

    def __init__(self, *, call: Call, dry_run: bool, result: ImportResult, problems: list[str]):
        self.call, self.dry_run, self.result, self.problems = call, dry_run, result, problems
        self.batch: list[Row] = []
        self.seen: set[str] = set()

    def add(self, row: Row):
        self.batch.append(row)
        if len(self.batch) >= BATCH_SIZE:
            self.flush()

    def flush(self):
        batch, self.batch = self.batch, []
        given = {row.submission.reference: row for row in batch if row.submission.reference}
        taken = set(Submission.objects.filter(reference__in=list(given)).values_list("reference", flat=True))
        for reference, row in given.items():
            if reference in taken or reference in self.seen:
                where = "is already stored" if reference in taken else "appears twice in the file"
                self.problems.append(f"Row {row.number}: the reference {reference} {where}: it was imported before.")
        self.seen.update(given)
        self._generate_references([row for row in batch if not row.submission.reference])
        if self.problems or self.dry_run:
            return
        _insert(Submission, [row.submission for row in batch])
        ids = dict(
            Submission.objects.filter(reference__in=[row.submission.reference for row in batch]).values_list(
                "reference", "pk"
            )
        )
        answers, ideas = [], []
        for row in batch:
            submission_id = ids[row.submission.reference]
            for part in row.answers:
                part.submission_id = submission_id
            for part in row.ideas:
                part.submission_id = submission_id
            answers += row.answers
            ideas += row.ideas
        _insert(Answer, answers)
        _insert(Idea, ideas)

    def _generate_references(self, rows):
        """New references, none stored nor used in this file yet (one query per batch, however many collide)."""
        while rows:
            for row in rows:
                row.submission.reference = reference_generate(call=self.call)
            new = {row.submission.reference for row in rows}
            taken = set(Submission.objects.filter(reference__in=list(new)).values_list("reference", flat=True))
            taken |= new & self.seen
            self.seen |= new - taken
            rows = [row for row in rows if row.submission.reference in taken]


# Columns whose Python value is what the database takes; every other field is prepared by Django (dates, UUIDs, JSON).
PLAIN_FIELDS = (models.CharField, models.TextField, models.BooleanField, models.IntegerField, models.ForeignKey)


def _insert(model, objects):
    """INSERT the objects in one executemany. bulk_create compiles every value of every row through the ORM, which
    was most of an import's time; the values here are the same, prepared once per column type."""
    if not objects:
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    prepare = [(field.attname, None if isinstance(field, PLAIN_FIELDS) else field) for field in fields]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    rows = [
        [
            getattr(obj, attname) if field is None else field.get_db_prep_save(getattr(obj, attname), connection)
            for attname, field in prepare
        ]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def responses_import(
    *,
    call: Call,
    binary: IO[bytes],
    channel: str,
    dry_run: bool = False,
    now: datetime.datetime | None = None,
) -> ImportResult:
    """Import the CSV in `binary` (a file opened in binary mode) into `call`; raise ImportRefused with every problem
    found (up to MAX_MESSAGES) and store nothing if any row is invalid. `dry_run` checks the whole file, stores none."""
    if channel not in IMPORT_CHANNELS:
        raise ImportRefused([f"Choose how these responses came: {', '.join(IMPORT_CHANNELS)}."])
    now = now or timezone.now()
    lines = _Lines(binary)
    result, problems = ImportResult(dry_run=dry_run), []
    try:
        with transaction.atomic():
            _import(call, csv.reader(lines), channel, now, result, problems, dry_run)
            if problems:
                raise ImportRefused(problems)
    except _NotUtf8 as exc:
        raise ImportRefused(
            [f"Line {exc.line} of the file is not UTF-8 text. Save the file as “CSV UTF-8” and import that."]
        ) from None
    except csv.Error as exc:
        raise ImportRefused([f"Line {lines.line} of the file cannot be read as CSV: {exc}."]) from None
    except IntegrityError:
        # A reference taken by a response sent through the website in the moment since it was checked.
        raise ImportRefused(
            ["A reference was taken while importing. Nothing was stored: import the file again."]
        ) from None
    return result


def _import(call, reader, channel, now, result, problems, dry_run):
    header = next(reader, None)
    if header is None:
        raise ImportRefused(["The file is empty: it has no header row."])
    layout = read_header(header, call)
    rows = RowReader(call=call, layout=layout, channel=channel, now=now)
    store = _Store(call=call, dry_run=dry_run, result=result, problems=problems)
    first = []  # the first few rows, whose references the message to staff quotes
    for number, cells in _rows(reader):
        row, found = rows.read(number, cells)
        if found:
            problems += found
            if len(problems) >= MAX_MESSAGES:
                problems[MAX_MESSAGES:] = []
                problems.append(f"Stopped reading at row {number}: correct these first.")
                return
            continue
        result.rows += 1
        result.answers += len(row.answers)
        result.ideas += len(row.ideas)
        store.add(row)
        if len(first) < 5:
            first.append(row)
    store.flush()
    result.references = [row.submission.reference for row in first]
    if not result.rows and not problems:
        problems.append("The file has a header but no responses.")
