"""The one answer to "is the site closed?" (archive mode)."""

from django.utils import timezone

from .models import ClosureNotice


def active_closure_notice():
    return ClosureNotice.objects.active().first()


def site_is_closed(now=None):
    """True once the active closure notice's closing date has passed: the site then accepts no input."""
    notice = active_closure_notice()
    return notice is not None and notice.is_closed(now or timezone.now())
