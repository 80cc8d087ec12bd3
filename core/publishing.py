"""The one rule for dated, published content (news and blog posts, publications): the public sees an item once its
status is "published" and its date has come, not before. Models using it have a nested Status with PUBLISHED and a
published_at date."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class PublishedQuerySet(models.QuerySet):
    def published(self, now=None):
        """What the public may see: published, and dated now or earlier."""
        return self.filter(status=self.model.Status.PUBLISHED, published_at__lte=now or timezone.now())


class Publishable:
    """The instance twin of PublishedQuerySet.published(), and the friendly message for its one invariant."""

    def clean(self):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            name = self._meta.verbose_name
            raise ValidationError({"published_at": f"Enter a publication date to publish this {name}"})

    def is_published(self, now=None):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= (now or timezone.now())
        )
