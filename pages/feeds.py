from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from .models import Post


class LatestPostsFeed(Feed):
    """Atom feed of published news and blogs, newest first."""

    feed_type = Atom1Feed
    title = "News and blogs – Independent Review of Children's Social Care"
    subtitle = "News and blogs from the Independent Review of Children's Social Care."
    link = reverse_lazy("pages:post_list")
    feed_url = reverse_lazy("pages:post_feed")
    author_name = "Independent Review of Children's Social Care"

    def items(self):
        return Post.objects.published()[:50]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)

    def item_author_name(self, item):
        return item.author_name or None

    def item_categories(self, item):
        return [item.get_kind_display()]
