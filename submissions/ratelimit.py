"""Per-client limits on Submit and on uploads, counted in the shared cache (so every worker counts together)."""

import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.base import BaseCache
from django.core.exceptions import ImproperlyConfigured

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

# Why an upload was refused; templates/429.html words each for the respondent.
UPLOADS_TOO_MANY = "uploads"
UPLOADS_SESSION_FULL = "session-bytes"
UPLOADS_CLIENT_FULL = "client-bytes"


def parse_rate(rate):
    """'10/h' -> (10, 3600). A bare number means per hour."""
    if isinstance(rate, int):
        return rate, 3600
    text = str(rate).strip().lower()
    count, _, period = text.partition("/")
    try:
        count = int(count)
        seconds = PERIODS[(period or "h")[0]]
    except (ValueError, KeyError, IndexError) as exc:
        raise ImproperlyConfigured(f"A rate limit must look like '10/h', not {rate!r}") from exc
    return count, seconds


def client_address(request):
    """REMOTE_ADDR, unless the site runs behind proxies that append to X-Forwarded-For (and say so in settings)."""
    proxies = settings.RESPONSE_TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        # Each trusted proxy appends the address it saw; anything further left may be made up by the client.
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _add(key, delta, timeout, *, extend=False):
    """Add delta to a counter kept `timeout` seconds; return the new total, never below 0.

    Redis keeps a key's expiry through incr. Backends that use BaseCache.incr (the database cache) write the value
    again with the default timeout, 5 minutes, which would end an hour's count early: the expiry is set again.
    """
    cache.add(key, 0, timeout=timeout)
    try:
        total = cache.incr(key, delta)
    except ValueError:  # expired between add and incr
        total = max(delta, 0)
        cache.set(key, total, timeout=timeout)
        return total
    if total < 0:  # bytes given back by an address that changed since it uploaded them
        total = 0
        cache.set(key, total, timeout=timeout)
    elif extend or type(caches["default"]).incr is BaseCache.incr:
        cache.touch(key, timeout)
    return total


def hit(request, scope="respond-submit", rate=None):
    """Count one attempt; True while the address is within the limit (RESPONSE_RATE_LIMIT unless given)."""
    count, seconds = parse_rate(rate or settings.RESPONSE_RATE_LIMIT)
    # One counter per window: however its expiry is kept, a window's count never runs on into the next one.
    window = int(time.time()) // seconds
    used = _add(f"ratelimit:{scope}:{client_address(request)}:{window}", 1, seconds)
    return used <= count


def _pending_key(request):
    return f"ratelimit:pending-bytes:{client_address(request)}"


def _pending_seconds():
    # Pending files are deleted PENDING_UPLOAD_MAX_AGE_HOURS after upload (clear_pending_uploads): a count kept as long
    # after the address's latest upload covers every file it can still have waiting.
    return settings.PENDING_UPLOAD_MAX_AGE_HOURS * 3600


def reserve_pending_bytes(request, size):
    """Count `size` more bytes waiting in private storage for this address; False (and nothing counted) past the cap."""
    cap = settings.UPLOAD_PENDING_MAX_BYTES_PER_CLIENT
    total = _add(_pending_key(request), size, _pending_seconds(), extend=True)
    if total > cap:
        _add(_pending_key(request), -size, _pending_seconds())
        return False
    return True


def release_pending_bytes(request, size):
    """Bytes no longer waiting (removed, sent, or refused after all): the address may upload as much again."""
    if size:
        _add(_pending_key(request), -size, _pending_seconds())


def upload_refusal(request, size, *, session_bytes):
    """Why this upload must be refused (one of UPLOADS_*), or None, and then its bytes are reserved.

    Checked before the file is opened or stored, so a refused upload costs almost nothing and leaves nothing. Every
    attempt counts towards UPLOAD_RATE_LIMIT; call release_pending_bytes if the file is not kept after all.
    """
    if not hit(request, scope="upload", rate=settings.UPLOAD_RATE_LIMIT):
        return UPLOADS_TOO_MANY
    if session_bytes + size > settings.UPLOAD_PENDING_MAX_BYTES_PER_SESSION:
        return UPLOADS_SESSION_FULL
    if not reserve_pending_bytes(request, size):
        return UPLOADS_CLIENT_FULL
    return None
