import datetime

import factory
from django.utils import timezone

from pages.models import ClosureNotice, Page


class ClosureNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClosureNotice

    message = "The review has finished its work. This website will close soon."
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    archive_url = "https://webarchive.example.org/review/"
    is_active = True


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page
        django_get_or_create = ("slug",)

    title = factory.Sequence(lambda n: f"Content page {n}")
    slug = factory.Sequence(lambda n: f"content-page-{n}")
    body = "Some **plain** words."
