from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


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


class PostQuerySet(models.QuerySet):
    def published(self, now=None):
        """What the public may see: published, and dated now or earlier."""
        return self.filter(status=Post.Status.PUBLISHED, published_at__lte=now or timezone.now())


class Post(models.Model):
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

    objects = PostQuerySet.as_manager()
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

    def clean(self):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            raise ValidationError({"published_at": "Enter a publication date to publish this post"})

    def is_published(self, now=None):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= (now or timezone.now())
        )


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
