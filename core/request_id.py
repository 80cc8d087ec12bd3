"""A request id on every request: in each log line written while serving it, and in the X-Request-ID response header.

A person reporting a problem can quote the header; the log lines of that request are found by it. The id is made
here, unless a proxy we trust (REQUEST_ID_TRUST_HEADER) already gave the request one of a sane form, so that its
logs and ours share one id. A staff member's writes are logged with their user id, never their name or address.
"""

import contextvars
import logging
import re
import uuid

from django.conf import settings

HEADER = "X-Request-ID"
# Letters, digits, dot, underscore and hyphen, 8 to 64 of them: a UUID, a hex string, a load balancer's trace id.
# Anything else (spaces, quotes, control characters, a log line forged with a newline) is replaced, never logged.
VALID_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")

_current_request = contextvars.ContextVar("current_request", default=None)

logger = logging.getLogger("core.requests")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def new_request_id():
    return uuid.uuid4().hex


def request_id_from(request):
    """The proxy's id when it is trusted and well formed, else a new one."""
    if settings.REQUEST_ID_TRUST_HEADER:
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        if VALID_ID.fullmatch(given):
            return given
    return new_request_id()


def current_request_id():
    request = _current_request.get()
    return getattr(request, "request_id", None)


def current_staff_user_id(request=None):
    """The id of the staff member making the current request, if the request has already looked its user up.

    Only a user already loaded is read (Django keeps it in request._cached_user once anything asked for
    request.user): looking it up here would read the session from logging, and mark every public response as
    varying by cookie.
    """
    request = request or _current_request.get()
    user = getattr(request, "_cached_user", None) if request is not None else None
    if user is not None and user.is_authenticated and user.is_staff:
        return user.pk
    return None


class RequestIdMiddleware:
    """Outermost: every log line of the request, from any layer, carries its id, and so does every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_from(request)
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
            response[HEADER] = request.request_id
            self.log_staff_write(request, response)
            return response
        finally:
            _current_request.reset(token)

    @staticmethod
    def log_staff_write(request, response):
        """One line per change a staff member makes: who (by id), what (method and path, never the query string
        or the body, which can hold a respondent's details) and the outcome."""
        if request.method in SAFE_METHODS or current_staff_user_id(request) is None:
            return
        logger.info("Staff %s %s answered %s", request.method, request.path, response.status_code)
