"""A per-address limit on Submit, counted in the shared cache (so every worker counts together)."""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

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
        raise ImproperlyConfigured(f"RESPONSE_RATE_LIMIT must look like '10/h', not {rate!r}") from exc
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


def hit(request, scope="respond-submit"):
    """Count one attempt; True while the address is within the limit."""
    count, seconds = parse_rate(settings.RESPONSE_RATE_LIMIT)
    key = f"ratelimit:{scope}:{client_address(request)}"
    cache.add(key, 0, timeout=seconds)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        used = 1
    return used <= count
