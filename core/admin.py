from django.conf import settings
from django.contrib import admin, messages
from django.db import models
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from . import scheduler
from .models import ClosureNotice, ScheduledJob, ScheduledJobRun

# How many runs a job's page lists; the list of runs has them all.
RECENT_RUNS = 10


def _took(run):
    return f"{run.duration.total_seconds():.1f} s" if run.duration is not None else ""


@admin.register(ClosureNotice)
class ClosureNoticeAdmin(SimpleHistoryAdmin):  # History: who changed what, and when, with revert
    """Only one notice can be active; the model's clean() says so kindly, the database enforces it."""

    list_display = ["__str__", "closes_at", "is_active", "updated_at"]
    list_filter = ["is_active"]
    fields = ["message", "closes_at", "archive_url", "is_active"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin):
    """Read-only: the jobs in SCHEDULED_JOBS, when each runs next and how its last run went. "Run now" only makes a
    job due: a scheduler (`manage.py run_scheduler`) runs it within SCHEDULER_POLL_SECONDS and records it as usual."""

    list_display = ["name", "command", "schedule", "next_run_at", "state", "last_outcome", "last_finished_at"]
    readonly_fields = [
        "name",
        "command",
        "schedule",
        "next_run_at",
        "state",
        "claimed_until",
        "last_output",
        "runs_kept",
    ]
    fields = readonly_fields
    actions = ["run_now"]

    def get_queryset(self, request):
        last = ScheduledJobRun.objects.filter(job=OuterRef("pk")).order_by("-number")
        return (
            super()
            .get_queryset(request)
            .annotate(
                last_outcome=Subquery(last.values("outcome")[:1]),
                last_finished_at=Subquery(last.values("finished_at")[:1]),
                last_output=Subquery(last.values("output")[:1]),
            )
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="state")
    def state(self, job):
        if job.name not in settings.SCHEDULED_JOBS:
            return "Not scheduled (no longer in SCHEDULED_JOBS)"
        if job.claimed_until and job.claimed_until > timezone.now():
            return f"Running on {job.claimed_by}"
        if job.claimed_by:
            return f"Stopped mid-run on {job.claimed_by}: another scheduler will run it again"
        return "Waiting"

    @admin.display(description="last run", ordering="last_outcome")
    def last_outcome(self, job):
        return ScheduledJobRun.Outcome(job.last_outcome).label if job.last_outcome else "Never run"

    @admin.display(description="last run finished", ordering="last_finished_at")
    def last_finished_at(self, job):
        return job.last_finished_at

    @admin.display(description="output of the last run")
    def last_output(self, job):
        return format_html("<pre>{}</pre>", job.last_output) if job.last_output else "-"

    @admin.display(description="latest runs")
    def runs_kept(self, job):
        runs = job.run_history.order_by("-number")[:RECENT_RUNS]
        rows = format_html_join(
            "",
            '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
            (
                (
                    reverse("admin:core_scheduledjobrun_change", args=[run.pk]),
                    run.number,
                    date_format(timezone.localtime(run.started_at), "DATETIME_FORMAT"),
                    run.get_outcome_display(),
                    _took(run),
                    run.scheduler,
                )
                for run in runs
            ),
        )
        every_run = reverse("admin:core_scheduledjobrun_changelist") + f"?job__id__exact={job.pk}"
        return format_html(
            "<table><tr><th>Run</th><th>Started</th><th>Outcome</th><th>Took</th><th>Scheduler</th></tr>{}</table>"
            '<p><a href="{}">Every run kept</a></p>',
            rows,
            every_run,
        )

    @admin.action(description="Run the selected jobs now", permissions=["change"])
    def run_now(self, request, queryset):
        names = list(queryset.values_list("name", flat=True))
        marked = scheduler.jobs_mark_due(names=names)
        self.message_user(
            request,
            f"{marked} job(s) will run within {settings.SCHEDULER_POLL_SECONDS} seconds, if a scheduler is running.",
            messages.SUCCESS,
        )
        if marked < len(names):
            self.message_user(request, f"{len(names) - marked} job(s) are running now and were left alone.")


@admin.register(ScheduledJobRun)
class ScheduledJobRunAdmin(admin.ModelAdmin):
    """Read-only: every run kept (SCHEDULER_HISTORY_DAYS), with what it printed."""

    list_display = ["job", "number", "due_at", "started_at", "finished_at", "took", "outcome", "scheduler"]
    list_filter = ["outcome", "job"]
    list_select_related = ["job"]
    readonly_fields = ["job", "number", "due_at", "scheduler", "started_at", "finished_at", "outcome", "printed"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="took")
    def took(self, run):
        return _took(run)

    @admin.display(description="output")
    def printed(self, run):
        return format_html("<pre>{}</pre>", run.output) if run.output else "-"
