from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


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

    class Meta:
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

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pages:page", kwargs={"slug": self.slug})

    @property
    def link_text(self):
        return self.nav_label or self.title
