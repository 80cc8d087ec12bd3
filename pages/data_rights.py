"""What this app holds about a person (an email-updates subscription), for erasure and subject-access requests.

Registered with core.data_rights in PagesConfig.ready(); the data-rights services call it without importing pages.
"""

from outbox.services import email_jobs_forget_errors

from .emails import SIGN_UP, UPDATE
from .models import Subscriber, UpdateDelivery


def _subscribers(email):
    return Subscriber.objects.filter(email__iexact=email.strip())


def subscriber_count(email: str) -> int:
    return _subscribers(email).count()


def subscriber_erase(email: str) -> int:
    subscribers = _subscribers(email)
    # A failed sign-up email's error can quote the address back too.
    email_jobs_forget_errors(kind=SIGN_UP, subject_ids=list(subscribers.values_list("pk", flat=True)))
    # So can a failed update's; its delivery rows go with the subscriber.
    deliveries = UpdateDelivery.objects.filter(subscriber__in=subscribers).values_list("pk", flat=True)
    email_jobs_forget_errors(kind=UPDATE, subject_ids=list(deliveries))
    deleted, _ = subscribers.delete()
    return deleted


def subscriber_export(email: str) -> dict | None:
    subscriber = _subscribers(email).first()
    if subscriber is None:
        return None

    def iso(value):
        return value.isoformat() if value else None

    return {
        "email": subscriber.email,
        "signed_up_at": iso(subscriber.created_at),
        "confirmed_at": iso(subscriber.confirmed_at),
        "unsubscribed_at": iso(subscriber.unsubscribed_at),
    }
