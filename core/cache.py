"""Whole-page cache of public pages that carry no form, for every visitor they would look the same to.

A page is shared only between visitors whose cookies cannot change it: not signed in (so never a staff preview), no
message waiting (no messages cookie, none in the session): a session cookie is looked up to tell. What else a session
holds (someone part-way through a response: their answers, a sent reference) makes no difference, because no page
that read any of it is ever kept (core/sessions.py notes what a request read). The CSRF cookie and cookies this site
never reads (analytics, a banner's choice) make no difference either, and a view that reads one of its own is seen
doing so. A hard refresh (Cache-Control: no-cache) gets the page rendered afresh.

Safe by construction, whatever a template does: a page is stored only when rendering it used no CSRF token, read
nothing of the session but who is signed in and the messages waiting, wrote nothing to it, left no message, read no
cookie but the session's, CSRF's and messages', set no cookie, and gave a plain 200 that a cache may keep. A view
that shows a query string's answer (search) names the part of the query that makes the page (its `page_cache_query`),
and pages are kept per normalised query; any other address with a query string is rendered afresh.

Pages are kept twice: in the shared cache (Redis or the database), and in each worker's memory, so a hit costs no
round trip at all; results pages only in each worker's memory, so one-off searches never fill the shared cache.
Any save or delete in the content apps changes a shared version: the worker that saved sees it at once, the others
within PUBLIC_PAGE_CACHE_VERSION_CHECK seconds. PUBLIC_PAGE_CACHE_SECONDS bounds what no
signal announces: a call opening or closing on its date, a closure date passing, a bulk update, a change made from
a management command. 0 turns the cache off.

The same version keys what each worker remembers for pages rendered afresh (remember(): the navigation, the closure
notice, rendered fragments), so a visitor the whole page cannot be shared with still gets most of it from memory.
"""

import hashlib
import logging
import threading
import time
import uuid

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse

logger = logging.getLogger(__name__)

VERSION_KEY = "public-page:version"
# Saves in these apps change what public pages show.
CONTENT_APPS = {"core", "pages", "consultations", "publications"}
# Saved in those apps but shown on no cached page: a sign-up must not empty the cache for everyone.
UNCACHED_MODELS = {
    "pages.subscriber",
    "pages.subscriberupdate",
    "pages.updatedelivery",
    "pages.updatetestemail",
    "core.scheduledjob",
    "core.scheduledjobrun",
}
# What any page may read of a session (who is signed in, the messages waiting): a page is shared only with visitors
# whose session holds none of these, and kept only if it read nothing else of the session.
SHARED_SESSION_KEYS = frozenset({SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY, SessionStorage.session_key})
# Headers that belong to this response only, or that the middleware outside this one adds again on every request.
SKIPPED_HEADERS = {"set-cookie", "content-length", "date"}
# Enough for every public page of this site, a few MB per worker at most (searches come and go: the oldest go first).
LOCAL_MAX_ENTRIES = 500
# Values remember() keeps per worker: navigation, fragments per page kind; the oldest go first.
MEMO_MAX_ENTRIES = 2000


class _Local:
    """This worker's copy: pages by key, and the shared version as last read (with when)."""

    lock = threading.Lock()
    pages = {}
    memo = {}
    version = None
    version_read_at = float("-inf")

    @classmethod
    def clear(cls):
        with cls.lock:
            cls.pages.clear()
            cls.memo.clear()
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
    _new_version()
    # Inside a transaction (an admin save), another worker can render between this change and the commit, reading
    # the old rows under the new version: change it once more when the rows are there for everyone.
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_new_version, robust=True)


def _new_version():
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


def _page_key(request, query):
    # Host and scheme are part of the page: share links and feeds carry absolute addresses.
    address = f"{request.scheme}://{request.get_host()}{request.path}"
    if query is not None:
        address += "?" + query
    return "public-page:" + hashlib.sha256(address.encode()).hexdigest()


def _page_query(request, view_func):
    """The normalised query the page is made of: "" without a query string, None when this view cannot say."""
    if not request.META.get("QUERY_STRING"):
        return ""
    page_cache_query = getattr(getattr(view_func, "view_class", view_func), "page_cache_query", None)
    return page_cache_query(request) if page_cache_query else None


def _visitor_is_neutral(request):
    """Whether this visitor gets the very page a visitor with no cookie gets (see the module docstring)."""
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
        return False
    if CookieStorage.cookie_name in request.COOKIES:
        return False
    if "no-cache" in request.META.get("HTTP_CACHE_CONTROL", "").lower():
        return False  # a hard refresh: the page as it is now, for this visitor alone
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        session = getattr(request, "session", None)
        if session is None or not _session_may_share(session):
            return False
    return True


