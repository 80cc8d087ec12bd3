import logging
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from whitenoise.middleware import WhiteNoiseMiddleware

logger = logging.getLogger(__name__)


class SecurityHeadersMiddleware:
    """The security headers on every response, first in MIDDLEWARE so that even a 400 raised by an inner middleware
    (a bad Host header, a body too big, too many fields) carries them: what the inner layers set is kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in security_headers().items():
            response.headers.setdefault(name, value)
        return response


def security_headers():
    """Headers every response carries, static files included."""
    from csp.utils import build_policy

    return {
        "Content-Security-Policy": build_policy(),
        "Cross-Origin-Resource-Policy": settings.CROSS_ORIGIN_RESOURCE_POLICY,
        "Cross-Origin-Opener-Policy": settings.SECURE_CROSS_ORIGIN_OPENER_POLICY,
        "Permissions-Policy": settings.PERMISSIONS_POLICY,
        "Referrer-Policy": settings.SECURE_REFERRER_POLICY,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": settings.X_FRAME_OPTIONS,
    }


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, with the security headers on every static file: it answers before the other middleware runs."""

    def add_cache_headers(self, headers, path, url):
        super().add_cache_headers(headers, path, url)
        for name, value in security_headers().items():
            headers[name] = value


def has_nul(value):
    """True for text that must never reach the database: PostgreSQL refuses a NUL character in any text."""
    return "\x00" in value


# A cookie this site sets is plain ASCII: anything else in one is tampering or damage.
_BAD_COOKIE = re.compile(r"[^\x20-\x7e]")


class RequestSanityMiddleware:
    """Stop characters no person types before they reach a view, the session store or the database.

    A cookie holding a control or non-ASCII character is dropped, as if it had never been sent (a visitor with a
    mangled cookie still gets every page, with a new session); a query string or header holding a NUL gets a plain
    400 page. Other odd text in a query string reaches the view, whose form cleans it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name in [name for name, value in request.COOKIES.items() if _BAD_COOKIE.search(name + value)]:
            del request.COOKIES[name]
        if any(has_nul(key) or any(map(has_nul, values)) for key, values in request.GET.lists()):
            return bad_request_response(request, "The address of this page has characters we cannot read.")
        headers = (value for key, value in request.META.items() if key.startswith("HTTP_") and key != "HTTP_COOKIE")
        if any(has_nul(str(value)) for value in headers):
            return bad_request_response(request, "Your browser sent characters we cannot read.")
        if request.method == "POST":
            # Read the form now, so that too many fields or too big a body is the same plain 400 on every path,
            # whether or not the view (or CSRF check) would have read it.
            try:
                request.POST  # noqa: B018 - parsing is the point
            except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent) as error:
                return bad_request_response(request, BAD_REQUEST_MESSAGES[type(error).__name__])
        return self.get_response(request)


BAD_REQUEST_MESSAGES = {
    "TooManyFieldsSent": "The form you sent had far more answers in it than any page of this website asks for.",
    "TooManyFilesSent": "The form you sent had more files in it than any page of this website takes.",
    "RequestDataTooBig": "What you sent was too big. Each file can be up to 10MB.",
}


def bad_request_response(request, message=None):
    html = render_to_string("400.html", {"message": message, "SITE_NAME": settings.SITE_NAME})
    return HttpResponse(html, status=400)


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
