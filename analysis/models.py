"""What the review team made of the responses: a codebook of themes per call, which items carry which theme (and who
said so, when), suggested themes from clustering, and the public "What we heard" page with its chosen quotes.

Nothing here holds a respondent's name, email or organisation; every screen and export of this app reads responses
through analysis.selectors, which never loads those fields.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from consultations.models import Call
from core.closure import site_is_closed
from submissions.models import Answer, Idea, Submission

from . import palette


class Theme(models.Model):
    """One entry of a call's codebook; a theme may sit under one top-level theme (one level of sub-themes only)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True, help_text="What belongs under this theme, for whoever codes next.")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        # A top-level theme deleted: its sub-themes and their coding are kept, as top-level themes.
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="Leave empty for a top-level theme. Only one level: a sub-theme has no sub-themes.",
    )
    colour = models.CharField(max_length=10, choices=palette.CHOICES, default=palette.DEFAULT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["call", "name"]
        constraints = [
            models.UniqueConstraint("call", Lower("name"), name="theme_name_unique_in_call"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="theme_not_its_own_parent"),
            models.CheckConstraint(condition=Q(colour__in=list(palette.HEX)), name="theme_colour_from_palette"),
        ]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id and self.parent else self.name

    @property
    def hex_colour(self):
        return palette.hex_colour(self.colour)

    def clean(self):
        errors = {}
        if self.parent_id is not None:
            parent = self.parent
            if self.pk is not None and parent.pk == self.pk:
                errors["parent"] = "A theme cannot sit under itself"
            elif parent.parent_id is not None:
                errors["parent"] = f"“{parent.name}” is itself a sub-theme: themes go one level deep only"
            elif self.call_id is not None and parent.call_id != self.call_id:
                errors["parent"] = "Choose a theme from the same call"
            elif self.pk is not None and self.children.exists():
                errors["parent"] = "This theme has sub-themes of its own, so it must stay at the top level"
        if self.call_id is not None and self.name:
            same = Theme.objects.filter(call_id=self.call_id, name__iexact=self.name.strip()).exclude(pk=self.pk)
            if same.exists():
                errors["name"] = "The codebook for this call already has a theme with this name"
        if errors:
            raise ValidationError(errors)


class Coding(models.Model):
    """One theme on one item: an answer, an idea, or a whole response. Who coded it, and when."""

    class Kind(models.TextChoices):
        RESPONSE = "response", "Whole response"
        ANSWER = "answer", "Answer"
        IDEA = "idea", "Idea"

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="codings")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # Always the response the item belongs to, so counts by response or respondent type need one join, not three.
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="codings")
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="codings")
    idea = models.ForeignKey(Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="codings")
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["theme", "submission"], name="coding_theme_submission_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="response") & Q(answer__isnull=True) & Q(idea__isnull=True))
                | (Q(kind="answer") & Q(answer__isnull=False) & Q(idea__isnull=True))
                | (Q(kind="idea") & Q(idea__isnull=False) & Q(answer__isnull=True)),
                name="coding_item_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["theme", "answer"], condition=Q(answer__isnull=False), name="one_coding_per_answer_theme"
            ),
            models.UniqueConstraint(
                fields=["theme", "idea"], condition=Q(idea__isnull=False), name="one_coding_per_idea_theme"
            ),
            models.UniqueConstraint(
                fields=["theme", "submission"], condition=Q(kind="response"), name="one_coding_per_response_theme"
            ),
        ]

    def __str__(self):
        return (
            f"{self.theme} on {self.get_kind_display().lower()} {self.answer_id or self.idea_id or self.submission_id}"
        )


