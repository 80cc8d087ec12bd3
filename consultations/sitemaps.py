from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Call


class CallSitemap(Sitemap):
    """Every call's page (open, upcoming and closed alike: closed calls keep their outcome), and Get involved."""

    changefreq = "weekly"

    def items(self):
        return ["consultations:get_involved", *Call.objects.only("slug", "updated_at").order_by("opens_at")]

    def location(self, item):
        if isinstance(item, str):
            return reverse(item)
        return item.get_absolute_url()

    def lastmod(self, item):
        return None if isinstance(item, str) else item.updated_at
