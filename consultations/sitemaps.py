from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from pages.models import Page

from .models import Call
from .views import GET_INVOLVED_SLUG


class CallSitemap(Sitemap):
    """Every call's page (closed calls too: they keep what we heard), and Get involved."""

    changefreq = "weekly"

    def items(self):
        calls = list(Call.objects.only("slug", "updated_at").order_by("opens_at"))
        # When staff wrote a Get involved content page, the pages sitemap already lists its address.
        if Page.objects.filter(slug=GET_INVOLVED_SLUG).exists():
            return calls
        return ["consultations:get_involved", *calls]

    def location(self, item):
        if isinstance(item, str):
            return reverse(item)
        return item.get_absolute_url()

    def lastmod(self, item):
        return None if isinstance(item, str) else item.updated_at
