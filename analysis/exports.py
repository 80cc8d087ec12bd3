"""The coded data of a call as CSV or XLSX: one row per item (each idea, each free-text answer, and each response
coded as a whole) with its themes. No personal data: no name, email or organisation is read, the text is the public
(moderated) version where there is one, and what the personal-data check still finds in it is replaced, as in the
responses export without personal data. Every export leaves an ExportRecord. Streamed in chunks: memory stays flat.
"""

import tempfile
from collections import defaultdict

from django.db.models import Exists, OuterRef
from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from consultations.models import Call
from core.csv import csv_download, neutralise
from submissions.models import ExportRecord, Submission
from submissions.privacy import find_personal_data, redact

from . import selectors
from .models import Coding

CHUNK = 2000
HEADER = ["Item", "Reference", "Respondent type", "Came by", "Question", "Title", "Text", "Themes"]
TYPES = dict(Submission.RespondentType.choices)
CHANNELS = dict(Submission.Channel.choices)


class CodedTable:
    def __init__(self, call: Call):
        self.call = call
        self.themes = {theme.pk: str(theme) for theme in selectors.codebook(call=call)}
        self.rows_written = 0
        self.replaced = 0

    def _scrub(self, text):
        findings = find_personal_data(text) if text else []
        self.replaced += len(findings)
        return redact(text, findings) if findings else text

    def _themes(self, kind, field, ids):
        found = defaultdict(list)
        codings = Coding.objects.filter(kind=kind, **{f"{field}__in": ids}).order_by("theme__name")
        for item_id, theme_id in codings.values_list(field, "theme_id"):
            found[item_id].append(self.themes.get(theme_id, ""))
        return found

    def _chunks(self, queryset, fields):
        chunk = []
        for row in queryset.values_list(*fields).iterator(chunk_size=CHUNK):
            chunk.append(row)
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def rows(self):
        ideas = selectors.call_ideas(call=self.call).order_by("submission__submitted_at", "submission_id", "position")
        fields = ["pk", "submission__reference", "submission__respondent_type", "submission__channel", "position"]
        for chunk in self._chunks(ideas, [*fields, "title", "redacted_title", "body", "redacted_body"]):
            themes = self._themes(Coding.Kind.IDEA, "idea_id", [row[0] for row in chunk])
            for pk, ref, rtype, channel, position, title, public_title, body, public_body in chunk:
                yield self._row(
                    "Idea", ref, rtype, channel, f"Idea {position}", title, public_title, body, public_body, themes[pk]
                )
        answers = selectors.call_answers(call=self.call).order_by(
            "submission__submitted_at", "submission_id", "question__position"
        )
        fields = [
            "pk",
            "submission__reference",
            "submission__respondent_type",
            "submission__channel",
            "question__prompt",
        ]
        for chunk in self._chunks(answers, [*fields, "text", "redacted_text"]):
            themes = self._themes(Coding.Kind.ANSWER, "answer_id", [row[0] for row in chunk])
            for pk, ref, rtype, channel, prompt, text, public_text in chunk:
                yield self._row("Answer", ref, rtype, channel, prompt, "", "", text, public_text, themes[pk])
        whole = Coding.objects.filter(submission=OuterRef("pk"), kind=Coding.Kind.RESPONSE)
        responses = selectors.analysable_responses(call=self.call).filter(Exists(whole)).order_by("submitted_at", "id")
        for chunk in self._chunks(responses, ["pk", "reference", "respondent_type", "channel"]):
            themes = self._themes(Coding.Kind.RESPONSE, "submission_id", [row[0] for row in chunk])
            for pk, ref, rtype, channel in chunk:
                yield self._row("Whole response", ref, rtype, channel, "", "", "", "", "", themes[pk])

    def _row(self, item, ref, rtype, channel, where, title, public_title, text, public_text, themes):
        self.rows_written += 1
        row = [
            item,
            ref,
            TYPES.get(rtype, rtype),
            CHANNELS.get(channel, channel),
            where,
            self._scrub(public_title or title),
            self._scrub(public_text or text),
            "; ".join(themes),
        ]
        return [neutralise(cell) for cell in row]


def _record(request, call, file_format):
    return ExportRecord.objects.create(
        actor=request.user if request.user.is_authenticated else None,
        personal=False,
        file_format=file_format,
        filters=f"Coded data (analysis) of {call.title}",
    )


def _finish(record, table):
    ExportRecord.objects.filter(pk=record.pk).update(rows=table.rows_written, details_replaced=table.replaced)


def _filename(call, extension):
    return f"coded-{call.slug}-{timezone.localdate():%Y-%m-%d}.{extension}"


def coded_csv_response(*, request, call: Call):
    record, table = _record(request, call, "csv"), CodedTable(call)

    def rows():
        yield from table.rows()
        _finish(record, table)

    return csv_download(HEADER, rows(), filename=_filename(call, "csv"))


def coded_xlsx_response(*, request, call: Call):
    record, table = _record(request, call, "xlsx"), CodedTable(call)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Coded items")
    sheet.append(HEADER)
    for row in table.rows():
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) if isinstance(cell, str) else cell for cell in row])
    _finish(record, table)
    output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed by FileResponse once sent
    workbook.save(output)
    output.seek(0)
    response = FileResponse(
        output,
        as_attachment=True,
        filename=_filename(call, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Cache-Control"] = "no-store"
    return response
