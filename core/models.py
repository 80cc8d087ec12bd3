"""Site-wide state: the closure notice that puts the whole site into archive mode."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class ClosureNoticeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class ClosureNotice(models.Model):
    """The site-wide banner saying the site will close, and where its archive will be kept."""

    message = models.TextField(help_text="Markdown. Shown at the top of every page while the notice is active.")
    closes_at = models.DateTimeField(
        "closing date",
        help_text="From this moment the site is in archive mode: it accepts nothing from the public.",
    )
    archive_url = models.URLField("archive address", max_length=500)
    is_active = models.BooleanField("active", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClosureNoticeQuerySet.as_manager()
    # Who changed what, and when (django-simple-history): shown, and revertible, in the admin.
    history = HistoricalRecords()

    class Meta:
        # Kept when the model moved here from pages: existing sites keep their notices.
        db_table = "pages_closurenotice"
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="one_active_closure_notice"
            ),
        ]

    def __str__(self):
        return f"Closure notice: closes {timezone.localtime(self.closes_at):%d %B %Y}"

    def clean(self):
        if self.is_active and ClosureNotice.objects.active().exclude(pk=self.pk).exists():
            raise ValidationError({"is_active": "Another closure notice is already active. Make it inactive first."})

    def is_closed(self, now=None):
        return (now or timezone.now()) >= self.closes_at


class ScheduledJob(models.Model):
    """A job in settings.SCHEDULED_JOBS: when it runs next, and which scheduler is running it now (core/scheduler.py).

    A scheduler runs a job only after claiming this row; the claim lasts until `claimed_until` (renewed while the job
    runs), so a job whose scheduler died is run again by another once that has passed.
    """

    name = models.CharField(max_length=100, unique=True)
    command = models.CharField(max_length=500, help_text="The management command and its arguments.")
    schedule = models.CharField(max_length=200)
    next_run_at = models.DateTimeField("next run")
    claimed_by = models.CharField("running on", max_length=100, blank=True)
    claimed_until = models.DateTimeField("claimed until", null=True, blank=True)
    # Claims so far: numbers the runs, and a claim counts only if nobody changed it since it was read.
    runs = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ScheduledJobRun(models.Model):
    """One run of a scheduled job: when it started and finished, how it ended, and the end of what it printed."""

    class Outcome(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        LOST = "lost", "Lost (its scheduler stopped; run again)"

    job = models.ForeignKey(ScheduledJob, on_delete=models.CASCADE, related_name="run_history")
    number = models.PositiveIntegerField()
    due_at = models.DateTimeField("due")
    scheduler = models.CharField(max_length=100)
    started_at = models.DateTimeField("started")
    finished_at = models.DateTimeField("finished", null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.RUNNING)
    output = models.TextField(blank=True, help_text="The end of what the command printed, and the error if it failed.")

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            # A claim gives the run its number: two schedulers believing they claimed one run could not both record it.
            models.UniqueConstraint(fields=["job", "number"], name="one_run_per_claim"),
        ]

    def __str__(self):
        return f"{self.job.name} #{self.number}"

    @property
    def duration(self):
        return self.finished_at - self.started_at if self.finished_at else None
