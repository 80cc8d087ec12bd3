"""CSV exports for staff (streamed, so a long list never sits in memory)."""

import csv

from django.http import StreamingHttpResponse
from django.utils import timezone


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer in a generator."""

    def write(self, value):
        return value


def spreadsheet_safe(value):
    """Stop a spreadsheet from running a cell as a formula (an address may legally start with = or +)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def confirmed_subscribers_csv(queryset, *, filename="confirmed-subscribers.csv"):
    """The confirmed addresses among `queryset`, oldest confirmation first: email, confirmed_at."""
    rows = queryset.confirmed().order_by("confirmed_at", "pk").values_list("email", "confirmed_at")
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(["email", "confirmed_at"])
        for email, confirmed_at in rows.iterator(chunk_size=2000):
            yield writer.writerow(
                [spreadsheet_safe(email), timezone.localtime(confirmed_at).isoformat(timespec="seconds")]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
