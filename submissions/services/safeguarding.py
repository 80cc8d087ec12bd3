"""Safeguarding alerts: who is told when a response is flagged, and the alert itself (a link, never the response)."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse

from outbox.models import EmailJob
from outbox.services import email_job_enqueue

from ..emails import SAFEGUARDING_ALERT
from ..models import Submission

logger = logging.getLogger(__name__)

SAFEGUARDING_GROUP = "Safeguarding leads"


class NoSafeguardingLeads(RuntimeError):
    """A response was flagged and there is nobody to tell."""


def safeguarding_recipients() -> list[str]:
    """The safeguarding leads with an email address, and the addresses in settings.SAFEGUARDING_EMAILS."""
    users = get_user_model().objects.filter(groups__name=SAFEGUARDING_GROUP, is_active=True).exclude(email="")
    addresses = {email.strip().lower(): email.strip() for email in users.values_list("email", flat=True)}
    for email in getattr(settings, "SAFEGUARDING_EMAILS", []):
        addresses.setdefault(email.strip().lower(), email.strip())
    return sorted(addresses.values(), key=str.lower)


def safeguarding_alert_enqueue(*, submission: Submission) -> EmailJob:
    """Queue the alert for a response just flagged; call it in the flag's own transaction."""
    return email_job_enqueue(kind=SAFEGUARDING_ALERT, subject_id=submission.pk, about=submission.reference)


def safeguarding_alert_send(*, job: EmailJob) -> None:
    """The outbox's sender for alerts: tell the leads a response needs attention.

    Only a link: the response and its respondent stay in the console. Raises if the mail server refuses it.
    """
    recipients = safeguarding_recipients()
    if not recipients:
        # Never a silent success: the job fails, is retried (someone may be set up meanwhile) and shows in the admin.
        raise NoSafeguardingLeads("No safeguarding lead with an email address is set up: nobody was told.")
    submission = Submission.objects.only("reference").filter(pk=job.subject_id).first()
    if submission is None:
        logger.warning("Response %s was flagged for safeguarding and has since been deleted", job.subject_id)
        return
    link = settings.SITE_URL + reverse("admin:submissions_safeguardingqueue_change", args=[submission.pk])
    body = (
        "A response to the review has been flagged for safeguarding and needs your attention.\n\n"
        f"Reference: {submission.reference}\n\n"
        f"Open it in the staff console (you will need to sign in):\n{link}\n\n"
        "This email does not include what the respondent wrote or their details. Please read them in the "
        "console rather than forwarding this message.\n"
    )
    send_mail(
        "A response needs safeguarding attention",
        body,
        settings.DEFAULT_FROM_EMAIL,
        recipients,
        fail_silently=False,
    )
