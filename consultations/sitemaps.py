from django.contrib.sitemaps import Sitemap

from .models import Call


class CallSitemap(Sitemap):
    """Every call's page (closed calls too: they keep what we heard)."""

    changefreq = "weekly"

    def items(self):
        return Call.objects.only("slug", "updated_at").order_by("opens_at")

    def lastmod(self, item):
        return item.updated_at
