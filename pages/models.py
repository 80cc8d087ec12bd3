from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.publishing import Publishable, PublishedQuerySet


class PageQuerySet(models.QuerySet):
    def in_header(self):
        return self.filter(nav_location=Page.NavLocation.HEADER).order_by("nav_order", "title")

    def in_footer(self):
        return self.filter(nav_location=Page.NavLocation.FOOTER).order_by("nav_order", "title")


class Page(models.Model):
    """A content page staff edit, served at /<slug>/."""

    class NavLocation(models.TextChoices):
        NONE = "none", "Not linked"
        HEADER = "header", "Header navigation"
        FOOTER = "footer", "Footer links"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.CharField(max_length=300, blank=True, help_text="One or two sentences for search results.")
    body = models.TextField(help_text="Markdown.")
    nav_location = models.CharField("linked from", max_length=10, choices=NavLocation.choices, default=NavLocation.NONE)
    nav_label = models.CharField(max_length=60, blank=True, help_text="Shorter link text; the title if empty.")
    nav_order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PageQuerySet.as_manager()
    # Who changed what, and when (django-simple-history): shown, and revertible, in the admin.
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pages:page", kwargs={"slug": self.slug})

    @property
    def link_text(self):
        return self.nav_label or self.title


class FAQ(models.Model):
    question = models.CharField(max_length=300)
    slug = models.SlugField(
        "anchor",
        max_length=80,
        unique=True,
        help_text="Stable link to this answer (/faqs/#anchor). Change it only if you must: links to it will break.",
    )
    answer = models.TextField(help_text="Markdown.")
    position = models.PositiveIntegerField(default=0, db_index=True, help_text="Lower numbers come first.")
    updated_at = models.DateTimeField(auto_now=True)
    # Who changed what, and when (django-simple-history): shown, and revertible, in the admin.
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "FAQ"
        verbose_name_plural = "FAQs"

    def __str__(self):
        return self.question

    def get_absolute_url(self):
        return f"{reverse('pages:faqs')}#{self.slug}"


class Post(Publishable, models.Model):
    """A news item or a blog post."""

    class Kind(models.TextChoices):
        NEWS = "news", "News"
        BLOG = "blog", "Blog"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NEWS)
    summary = models.CharField(max_length=300)
    body = models.TextField(help_text="Markdown. Scripts and unsafe links are removed before anyone reads it.")
    author_name = models.CharField(max_length=120, blank=True)
    author_role = models.CharField(max_length=160, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(
        "publication date",
        null=True,
        blank=True,
        db_index=True,
        help_text="A published post dated in the future stays hidden until then.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()
    # Who changed what, and when (django-simple-history): shown, and revertible, in the admin.
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="published_post_has_publication_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pages:post_detail", kwargs={"slug": self.slug})


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        """Addresses that confirmed by the emailed link and have not unsubscribed since."""
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


class Subscriber(models.Model):
    """Someone who asked for email updates. Counts only once confirmed (double opt-in)."""

    email = models.EmailField(max_length=254, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.email

    def is_confirmed(self):
        return self.confirmed_at is not None and self.unsubscribed_at is None


class SubscriberUpdate(models.Model):
    """An email staff write once and send to every confirmed subscriber (pages/updates.py, the admin's Send)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        QUEUEING = "queueing", "Being queued"
        QUEUED = "queued", "Queued: sending"

    subject = models.CharField(max_length=150)
    body = models.TextField(
        help_text="Markdown, as in posts. Links to this website may be written /news/ or [[publication:final-report]]."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    send_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    send_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    # Queueing goes through the confirmed subscribers in id order, a batch at a time: how far it got, and how many.
    queued_through = models.PositiveBigIntegerField(default=0, editable=False)
    recipients = models.PositiveIntegerField(default=0, editable=False)
    first_send_at = models.DateTimeField(null=True, blank=True, editable=False)
    queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    post = models.OneToOneField(
        Post,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="subscriber_update",
        help_text="The news post published with it, if one was.",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "update to subscribers"
        verbose_name_plural = "updates to subscribers"
        permissions = [("send_subscriberupdate", "Can send an update to every confirmed subscriber")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(send_requested_at__isnull=False), name="sent_update_has_send_time"
            ),
        ]

    def __str__(self):
        return self.subject

    def is_draft(self):
        return self.status == self.Status.DRAFT


class UpdateDelivery(models.Model):
    """One update to one subscriber: the one row that says whether it went, so it never goes twice."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting"
        # Claimed by a worker that has not yet let go of it: if that worker dies now, nothing went, so another sends.
        SENDING = "sending", "Being sent"
        # Past the point of no return (the mail server may have it): never sent again by anyone else.
        HANDED_OVER = "handed_over", "Handed to the mail server"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Not sent: unsubscribed before it went"
        UNKNOWN = "unknown", "Not known: a worker stopped as it handed it over, so it was not sent again"

    update = models.ForeignKey(SubscriberUpdate, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=11, choices=Status.choices, default=Status.QUEUED)
    claimed_by = models.CharField(
        max_length=100, blank=True, help_text="The worker that claimed it last: only that one may hand it over."
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "update deliveries"
        constraints = [
            models.UniqueConstraint(fields=["update", "subscriber"], name="one_email_per_subscriber_per_update"),
            models.CheckConstraint(
                condition=~Q(status__in=["sending", "handed_over"]) | ~Q(claimed_by=""),
                name="delivery_in_hand_has_a_claimant",
            ),
        ]
        indexes = [models.Index(fields=["update", "status"], name="updatedelivery_update_status")]

    def __str__(self):
        return f"Update {self.update_id} to subscriber {self.subscriber_id} ({self.get_status_display()})"


class UpdateTestEmail(models.Model):
    """A test of an update, sent to the member of staff who asked for it."""

    update = models.ForeignKey(SubscriberUpdate, on_delete=models.CASCADE, related_name="tests")
    to = models.EmailField(max_length=254)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Test of update {self.update_id}"
