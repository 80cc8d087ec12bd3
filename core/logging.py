"""Logging: one format for every line (time, level, logger, request id, staff user id), JSON in production and
readable on a developer's machine, and no personal data in any of it.

Log lines go to places with other rules than the database (a log service, a terminal, an email): a respondent's
address or answers have no business there. The code logs ids and references only; as a second line of defence,
anything shaped like an email address is replaced before a line is written, traceback included.
"""

import datetime
import json
import logging
import re
from urllib.parse import parse_qsl, urlencode

from .request_id import current_request_id, current_staff_user_id

# Local parts may hold an apostrophe (o'neil@); braces and bars, which no real address has, end a match, so that an
# address quoted inside a dict or a set is replaced without its brackets.
EMAIL_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
REDACTED_EMAIL = "[email]"
# What stands in for a value withheld from a log line or an error report.
FILTERED = "[Filtered]"


def redact(text):
    return EMAIL_ADDRESS.sub(REDACTED_EMAIL, text) if text else text


def filtered_query_string(query_string):
    """The names in a query string with every value filtered: which filters or page a person used is useful, what
    they typed into them (a name, an address, a reference) is not ours to send."""
    if not query_string:
        return ""
    return urlencode([(name, FILTERED) for name, _ in parse_qsl(query_string, keep_blank_values=True)], safe="[]")


class ClientErrorsAsWarnings(logging.Filter):
    """Django logs a bad Host header, a body too big or too many fields at ERROR with a traceback
    (django.security.*): they are the client's fault, so they become one WARNING line."""

    def filter(self, record):
        if record.name.startswith("django.security.") and record.levelno > logging.WARNING:
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info = record.exc_text = None
        return True


class ServerErrorsOnly(logging.Filter):
    """For the ADMINS email: a client's bad request (django.security.*) is no reason to wake anyone."""

    def filter(self, record):
        return not record.name.startswith("django.security.")


class RequestContext(logging.Filter):
    """Give each record the id of the request being served (or "-") and the staff user's id (or None)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id() or "-"
        if not hasattr(record, "user_id"):
            record.user_id = current_staff_user_id()
        return True


class _Redacting:
    """Formatting with email addresses replaced: in the message, its arguments and the traceback."""

    def formatMessage(self, record):  # noqa: N802 - logging's own name
        return redact(super().formatMessage(record))

    def formatException(self, exc_info):  # noqa: N802
        return redact(super().formatException(exc_info))

    def formatStack(self, stack_info):  # noqa: N802
        return redact(super().formatStack(stack_info))


class ReadableFormatter(_Redacting, logging.Formatter):
    """For a terminal: `2026-01-12 10:15:02,120 INFO [3f2a…] core.requests user=4: message`."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s [%(request_id)s] %(name)s%(user)s: %(message)s")

    def formatMessage(self, record):  # noqa: N802
        record.user = f" user={record.user_id}" if getattr(record, "user_id", None) is not None else ""
        record.request_id = getattr(record, "request_id", "-")
        return super().formatMessage(record)


class JsonFormatter(_Redacting, logging.Formatter):
    """One JSON object per line, for a log service: time (UTC, ISO 8601), level, logger, message, request_id,
    user_id when a staff member made the request, and the traceback as `exception` when there is one."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
            "request_id": getattr(record, "request_id", "-"),
        }
        if getattr(record, "user_id", None) is not None:
            entry["user_id"] = record.user_id
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = redact(record.exc_text)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
