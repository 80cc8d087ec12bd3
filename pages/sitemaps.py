from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Page, Post
from .views import GET_INVOLVED_SLUG


class StaticViewSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        items = ["pages:home", "pages:faqs", "pages:post_list"]
        # When staff wrote a Get involved content page, PageSitemap already lists its address.
        if not Page.objects.filter(slug=GET_INVOLVED_SLUG).exists():
            items.append("pages:get_involved")
        return items

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


# review_site/urls.py gathers these with the other apps' sections and serves them at /sitemap.xml.
SITEMAPS = {"static": StaticViewSitemap, "posts": PostSitemap, "pages": PageSitemap}
