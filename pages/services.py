"""Writes for the pages app: sign-ups for email updates (double opt-in), their emails sent through the outbox."""

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.core import signing
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from outbox.models import EmailJob
from outbox.services import email_job_enqueue

from .emails import SIGN_UP
from .models import Subscriber

logger = logging.getLogger(__name__)

# One salt per purpose: a confirm link can never be replayed as an unsubscribe link, or the other way round.
CONFIRM_SALT = "pages.updates.confirm"
UNSUBSCRIBE_SALT = "pages.updates.unsubscribe"


class EmailLimitReached(Exception):
    """This client has had its share of sign-up emails for now (UPDATES_EMAIL_RATE_LIMIT)."""


class InvalidToken(Exception):
    """The link is expired, tampered with or not one we made."""


def normalise_email(email):
    """Strip spaces and lower-case the domain (the part before @ may be case-sensitive)."""
    return BaseUserManager.normalize_email((email or "").strip())


def make_confirm_token(subscriber):
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(subscriber.pk))


def make_unsubscribe_token(subscriber):
    # No expiry: an unsubscribe link in an old email must still work.
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(subscriber.pk))


def _pk_from(value):
    try:
        return int(value)
    except ValueError as exc:
        raise InvalidToken from exc


def read_confirm_token(token):
    max_age = settings.UPDATES_CONFIRM_MAX_AGE_HOURS * 60 * 60
    try:
        value = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=max_age)
    except signing.BadSignature as exc:  # SignatureExpired is a BadSignature too
        raise InvalidToken from exc
    return _pk_from(value)


def read_unsubscribe_token(token):
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature as exc:
        raise InvalidToken from exc
    return _pk_from(value)


def absolute_url(path):
    return f"{settings.SITE_URL}{path}"


def unsubscribe_url(subscriber):
    """The signed link in every email to a subscriber: it works for ever, and one POST to it unsubscribes."""
    return absolute_url(reverse("pages:updates_unsubscribe", args=[make_unsubscribe_token(subscriber)]))


def unsubscribe_headers(url):
    """One-click unsubscribe from the mail program itself (RFC 8058): a POST to the same link."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def subscriber_email_send(*, job: EmailJob) -> None:
    """The outbox's sender for sign-up emails: a confirm link, or "already signed up" to a confirmed address.

    Which one is decided when it is sent, from the address's state then. Every email carries an unsubscribe link.
    Raises if the mail server refuses it; the job is then retried.
    """
    subscriber = Subscriber.objects.filter(pk=job.subject_id).first()
    if subscriber is None:  # deleted by staff or erased since: there is no one to write to
        return
    template = "already_subscribed" if subscriber.is_confirmed() else "confirm"
    context = {
        "subscriber": subscriber,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "confirm_url": absolute_url(reverse("pages:updates_confirm", args=[make_confirm_token(subscriber)])),
        "unsubscribe_url": unsubscribe_url(subscriber),
        "max_age_hours": settings.UPDATES_CONFIRM_MAX_AGE_HOURS,
    }
    subject = " ".join(render_to_string(f"pages/email/{template}_subject.txt", context).split())
    body = render_to_string(f"pages/email/{template}_body.txt", context)
    headers = unsubscribe_headers(context["unsubscribe_url"])
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [subscriber.email], headers=headers)
    message.send()


def _may_email(email):
    """False if this address had a sign-up email in the last UPDATES_EMAIL_INTERVAL_SECONDS."""
    interval = settings.UPDATES_EMAIL_INTERVAL_SECONDS
    if interval <= 0:
        return True
    key = "updates-email:" + hashlib.sha256(email.lower().encode()).hexdigest()
    try:
        return cache.add(key, True, interval)
    except Exception:  # noqa: BLE001 - a cache that is down must not stop sign-ups
        logger.warning("Cache unavailable for the sign-up email limit", exc_info=True)
        return True


def subscriber_request(*, email: str, allow_email=None) -> Subscriber:
    """Start a sign-up, or repeat one. The caller's answer must be the same whatever happens here.

    New or unconfirmed addresses (and people who unsubscribed earlier) get a confirm link; an address
    that is already confirmed gets a harmless "you are already signed up" email instead. Repeats within
    UPDATES_EMAIL_INTERVAL_SECONDS send nothing more, so no one can use the form to flood an inbox.
    The email is queued with the address, in one transaction, and sent by the email worker, never here.
    `allow_email()`, when given, is asked only when an email would be queued (the per-client email limit): False
    raises EmailLimitReached and nothing is stored.
    """
    email = normalise_email(email)
    # Asked before the transaction: the limit may live in the database cache, and a failing cache query inside the
    # transaction would abort it (PostgreSQL) where the limit is meant to be skipped.
    may_email = _may_email(email)
    if may_email and allow_email is not None and not allow_email():
        raise EmailLimitReached
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email__iexact=email).order_by("pk").first()
        if subscriber is None:
            try:
                with transaction.atomic():
                    subscriber = Subscriber.objects.create(email=email)
            except IntegrityError:
                # Someone signed the same address up at the same moment.
                subscriber = Subscriber.objects.get(email=email)
        if may_email:
            email_job_enqueue(kind=SIGN_UP, subject_id=subscriber.pk, about=f"Subscriber {subscriber.pk}")
    return subscriber


def subscriber_confirm(*, token):
    """Confirm the address a link was sent to. Raises InvalidToken for expired or tampered links."""
    pk = read_confirm_token(token)
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=pk).first()
        if subscriber is None:
            raise InvalidToken
        if not subscriber.is_confirmed():
            # Following a confirm link again after unsubscribing is a fresh, explicit sign-up.
            subscriber.confirmed_at = timezone.now()
            subscriber.unsubscribed_at = None
            subscriber.save(update_fields=["confirmed_at", "unsubscribed_at"])
    return subscriber


def subscriber_unsubscribe(*, token):
    """Stop sending to the address the link belongs to. Raises InvalidToken for tampered links.

    Returns the subscriber, or None if staff have since deleted the address (nothing left to do).
    """
    pk = read_unsubscribe_token(token)
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=pk).first()
        if subscriber is not None and subscriber.unsubscribed_at is None:
            subscriber.unsubscribed_at = timezone.now()
            subscriber.save(update_fields=["unsubscribed_at"])
    return subscriber


def subscribers_clear_unconfirmed(*, now=None) -> int:
    """Forget sign-ups nobody confirmed before their link expired: an address no one confirmed is not kept."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(hours=settings.UPDATES_CONFIRM_MAX_AGE_HOURS)
    stale = Subscriber.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff)
    deleted, _ = stale.delete()
    return deleted