def _session_may_share(session):
    """Signed in or a message waiting: never. What else it holds (a journey's answers, a sent reference) shows only
    on pages that read it, and those are never kept (_may_store). What was emptied (a journey sent) holds nothing."""
    return not session.stored_keys() & SHARED_SESSION_KEYS


class _WatchedCookies(dict):
    """request.COOKIES while a page that may be shared renders: a view reading a cookie of its own is noticed."""

    read_by_view = False

    def _read(self, name=None):
        if name not in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, CookieStorage.cookie_name):
            self.read_by_view = True

    def __getitem__(self, name):
        self._read(name)
        return super().__getitem__(name)

    def get(self, name, default=None):
        self._read(name)
        return super().get(name, default)

    def __contains__(self, name):
        self._read(name)
        return super().__contains__(name)

    def __iter__(self):
        self._read()
        return super().__iter__()

    def keys(self):
        self._read()
        return super().keys()

    def values(self):
        self._read()
        return super().values()

    def items(self):
        self._read()
        return super().items()


def _may_store(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if getattr(request.COOKIES, "read_by_view", False):
        return False  # the page may say something only this visitor's cookie asked for
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # the page carries a CSRF token: it belongs to this visitor alone
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    if session is not None and not session.keys_read <= SHARED_SESSION_KEYS:
        return False  # the page may show something of this visitor's session (core/sessions.py)
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
        if settings.SESSION_ENGINE != "core.sessions":
            raise ImproperlyConfigured(
                "The public page cache needs SESSION_ENGINE = 'core.sessions' (core/sessions.py)"
            )
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        store = getattr(request, "_public_page_store", None)
        if store is not None and _may_store(request, response):
            key, version, shared = store
            headers = [(k, v) for k, v in response.items() if k.lower() not in SKIPPED_HEADERS]
            # Wall-clock expiry: the entry is shared with workers of other processes (and machines).
            entry = (version, time.time() + page_timeout(), response.status_code, headers, response.content)
            _keep_locally(key, entry)
            try:
                if shared:
                    cache.set(key, entry, page_timeout())
            except Exception:  # noqa: BLE001 - the page was served; not storing it only costs speed
                logger.warning("Could not store a public page in the cache", exc_info=True)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if page_timeout() <= 0:
            return None
        match = request.resolver_match
        if match is None or match.view_name not in cached_view_names():
            return None
        query = _page_query(request, view_func)
        if query is None or not _visitor_is_neutral(request):
            return None
        key = _page_key(request, query)
        # A results page (a query string's answer) stays in this worker's memory: searches come and go, and one-off
        # ones must not fill the shared cache.
        shared = query == ""
        try:
            version = _current_version()
            entry = _Local.pages.get(key)
            if not _fresh(entry, version) and shared:
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
        request._public_page_store = (key, version, shared)
        request.COOKIES = _WatchedCookies(request.COOKIES)
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
            _Local.memo.clear()
        _Local.version, _Local.version_read_at = version, now
    return version


def _keep_locally(key, entry):
    with _Local.lock:
        _bounded_put(_Local.pages, key, entry, LOCAL_MAX_ENTRIES)


def _bounded_put(store, key, value, most):
    """Called with _Local.lock held. Past `most` entries the oldest go (dicts keep insertion order)."""
    store.pop(key, None)
    while len(store) >= most:
        del store[next(iter(store))]
    store[key] = value


def remember(key, compute):
    """compute()'s value, computed once per content version in this worker and kept at most
    PUBLIC_PAGE_CACHE_SECONDS (for what no signal announces); computed every time while the page cache is off.

    Only for what every visitor shares: content, and HTML rendered from content alone (never a CSRF token, a
    message, or anything from the session)."""
    if page_timeout() <= 0:
        return compute()
    try:
        version = _current_version()
    except Exception:  # noqa: BLE001 - without the shared cache every page is simply rendered afresh
        logger.warning("Public page cache unavailable", exc_info=True)
        return compute()
    now = time.monotonic()
    entry = _Local.memo.get(key)
    if entry is not None and entry[0] == version and entry[1] > now:
        return entry[2]
    value = compute()
    with _Local.lock:
        _bounded_put(_Local.memo, key, (version, now + page_timeout(), value), MEMO_MAX_ENTRIES)
    return value
