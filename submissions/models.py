import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from consultations.models import Call, Question


class SubmissionQuerySet(models.QuerySet):
    def publishable(self):
        """Responses the public may read: approved, not flagged, the respondent agreed and the call allows it."""
        return self.filter(
            status=Submission.Status.APPROVED,
            safeguarding_flag=False,
            call__responses_may_be_published=True,
        ).exclude(publication=Submission.Publication.DO_NOT_PUBLISH)

    def receipt_pending(self):
        """Responses sent through the website whose respondent gave an email address but has no receipt yet (waiting,
        failing or given up on). Responses by email, post or at an event never get one: staff typed them in."""
        return self.filter(receipt_sent_at__isnull=True, channel=Submission.Channel.WEB).exclude(email="")


class Submission(models.Model):
    """One response to a call, stored whole in one transaction."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    class RespondentType(models.TextChoices):
        YOUNG_PERSON = "young_person", "Care-experienced child or young person (under 18)"
        CARE_EXPERIENCED_ADULT = "care_experienced_adult", "Care-experienced adult"
        FAMILY = "family", "Parent or family member"
        CARER = "carer", "Foster or kinship carer"
        PRACTITIONER = "practitioner", "Social worker or other practitioner"
        RESEARCHER = "researcher", "Researcher or academic"
        ORGANISATION = "organisation", "Responding for an organisation"
        OTHER = "other", "Other"

    class Publication(models.TextChoices):
        WITH_NAME = "with_name", "Publish my response with my name"
        ANONYMOUS = "anonymous", "Publish my response anonymously"
        DO_NOT_PUBLISH = "do_not_publish", "Do not publish my response"

    class Channel(models.TextChoices):
        """How the response reached the review: the website's form, or imported by staff (import_responses)."""

        WEB = "web", "Website"
        EMAIL = "email", "Email"
        POST = "post", "Post"
        EVENT = "event", "Event"
        OTHER = "other", "Other"

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="submissions")
    reference = models.CharField(max_length=32, unique=True)
    journey_token = models.UUIDField(
        unique=True, default=uuid.uuid4, help_text="One per journey, so a second Submit stores nothing new."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    rejection_reason = models.TextField(blank=True)
    moderation_note = models.TextField(blank=True)
    safeguarding_flag = models.BooleanField(default=False)
    # Bumped on every moderation change, so two moderators cannot silently overwrite each other.
    version = models.PositiveIntegerField(default=1)

    respondent_type = models.CharField(max_length=30, choices=RespondentType.choices)
    organisation_name = models.CharField(max_length=200, blank=True)
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    publication = models.CharField(max_length=20, choices=Publication.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    consented_at = models.DateTimeField()
    submitted_at = models.DateTimeField(db_index=True)
    personal_data_removed_at = models.DateTimeField(null=True, blank=True)

    # That the receipt went; how often it was tried, and why it failed, is its outbox job's (selectors.receipt_job).
    receipt_sent_at = models.DateTimeField(null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = "response"
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["call", "status", "-submitted_at"], name="submission_call_status_idx"),
            models.Index(fields=["status", "submitted_at"], name="submission_status_idx"),
            models.Index(fields=["respondent_type"], name="submission_type_idx"),
            models.Index(fields=["email"], name="submission_email_idx"),
        ]
        permissions = [("export_submission", "Can export responses")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="rejected_submission_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(respondent_type="organisation") | ~Q(organisation_name=""),
                name="organisation_submission_has_organisation_name",
            ),
        ]

    def __str__(self):
        return self.reference

    def is_publishable(self):
        """The instance twin of Submission.objects.publishable()."""
        return (
            self.status == self.Status.APPROVED
            and not self.safeguarding_flag
            and self.publication != self.Publication.DO_NOT_PUBLISH
            and self.call.responses_may_be_published
        )

    def is_receipt_pending(self):
        """The instance twin of Submission.objects.receipt_pending()."""
        return bool(self.email) and self.receipt_sent_at is None and self.channel == self.Channel.WEB

    @property
    def public_name(self):
        """Who the public page says wrote it: their name only if they chose so, and only while it is kept."""
        if self.publication != self.Publication.WITH_NAME or self.personal_data_removed_at:
            return "Anonymous"
        if self.respondent_type == self.RespondentType.ORGANISATION and self.organisation_name:
            return self.organisation_name
        return self.name or "Anonymous"


