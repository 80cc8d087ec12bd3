"""Sentry, when SENTRY_DSN is set: errors only, and nothing in them that names a respondent or carries what they sent
(core/errors.py says why). Started by core's AppConfig, for the web server, the worker, the scheduler and commands.
"""

import re
import warnings

from .logging import FILTERED, filtered_query_string, redact
from .request_id import current_request_id, current_staff_user_id

# Keys of a Sentry event's "request" that can carry what a person sent or who they are.
_SENTRY_REQUEST_DROP = ("data", "cookies", "env")
_SENTRY_HEADERS_KEEP = {"host", "accept", "accept-language", "content-type", "content-length", "x-request-id"}


def _redact_everywhere(value):
    """Every string in the event, however deep, with email addresses replaced."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _redact_everywhere(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_everywhere(item) for item in value]
    return value


def _scrub_query_string(query_string):
    if isinstance(query_string, str):
        return filtered_query_string(query_string)
    if isinstance(query_string, list | tuple):  # the SDK may send it as pairs
        return [(pair[0], FILTERED) for pair in query_string if pair]
    return ""


def scrub_sentry_event(event, hint=None):
    """before_send: the request without body, cookies, query values or personal headers, the user by id, the
    request id as a tag, and no email address anywhere in what is left."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in _SENTRY_REQUEST_DROP:
            request.pop(key, None)
        if "query_string" in request:
            request["query_string"] = _scrub_query_string(request["query_string"])
        if isinstance(request.get("url"), str):
            request["url"] = re.sub(r"\?.*", "", request["url"])
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: (value if name.lower() in _SENTRY_HEADERS_KEEP else FILTERED) for name, value in headers.items()
            }
    user_id = current_staff_user_id()
    event["user"] = {"id": str(user_id)} if user_id is not None else {}
    request_id = current_request_id()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return _redact_everywhere(event)


def scrub_sentry_breadcrumb(crumb, hint=None):
    """What led up to an error, without what identifies anyone: no cache commands (their keys hold session ids and
    addresses' hashes), SQL without its parameters, and no email address anywhere."""
    if crumb.get("category") == "redis" or str(crumb.get("type", "")) == "redis":
        return None
    if crumb.get("category") == "query":
        crumb.pop("data", None)
    return _redact_everywhere(crumb)


def init_sentry(*, dsn, environment="", release="", transport=None):
    """Start the Sentry SDK for Django: errors only (no performance tracing), no personal data by default, no request
    bodies, no local variables, and every event through scrub_sentry_event before it leaves."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    options = {
        "dsn": dsn,
        "integrations": [DjangoIntegration()],
        "send_default_pii": False,
        "max_request_body_size": "never",
        "include_local_variables": False,
        "before_send": scrub_sentry_event,
        "before_breadcrumb": scrub_sentry_breadcrumb,
        "traces_sample_rate": 0,
        "environment": environment or None,
        "release": release or None,
    }
    if transport is not None:
        options["transport"] = transport
    with warnings.catch_warnings():
        # Newer SDKs call send_default_pii deprecated in favour of data_collection, which they derive from it when
        # unset: saying False outright keeps personal data out whatever a later SDK's own default becomes.
        warnings.filterwarnings(
            "ignore", message="The send_default_pii option is deprecated", category=DeprecationWarning
        )
        sentry_sdk.init(**options)
