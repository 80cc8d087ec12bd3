"""Site-wide state: the closure notice that puts the whole site into archive mode."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
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