class SafeguardingQueue(Submission):
    """Flagged responses only, for the safeguarding leads' own list in the staff console."""

    class Meta:
        proxy = True
        verbose_name = "flagged response"
        verbose_name_plural = "safeguarding queue"


class ModerationEvent(models.Model):
    """One change of a response's status, safeguarding flag or public text, and who made it."""

    class Action(models.TextChoices):
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Marked as spam"
        FLAGGED = "flagged", "Flagged for safeguarding"
        UNFLAGGED = "unflagged", "Safeguarding flag removed"
        REDACTED = "redacted", "Public text edited"
        IDEA_WITHHELD = "idea_withheld", "Idea withheld"
        IDEA_RELEASED = "idea_released", "Idea no longer withheld"
        KEPT = "kept", "Possible personal details kept as written"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="moderation_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=10, choices=Submission.Status.choices)
    to_status = models.CharField(max_length=10, choices=Submission.Status.choices)
    from_flag = models.BooleanField()
    to_flag = models.BooleanField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.submission}: {self.get_action_display()}"


class Answer(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True)
    selected = models.JSONField(default=list, blank=True, help_text="The chosen options, for choice questions.")
    redacted_text = models.TextField(
        blank=True, help_text="The public version, with names of children, workers or places removed."
    )

    class Meta:
        ordering = ["question__position", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "question"], name="one_answer_per_question"),
        ]

    def __str__(self):
        return f"{self.submission} · {self.question}"

    @property
    def public_text(self):
        """What the public may read: the moderator's version where there is one, else the answer as sent."""
        return self.redacted_text or self.text


class Idea(models.Model):
    """One idea in a response to the Call for Ideas; each can be published or withheld on its own."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="ideas")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=150)
    body = models.TextField()
    redacted_title = models.CharField(max_length=150, blank=True)
    redacted_body = models.TextField(blank=True)
    withheld = models.BooleanField(default=False)

    class Meta:
        ordering = ["submission", "position"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "position"], name="one_idea_per_position"),
        ]

    def __str__(self):
        return self.title

    @property
    def public_title(self):
        return self.redacted_title or self.title

    @property
    def public_body(self):
        return self.redacted_body or self.body


class PersonalDataKept(models.Model):
    """A moderator's decision that a possible personal detail may be published as written (a public figure's name,
    a helpline). It holds a hash of the text, never the text, and who decided and when."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="kept_personal_data")
    kind = models.CharField(max_length=30)
    text_hash = models.CharField(max_length=64, help_text="SHA-256 of the detail, case and spacing folded.")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "personal detail kept as written"
        verbose_name_plural = "personal details kept as written"
        constraints = [
            models.UniqueConstraint(fields=["submission", "kind", "text_hash"], name="one_keep_per_detail"),
        ]

    def __str__(self):
        return f"{self.submission}: {self.kind}"


class ExportRecord(models.Model):
    """Who downloaded which responses, and whether the file held personal data: every export leaves one."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    personal = models.BooleanField("with personal data")
    file_format = models.CharField(max_length=10)
    filters = models.TextField(blank=True, help_text="The list's filters and search when the export was made.")
    rows = models.PositiveIntegerField(default=0)
    details_replaced = models.PositiveIntegerField(
        default=0, help_text="Possible personal details the check still found, and replaced, in an export without."
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{'Personal' if self.personal else 'Anonymous'} {self.file_format} export of {self.rows} rows"


class Attachment(models.Model):
    """A file sent with a response; stored under a random name in private storage, never public."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    original_name = models.CharField(max_length=255, help_text="The name the respondent gave it, made safe.")
    stored_name = models.CharField(max_length=255, unique=True)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=120)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        permissions = [("download_attachment", "Can download attachments")]

    def __str__(self):
        return self.original_name


class DataRightsEvent(models.Model):
    """An audit entry for retention and data-rights work; holds a hash of the address, never the address."""

    class Action(models.TextChoices):
        RETENTION = "retention", "Retention applied"
        ERASURE = "erasure", "Respondent erased"
        ACCESS_EXPORT = "access_export", "Subject access export"

    action = models.CharField(max_length=20, choices=Action.choices)
    actor = models.CharField(max_length=150, help_text="Who ran it: the operating system user or --actor.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    email_hash = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the lower-cased email address; empty for retention."
    )
    records_affected = models.PositiveIntegerField(default=0)
    dry_run = models.BooleanField(default=False)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"
