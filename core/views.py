import sys

from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .middleware import BAD_REQUEST_MESSAGES, bad_request_response, caused_by_database, database_unavailable_response


@never_cache
@require_safe
def healthz(request):
    """200 only when the database answers a query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    body = f"User-agent: *\nDisallow: /admin/\nDisallow: /calls/*/respond/\n\nSitemap: {sitemap}\n"
    return HttpResponse(body, content_type="text/plain")


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links to: send them to the icon in the static files."""
    return redirect(static("images/favicon.ico"))


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def bad_request(request, exception):
    # Django reports a session it could not save as "interrupted" (400): when the database dropped, say 503.
    if caused_by_database(exception):
        return database_unavailable_response()
    # Too many fields, a body too big, a bad Host header: a plain page that needs neither the database nor a session.
    return bad_request_response(request, BAD_REQUEST_MESSAGES.get(type(exception).__name__))


def server_error(request):
    # A database error raised in middleware (loading the session, say) never reaches the view's 503 handling.
    if caused_by_database(sys.exc_info()[1]):
        return database_unavailable_response()
    # No context processors: whatever broke may be what they need.
    return HttpResponse(render_to_string("500.html"), status=500)


def csrf_failure(request, reason=""):
    """The site's own page for a missing or stale form token (usually a page left open too long)."""
    return render(request, "403_csrf.html", status=403)
