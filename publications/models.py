import os

from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.files import ALLOWED_TYPES
from core.publishing import Publishable, PublishedQuerySet


class Publication(Publishable, models.Model):
    """A report or document of the review (or about it): a summary, an HTML body where there is one, and files."""

    class Kind(models.TextChoices):
        REPORT = "report", "Report"
        EVIDENCE_REVIEW = "evidence_review", "Evidence review"
        GOVERNMENT_RESPONSE = "government_response", "Government response"
        DATA = "data", "Data"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=120,
        unique=True,
        help_text="Its address: final-report gives /publications/final-report/. Posts and pages link to it with "
        "[[publication:final-report]].",
    )
    kind = models.CharField("type", max_length=30, choices=Kind.choices, default=Kind.REPORT)
    summary = models.CharField(
        max_length=400, help_text="One or two plain sentences: shown in lists, search results and the feed."
    )
    body = models.TextField(
        blank=True,
        help_text="Markdown. The document itself in HTML, where there is one: the most accessible format. "
        "Leave empty when the files are the document.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(
        "publication date",
        null=True,
        blank=True,
        db_index=True,
        help_text="A published publication dated in the future stays hidden, files and all, until then.",
    )
    # Kept by the services whenever files change, so search finds a publication by its files' titles too.
    attachment_titles = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="published_publication_has_publication_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("publications:detail", kwargs={"slug": self.slug})


class Attachment(models.Model):
    """A file of a publication, checked by content when uploaded and kept under a name made from its SHA-256."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(max_length=200, help_text="What the file is, e.g. 'Final report (large print)'.")
    stored_name = models.CharField(
        max_length=300, editable=False, help_text="The first 16 of its SHA-256, a slash, its name: its storage name."
    )
    original_name = models.CharField(max_length=255, editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveBigIntegerField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    page_count = models.PositiveIntegerField(
        "pages",
        null=True,
        blank=True,
        help_text="Counted from the PDF when it is uploaded; correct it here if it is wrong.",
    )
    accessible = models.BooleanField(
        "meets accessibility standards",
        default=False,
        help_text="Tick only if the file works with screen readers and other assistive technology. Otherwise the "
        "page says it may not, and offers a request for another format.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "stored_name"], name="publication_file_once"),
            models.CheckConstraint(condition=~Q(stored_name=""), name="attachment_has_a_stored_file"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        kwargs = {"slug": self.publication.slug, "key": self.key, "filename": self.filename}
        return reverse("publications:file", kwargs=kwargs)

    @property
    def key(self):
        return self.stored_name.split("/", 1)[0]

    @property
    def filename(self):
        return self.stored_name.split("/", 1)[-1]

    @property
    def extension(self):
        return os.path.splitext(self.stored_name)[1].lower()

    @property
    def file_type(self):
        """PDF, DOCX, CSV: what the GOV.UK attachment pattern names."""
        return ALLOWED_TYPES.get(self.extension, (self.extension.lstrip(".").upper(), ""))[0]

    @property
    def is_pdf(self):
        return self.extension == ".pdf"
