from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Publication


class PublicationListSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return ["publications:list"]

    def location(self, item):
        return reverse(item)


class PublicationSitemap(Sitemap):
    changefreq = "yearly"

    def items(self):
        return Publication.objects.published().only("slug", "updated_at", "published_at")

    def lastmod(self, item):
        return item.updated_at


# review_site/urls.py gathers these with the other apps' sections.
SITEMAPS = {"publication_list": PublicationListSitemap, "publications": PublicationSitemap}
