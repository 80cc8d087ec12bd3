"""Emails the web servers ask for and a separate worker sends: receipts, safeguarding alerts, sign-up emails.

A row is written in the same transaction as the change that needs the email, so a response that is stored always
has its receipt queued, and a rolled-back one never has. Workers claim rows with SELECT ... FOR UPDATE SKIP LOCKED
and hold them on a lease (locked_until): a worker that dies mid-send loses its claim when the lease runs out, and
another worker picks the job up again.

The job is the one record of trying: attempts, last_error and run_after are the only retry state there is. What it
is about is named by kind and subject_id only, with no foreign key: the sender registered for the kind knows which
table subject_id belongs to, and the outbox depends on no app that sends through it.
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

    def about(self, *, kind, subject_ids):
        """The jobs of one kind about these rows (ids, or a queryset of ids)."""
        return self.filter(kind=kind, subject_id__in=subject_ids)


class EmailJob(models.Model):
    class Status(models.TextChoices):
        READY = "ready", "Waiting"
        RUNNING = "running", "Being sent"
        DONE = "done", "Done"
        FAILED = "failed", "Given up"

    kind = models.CharField(max_length=50, help_text="Which registered sender sends it (outbox.registry).")
    subject_id = models.PositiveBigIntegerField(help_text="The id of the row it is about, in the kind's own table.")
    about = models.CharField(
        max_length=100, blank=True, help_text="What it is about, for staff and the logs, e.g. a response's reference."
    )
    dedupe_key = models.CharField(
        max_length=100,
        null=True,
        blank=True,
        unique=True,
        help_text="Jobs queued with the same key are one job, e.g. one receipt per response.",
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
        indexes = [
            models.Index(fields=["status", "run_after"], name="emailjob_status_run_after_idx"),
            models.Index(fields=["kind", "subject_id"], name="emailjob_kind_subject_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="running") | Q(locked_until__isnull=False), name="running_job_has_a_lease"
            ),
            # An empty key would make every keyless job one job: no key is NULL.
            models.CheckConstraint(condition=~Q(dedupe_key=""), name="emailjob_dedupe_key_not_empty"),
        ]

    def __str__(self):
        return f"{self.kind} for {self.about or self.subject_id} ({self.get_status_display()})"

    def is_due(self, now):
        """The instance twin of EmailJob.objects.due()."""
        if self.status == self.Status.READY:
            return self.run_after <= now
        return self.status == self.Status.RUNNING and self.locked_until is not None and self.locked_until <= now
