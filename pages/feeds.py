from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from .models import Post

# Other apps' items in the feed: each a function giving a queryset of its published items, newest first, with a
# title, summary, published_at, updated_at, get_kind_display() and get_absolute_url() (publications registers one).
_FEED_SOURCES = []
MAX_ITEMS = 50


def register_feed_items(items) -> None:
    if items not in _FEED_SOURCES:
        _FEED_SOURCES.append(items)


class LatestPostsFeed(Feed):
    """Atom feed of published news and blogs, and what other apps register (publications), newest first."""

    feed_type = Atom1Feed
    title = "News, blogs and publications – Independent Review of Children's Social Care"
    subtitle = "News, blogs and publications from the Independent Review of Children's Social Care."
    link = reverse_lazy("pages:post_list")
    feed_url = reverse_lazy("pages:post_feed")
    author_name = "Independent Review of Children's Social Care"

    def items(self):
        items = list(Post.objects.published()[:MAX_ITEMS])
        for source in _FEED_SOURCES:
            items += list(source()[:MAX_ITEMS])
        return sorted(items, key=lambda item: item.published_at, reverse=True)[:MAX_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)

    def item_author_name(self, item):
        return getattr(item, "author_name", "") or None

    def item_categories(self, item):
        return [item.get_kind_display()]
