"""Reads for the pages app's staff screens: how far an update to subscribers has gone."""

from dataclasses import dataclass

from django.db.models import Count, Max, Q

from outbox.models import EmailJob

from .emails import UPDATE
from .models import Subscriber, SubscriberUpdate, UpdateDelivery


@dataclass(frozen=True)
class UpdateProgress:
    queued: int  # emails queued so far: one per confirmed subscriber when queueing began
    sent: int
    waiting: int  # queued, not sent yet, still to be tried
    failed: int  # the mail server refused every try: given up (staff can try again in the outbox)
    skipped: int  # unsubscribed before their email went
    unknown: int  # a worker stopped mid-send: may have gone, never sent again
    last_due: object  # when the last email is due to be sent (the rate limit), or None

    @property
    def done(self):
        return self.waiting == 0


def confirmed_subscriber_count() -> int:
    return Subscriber.objects.confirmed().count()


def update_progress(update: SubscriberUpdate) -> UpdateProgress:
    """The counts on the update's admin page, in two queries whatever the number of subscribers."""
    deliveries = UpdateDelivery.objects.filter(update=update)
    by_status = dict(deliveries.order_by().values_list("status").annotate(n=Count("pk")))
    jobs = EmailJob.objects.filter(kind=UPDATE, subject_id__in=deliveries.values("pk"))
    job_counts = jobs.order_by().aggregate(
        failed=Count("pk", filter=_failed()), last_due=Max("run_after", filter=_not_finished())
    )
    status = UpdateDelivery.Status
    failed = job_counts["failed"]
    pending = sum(by_status.get(s, 0) for s in (status.QUEUED, status.SENDING, status.HANDED_OVER))
    return UpdateProgress(
        queued=update.recipients,
        sent=by_status.get(status.SENT, 0),
        waiting=max(pending - failed, 0),
        failed=failed,
        skipped=by_status.get(status.SKIPPED, 0),
        unknown=by_status.get(status.UNKNOWN, 0),
        last_due=job_counts["last_due"],
    )


def _failed():
    return Q(status=EmailJob.Status.FAILED)


def _not_finished():
    return Q(status__in=[EmailJob.Status.READY, EmailJob.Status.RUNNING])
