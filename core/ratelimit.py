"""Per-client limits, counted in the shared cache so every worker (and every server) counts together.

A client is an address (see client_address); a limit is a rate like "10/h", counted in one window per period.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.base import BaseCache
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


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


def add(key, delta, timeout, *, extend=False):
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
    try:
        used = add(f"ratelimit:{scope}:{client_address(request)}:{window}", 1, seconds)
    except Exception:  # noqa: BLE001 - a cache that is down must not stop people responding or signing up
        logger.warning("Cache unavailable for the %s limit: not counted", scope, exc_info=True)
        return True
    return used <= count
