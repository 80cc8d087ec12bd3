"""Content as the public pages show it, remembered by each worker for the content version (core.cache.remember):
a page rendered afresh (for a visitor the page cache cannot serve) runs no query for it, and an edit still shows at
once. What depends on the clock (a post dated later) is picked by it on every request. Only for pages: nothing that
stores anything reads these."""

from core.cache import remember

from .models import FAQ, Page, Post


def _published_or_dated_later():
    # The posts' own order (newest first, then the highest id), bodies left out: lists and neighbours need none.
    return list(Post.objects.filter(status=Post.Status.PUBLISHED).defer("body"))


def published_posts(now):
    """The posts the public may see at `now`, newest first (Post.objects.published(now), without their bodies)."""
    return [post for post in remember("published-posts", _published_or_dated_later) if post.published_at <= now]


def neighbours(post, now):
    """The published posts just older and just newer than `post` (None at either end)."""
    posts = published_posts(now)
    index = next((n for n, other in enumerate(posts) if other.pk == post.pk), None)
    if index is None:
        return None, None
    older = posts[index + 1] if index + 1 < len(posts) else None
    newer = posts[index - 1] if index else None
    return older, newer


def post(slug):
    """The post with this slug whatever its state (a page shows it only if the public may see it), or None."""
    return remember(("post", slug), lambda: Post.objects.filter(slug=slug).first())


def page(slug):
    return remember(("page", slug), lambda: Page.objects.filter(slug=slug).first())


def faqs():
    return remember("faqs", lambda: list(FAQ.objects.all()))
