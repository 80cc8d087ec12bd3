"""CSV exports of subscribers for staff (streamed, so a long list never sits in memory)."""

from django.utils import timezone

from core.csv import csv_download


def confirmed_subscribers_csv(queryset, *, filename="confirmed-subscribers.csv"):
    """The confirmed addresses among `queryset`, oldest confirmation first: email, confirmed_at."""
    rows = queryset.confirmed().order_by("confirmed_at", "pk").values_list("email", "confirmed_at")
    lines = (
        [email, timezone.localtime(confirmed_at).isoformat(timespec="seconds")]
        for email, confirmed_at in rows.iterator(chunk_size=2000)
    )
    return csv_download(["email", "confirmed_at"], lines, filename=filename)
