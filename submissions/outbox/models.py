"""Emails the web servers ask for and a separate worker sends: receipts and safeguarding alerts.

A row is written in the same transaction as the change that needs the email, so a response that is stored always
has its receipt queued, and a rolled-back one never has. Workers claim rows with SELECT ... FOR UPDATE SKIP LOCKED
and hold them on a lease (locked_until): a worker that dies mid-send loses its claim when the lease runs out, and
another worker picks the job up again.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class EmailJobQuerySet(models.QuerySet):
    def due(self, now):
        """Jobs a worker may claim now: ready and due, or claimed by a worker whose lease has run out."""
        return self.filter(
            Q(status=EmailJob.Status.READY, run_after__lte=now)
            | Q(status=EmailJob.Status.RUNNING, locked_until__lte=now)
        )


class EmailJob(models.Model):
    class Kind(models.TextChoices):
        RECEIPT = "receipt", "Receipt to a respondent"
        SAFEGUARDING_ALERT = "safeguarding_alert", "Safeguarding alert to the leads"

    class Status(models.TextChoices):
        READY = "ready", "Waiting"
        RUNNING = "running", "Being sent"
        DONE = "done", "Done"
        FAILED = "failed", "Given up"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="email_jobs", verbose_name="response"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.READY)
    created_at = models.DateTimeField(default=timezone.now)
    run_after = models.DateTimeField(default=timezone.now, help_text="Not tried before this time (backoff).")
    attempts = models.PositiveSmallIntegerField(default=0)
    locked_by = models.CharField(max_length=100, blank=True, help_text="The worker that claimed it last.")
    locked_until = models.DateTimeField(null=True, blank=True, help_text="The claim's lease runs out then.")
    finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    objects = EmailJobQuerySet.as_manager()

    class Meta:
        verbose_name = "email job"
        ordering = ["run_after", "id"]
        indexes = [models.Index(fields=["status", "run_after"], name="emailjob_status_run_after_idx")]
        constraints = [
            # One receipt per response, however often it is queued (a retry re-queues the same row).
            models.UniqueConstraint(fields=["submission"], condition=Q(kind="receipt"), name="one_receipt_job"),
            models.CheckConstraint(
                condition=~Q(status="running") | Q(locked_until__isnull=False), name="running_job_has_a_lease"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.submission_id} ({self.get_status_display()})"

    def is_due(self, now):
        """The instance twin of EmailJob.objects.due()."""
        if self.status == self.Status.READY:
            return self.run_after <= now
        return self.status == self.Status.RUNNING and self.locked_until is not None and self.locked_until <= now
