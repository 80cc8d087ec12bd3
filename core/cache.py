"""Whole-page cache for anonymous visitors of public pages that carry no form.

Safe by construction, whatever a template does: a page is stored only when the request came with no cookie at
all and rendering it used no CSRF token, no session and no message, set no cookie, and gave a plain 200 that a
cache may keep. A stored page is served only to requests with no cookie but the CSRF one, so never to someone
signed in (staff previews) and never over a message waiting to be shown.

Pages are kept twice: in the shared cache (Redis or the database), and in each worker's memory, so a hit costs no
round trip at all. Any save or delete in the content apps changes a shared version: the worker that saved sees it
at once, the others within PUBLIC_PAGE_CACHE_VERSION_CHECK seconds. PUBLIC_PAGE_CACHE_SECONDS bounds what no
signal announces: a call opening or closing on its date, a closure date passing, a bulk update, a change made from
a management command. 0 turns the cache off.
"""

import hashlib
import logging
import threading
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse

logger = logging.getLogger(__name__)

VERSION_KEY = "public-page:version"
# Saves in these apps change what public pages show.
CONTENT_APPS = {"core", "pages", "consultations", "publications"}
# Saved in those apps but shown on no cached page: a sign-up must not empty the cache for everyone.
UNCACHED_MODELS = {"pages.subscriber", "core.scheduledjob", "core.scheduledjobrun"}
# Headers that belong to this response only, or that the middleware outside this one adds again on every request.
SKIPPED_HEADERS = {"set-cookie", "content-length", "date"}
# Enough for every public page of this site, a few MB per worker at most.
LOCAL_MAX_ENTRIES = 500


class _Local:
    """This worker's copy: pages by key, and the shared version as last read (with when)."""

    lock = threading.Lock()
    pages = {}
    version = None
    version_read_at = float("-inf")

    @classmethod
    def clear(cls):
        with cls.lock:
            cls.pages.clear()
            cls.version = None
            cls.version_read_at = float("-inf")


def page_timeout():
    return getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 0)


def cached_view_names():
    return set(getattr(settings, "PUBLIC_PAGE_CACHE_VIEWS", ()))


def version_check_seconds():
    return getattr(settings, "PUBLIC_PAGE_CACHE_VERSION_CHECK", 2)


def bump_version(**kwargs):
    if page_timeout() <= 0:
        return
    version = uuid.uuid4().hex
    with _Local.lock:
        _Local.version, _Local.version_read_at = version, time.monotonic()
    try:
        cache.set(VERSION_KEY, version, None)
    except Exception:  # noqa: BLE001 - a cache that is down must not fail the save; the timeout still bounds staleness
        logger.warning("Could not invalidate the public page cache", exc_info=True)


def _content_changed(sender, **kwargs):
    if sender._meta.app_label in CONTENT_APPS and sender._meta.label_lower not in UNCACHED_MODELS:
        bump_version()


def connect_signals():
    """Called from CoreConfig.ready(): every content save changes the shared version."""
    post_save.connect(_content_changed, dispatch_uid="public_page_cache_save")
    post_delete.connect(_content_changed, dispatch_uid="public_page_cache_delete")
    m2m_changed.connect(_content_changed, dispatch_uid="public_page_cache_m2m")


def _page_key(request):
    # Host and scheme are part of the page: share links and feeds carry absolute addresses.
    address = f"{request.scheme}://{request.get_host()}{request.path}"
    return "public-page:" + hashlib.sha256(address.encode()).hexdigest()


def _may_serve_cached(request):
    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and "HTTP_AUTHORIZATION" not in request.META
        and set(request.COOKIES) <= {settings.CSRF_COOKIE_NAME}
    )


def _may_store(request, response):
    if request.COOKIES or response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # the page carries a CSRF token: it belongs to this visitor alone
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and len(messages):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-cache", "no-store")):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return vary <= {"cookie", "accept-encoding"}


class PublicPageCacheMiddleware:
    """Serve the views named in PUBLIC_PAGE_CACHE_VIEWS from the cache to anonymous visitors (see module doc)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        store = getattr(request, "_public_page_store", None)
        if store is not None and _may_store(request, response):
            key, version = store
            headers = [(k, v) for k, v in response.items() if k.lower() not in SKIPPED_HEADERS]
            # Wall-clock expiry: the entry is shared with workers of other processes (and machines).
            entry = (version, time.time() + page_timeout(), response.status_code, headers, response.content)
            _keep_locally(key, entry)
            try:
                cache.set(key, entry, page_timeout())
            except Exception:  # noqa: BLE001 - the page was served; not storing it only costs speed
                logger.warning("Could not store a public page in the cache", exc_info=True)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if page_timeout() <= 0 or not _may_serve_cached(request):
            return None
        match = request.resolver_match
        if match is None or match.view_name not in cached_view_names():
            return None
        key = _page_key(request)
        try:
            version = _current_version()
            entry = _Local.pages.get(key)
            if not _fresh(entry, version):
                entry = cache.get(key)
                if _fresh(entry, version):
                    _keep_locally(key, entry)
        except Exception:  # noqa: BLE001 - without the cache the view still answers (or says 503 itself)
            logger.warning("Public page cache unavailable", exc_info=True)
            return None
        if _fresh(entry, version):
            _, _, status, headers, content = entry
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        if not request.COOKIES:
            request._public_page_store = (key, version)
        return None


def _fresh(entry, version):
    return entry is not None and entry[0] == version and entry[1] > time.time()


def _current_version():
    """The shared version, read at most once every PUBLIC_PAGE_CACHE_VERSION_CHECK seconds per worker."""
    now = time.monotonic()
    if now - _Local.version_read_at < version_check_seconds() and _Local.version is not None:
        return _Local.version
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    with _Local.lock:
        if version != _Local.version:
            _Local.pages.clear()
        _Local.version, _Local.version_read_at = version, now
    return version


def _keep_locally(key, entry):
    with _Local.lock:
        if len(_Local.pages) >= LOCAL_MAX_ENTRIES:
            _Local.pages.clear()
        _Local.pages[key] = entry
