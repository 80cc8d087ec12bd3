import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class SecurityHeadersMiddleware:
    """Headers Django does not set itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


def caused_by_database(exception):
    """True when the database being unreachable is behind this exception, however Django wrapped it."""
    seen = set()
    while exception is not None and id(exception) not in seen:
        if isinstance(exception, (OperationalError, InterfaceError)):
            return True
        seen.add(id(exception))
        exception = exception.__cause__ or exception.__context__
    return False


def database_unavailable_response():
    # Rendered without a request: the context processors may need the database too.
    html = render_to_string("503.html", {"SITE_NAME": settings.SITE_NAME})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = "30"
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 with a plain page when the database is unreachable, not a 500 with a traceback.

    This catches what views raise; the 400 and 500 handlers (core.views) catch what middleware raises,
    such as loading or saving the session when the connection has just dropped.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not caused_by_database(exception):
            return None
        logger.error("Database unavailable while serving %s", request.path, exc_info=exception)
        return database_unavailable_response()


class StaffSessionIdleMiddleware:
    """Let a signed-in staff member's session lapse after STAFF_SESSION_IDLE_SECONDS without a request.

    Each request restarts the clock, so someone working is not signed out; a console left open is.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
        return self.get_response(request)