class SuggestionRun(models.Model):
    """One clustering of a call's ideas and answers, run by the job worker; its suggestions are kept until used."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="suggestion_runs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_count = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Themes asked for; empty: chosen by the data (5 to 30)."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    stage = models.CharField(max_length=200, blank=True)
    message = models.TextField(blank=True, help_text="The outcome in plain words, e.g. why nothing was suggested.")
    items = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="suggestion_run_progress_a_percentage"),
            models.CheckConstraint(
                condition=Q(requested_count__isnull=True) | Q(requested_count__gte=2, requested_count__lte=30),
                name="suggestion_run_count_in_range",
            ),
        ]

    def __str__(self):
        return f"Suggestions for {self.call} ({self.get_status_display()})"

    @property
    def finished(self):
        return self.status in {self.Status.DONE, self.Status.FAILED}


class Suggestion(models.Model):
    """One proposed theme: a label of its top words, and the ideas and answers that make it up."""

    class State(models.TextChoices):
        OPEN = "open", "Not decided"
        ACCEPTED = "accepted", "Added to the codebook"
        MERGED = "merged", "Merged into another"
        DROPPED = "dropped", "Dropped"

    run = models.ForeignKey(SuggestionRun, on_delete=models.CASCADE, related_name="suggestions")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=100)
    top_words = models.JSONField(default=list)
    idea_ids = models.JSONField(default=list)
    answer_ids = models.JSONField(default=list)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="one_suggestion_per_position"),
            models.CheckConstraint(
                condition=~Q(state="accepted") | Q(theme__isnull=False), name="accepted_suggestion_has_theme"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def size(self):
        return len(self.idea_ids) + len(self.answer_ids)


class WhatWeHeardQuerySet(models.QuerySet):
    def public(self, now=None):
        """Pages the public may read: marked ready, of a call that has closed (every call has, once the site has)."""
        now = now or timezone.now()
        ready = self.filter(published=True)
        return ready if site_is_closed(now) else ready.filter(call__closes_at__lte=now)


class WhatWeHeard(models.Model):
    """The public summary of a closed call: staff's words in Markdown, figures computed live from the coding."""

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="what_we_heard")
    title = models.CharField(max_length=200, default="What we heard")
    summary = models.CharField(max_length=400, help_text="One or two sentences, for search results and the page.")
    body = models.TextField(help_text="Markdown: what the review heard, in the team's words.")
    published = models.BooleanField(
        "ready for the public",
        default=False,
        help_text="Shown to the public once the call has closed. Staff can preview it before then.",
    )
    top_themes = models.PositiveSmallIntegerField(default=10, help_text="How many themes the figures show.")
    updated_at = models.DateTimeField(auto_now=True)

    objects = WhatWeHeardQuerySet.as_manager()

    class Meta:
        verbose_name = "what we heard page"
        constraints = [
            models.CheckConstraint(condition=Q(top_themes__gte=1, top_themes__lte=30), name="what_we_heard_top_themes")
        ]

    def __str__(self):
        return f"{self.title}: {self.call}"

    def get_absolute_url(self):
        return reverse("analysis:what_we_heard", kwargs={"slug": self.call.slug})

    def is_public(self, now=None):
        """The instance twin of WhatWeHeard.objects.public()."""
        now = now or timezone.now()
        return self.published and (self.call.is_closed(now) or site_is_closed(now))


class Quote(models.Model):
    """An answer or idea staff chose to quote on What we heard. The page shows it only while its response may be
    published, and only in its public (redacted) form: the text is read live, never copied here."""

    page = models.ForeignKey(WhatWeHeard, on_delete=models.CASCADE, related_name="quotes")
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    idea = models.ForeignKey(Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="Shown beside it."
    )
    position = models.PositiveSmallIntegerField(default=0)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["page", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(answer__isnull=True) & Q(idea__isnull=False))
                | (Q(answer__isnull=False) & Q(idea__isnull=True)),
                name="quote_is_an_answer_or_an_idea",
            ),
            models.UniqueConstraint(
                fields=["page", "answer"], condition=Q(answer__isnull=False), name="quote_answer_once"
            ),
            models.UniqueConstraint(fields=["page", "idea"], condition=Q(idea__isnull=False), name="quote_idea_once"),
        ]

    def __str__(self):
        return f"Quote {self.position} on {self.page}"
