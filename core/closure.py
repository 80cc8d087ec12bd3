"""The one answer to "is the site closed?" (archive mode)."""

import contextlib
import contextvars

from django.utils import timezone

from .cache import remember
from .models import ClosureNotice

# Set only while export_archive renders pages (archive/): never by a request of the live site.
_rendering_archive = contextvars.ContextVar("rendering_archive", default=False)
# One look-up per request: a view asking "is the site closed?" and the banner then share it.
_request_memo = contextvars.ContextVar("closure_notice_memo", default=None)
# Requests that only read: the notice they show may be the one this worker remembers for the content version.
READING_METHODS = {"GET", "HEAD", "OPTIONS"}

_UNSET = object()


def _query_active_notice():
    return ClosureNotice.objects.active().first()


def active_closure_notice():
    memo = _request_memo.get()
    if memo is None:
        return _query_active_notice()
    if memo.get("notice", _UNSET) is _UNSET:
        # A page may show the notice as remembered (core.cache.remember: a save shows within the version check, as
        # on cached pages); a request that may store something (Submit, a sign-up) asks the database.
        memo["notice"] = remember("closure-notice", _query_active_notice) if memo["reading"] else _query_active_notice()
    return memo["notice"]


class ClosureNoticeMiddleware:
    """Fetch the active closure notice at most once per request, however many places ask."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_memo.set({"reading": request.method in READING_METHODS})
        try:
            return self.get_response(request)
        finally:
            _request_memo.reset(token)


@contextlib.contextmanager
def rendering_archive():
    """Render pages as the archived copy: the site counts as closed whatever the date, and the database is untouched."""
    token = _rendering_archive.set(True)
    try:
        yield
    finally:
        _rendering_archive.reset(token)


def is_rendering_archive():
    return _rendering_archive.get()


def notice_is_closed(notice, now=None):
    """Whether the banner of this notice says "closed": its date has passed, or the archived copy is being made."""
    return is_rendering_archive() or notice.is_closed(now or timezone.now())


def site_is_closed(now=None):
    """True once the active closure notice's closing date has passed: the site then accepts no input."""
    if is_rendering_archive():
        return True
    notice = active_closure_notice()
    return notice is not None and notice.is_closed(now or timezone.now())
