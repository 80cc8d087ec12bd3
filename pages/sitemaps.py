from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from consultations.sitemaps import CallSitemap

from .models import Page, Post


class StaticViewSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return ["pages:home", "pages:faqs", "pages:post_list"]

    def location(self, item):
        return reverse(item)


class PostSitemap(Sitemap):
    changefreq = "yearly"

    def items(self):
        return Post.objects.published().only("slug", "updated_at", "published_at")

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(Sitemap):
    changefreq = "yearly"

    def items(self):
        return Page.objects.only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


# review_site/urls.py serves this at /sitemap.xml; other apps add their own sections here.
SITEMAPS = {
    "static": StaticViewSitemap,
    "posts": PostSitemap,
    "pages": PageSitemap,
    "calls": CallSitemap,
}
