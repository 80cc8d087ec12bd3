from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class ReviewPhase(models.TextChoices):
    """The review's four phases, in order."""

    DIAGNOSIS = "diagnosis", "Diagnosis"
    DISCOVERY = "discovery", "Discovery"
    DEVELOPMENT = "development", "Development"
    DELIVERY = "delivery", "Delivery"


class CallQuerySet(models.QuerySet):
    """Status comes from the clock; windows are half-open: opens_at <= now < closes_at."""

    def upcoming(self, now=None):
        return self.filter(opens_at__gt=now or timezone.now())

    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def closed(self, now=None):
        return self.filter(closes_at__lte=now or timezone.now())


class Call(models.Model):
    """A call for advice, evidence or ideas: a dated phase that opens and closes by itself."""

    class Kind(models.TextChoices):
        ADVICE = "advice", "Call for Advice"
        EVIDENCE = "evidence", "Call for Evidence"
        IDEAS = "ideas", "Call for Ideas"

    class Status(models.TextChoices):
        UPCOMING = "upcoming", "Upcoming"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.CharField(max_length=400)
    body = models.TextField(help_text="Markdown: what the call is about and what it asks.")
    audience = models.TextField("who it is for", help_text="Markdown.")
    phase = models.CharField("review phase", max_length=12, choices=ReviewPhase.choices)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    accepts_attachments = models.BooleanField(default=False)
    idea_word_limit = models.PositiveSmallIntegerField(
        default=250, help_text="Call for Ideas only: the most words in one idea."
    )
    max_ideas = models.PositiveSmallIntegerField(default=10, help_text="Call for Ideas only: ideas per response.")
    responses_may_be_published = models.BooleanField(default=True)
    outcome = models.TextField("what we heard", blank=True, help_text="Markdown, added after the call closes.")
    retention_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Days after the call closes that respondents' names and contact details are kept. "
        "Empty: kept until staff decide.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CallQuerySet.as_manager()
    # Who changed what, and when (django-simple-history): shown, and revertible, in the admin.
    history = HistoricalRecords()

    class Meta:
        ordering = ["opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="call_closes_after_it_opens"),
            models.CheckConstraint(condition=Q(idea_word_limit__gte=1), name="call_idea_word_limit_positive"),
            models.CheckConstraint(condition=Q(max_ideas__gte=1), name="call_max_ideas_positive"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultations:call_detail", kwargs={"slug": self.slug})

    def get_respond_url(self):
        """Where the response journey starts (the submissions app serves it)."""
        return f"{self.get_absolute_url()}respond/"

    def get_responses_url(self):
        """Where published responses are listed (the submissions app serves it)."""
        return f"{self.get_absolute_url()}responses/"

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "The closing time must be after the opening time"})

    def is_upcoming(self, now=None):
        return (now or timezone.now()) < self.opens_at

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def is_closed(self, now=None):
        return (now or timezone.now()) >= self.closes_at

    def status(self, now=None):
        now = now or timezone.now()
        if self.is_upcoming(now):
            return self.Status.UPCOMING
        if self.is_open(now):
            return self.Status.OPEN
        return self.Status.CLOSED

    @property
    def is_ideas(self):
        return self.kind == self.Kind.IDEAS

    @property
    def reference_prefix(self):
        return self.kind.upper()


class Question(models.Model):
    class AnswerType(models.TextChoices):
        SHORT_TEXT = "short_text", "Short text"
        LONG_TEXT = "long_text", "Long text"
        ONE_CHOICE = "one_choice", "One choice"
        MANY_CHOICES = "many_choices", "Several choices"

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    prompt = models.CharField(max_length=500)
    hint = models.TextField(blank=True)
    required = models.BooleanField(default=True)
    answer_type = models.CharField(max_length=20, choices=AnswerType.choices, default=AnswerType.LONG_TEXT)
    word_limit = models.PositiveIntegerField(null=True, blank=True, help_text="Long text only. Empty: no limit.")
    choices = models.TextField(blank=True, help_text="One choice per line, for the choice answer types.")
    # Who changed what, and when (django-simple-history): shown, and revertible, in the admin.
    history = HistoricalRecords()

    class Meta:
        ordering = ["call", "position", "id"]

    def __str__(self):
        return self.prompt

    def clean(self):
        if self.has_choices and not self.choice_list:
            raise ValidationError({"choices": "Enter at least one choice, one per line"})

    @property
    def has_choices(self):
        return self.answer_type in {self.AnswerType.ONE_CHOICE, self.AnswerType.MANY_CHOICES}

    @property
    def choice_list(self):
        return [line.strip() for line in self.choices.splitlines() if line.strip()]
