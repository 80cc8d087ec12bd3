"""CSV for staff downloads: streamed a piece at a time, safe to open in a spreadsheet, UTF-8 that Excel reads."""

import csv
import datetime

from django.http import StreamingHttpResponse

# A spreadsheet treats a cell starting with one of these as a formula (or DDE command).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# A byte order mark, so Excel opens the file as UTF-8 and names with accents survive.
BOM = "\ufeff"
# Sent in pieces of about 64 KB: one write per row would cost more than the rows themselves.
PIECE = 64 * 1024


def neutralise(value):
    """Prefix text that a spreadsheet would run as a formula with a quote, so it shows as text."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a generator."""

    def write(self, value):
        return value


def _cell(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    return neutralise(value)


def csv_lines(header, rows, *, piece=None):
    """The header with a BOM, then the rows (cells neutralised, datetimes as ISO text) in pieces of ~64 KB."""
    piece = PIECE if piece is None else piece
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([_cell(cell) for cell in header])
    lines, size = [], 0
    for row in rows:
        line = writer.writerow([_cell(cell) for cell in row])
        lines.append(line)
        size += len(line)
        if size >= piece:
            yield "".join(lines)
            lines, size = [], 0
    if lines:
        yield "".join(lines)


def csv_download(header, rows, *, filename):
    """A streamed CSV attachment that no cache keeps."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
