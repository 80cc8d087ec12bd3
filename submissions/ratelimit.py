"""Per-client limits on uploads (and the Submit limit's scope); the counting itself is core.ratelimit's."""

from django.conf import settings

from core.ratelimit import add, client_address, hit

# Why an upload was refused; templates/429.html words each for the respondent.
UPLOADS_TOO_MANY = "uploads"
UPLOADS_SESSION_FULL = "session-bytes"
UPLOADS_CLIENT_FULL = "client-bytes"


def _pending_key(request):
    return f"ratelimit:pending-bytes:{client_address(request)}"


def _pending_seconds():
    # Pending files are deleted PENDING_UPLOAD_MAX_AGE_HOURS after upload (clear_pending_uploads): a count kept as long
    # after the address's latest upload covers every file it can still have waiting.
    return settings.PENDING_UPLOAD_MAX_AGE_HOURS * 3600


def reserve_pending_bytes(request, size):
    """Count `size` more bytes waiting in private storage for this address; False (and nothing counted) past the cap."""
    cap = settings.UPLOAD_PENDING_MAX_BYTES_PER_CLIENT
    total = add(_pending_key(request), size, _pending_seconds(), extend=True)
    if total > cap:
        add(_pending_key(request), -size, _pending_seconds())
        return False
    return True


def release_pending_bytes(request, size):
    """Bytes no longer waiting (removed, sent, or refused after all): the address may upload as much again."""
    if size:
        add(_pending_key(request), -size, _pending_seconds())


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
