"""Publications in site search and in the feed: registered with pages (which may not import this app) at start-up.

On PostgreSQL the vector below is also a GIN index (migrations/0002_search_index): change both together.
"""

from django.contrib.postgres.search import SearchVector

from pages.search import CONFIG, Source

from .models import Publication


def publication_vector():
    """Title first, then the summary and the files' titles, then the body."""
    return (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("summary", weight="B", config=CONFIG)
        + SearchVector("attachment_titles", weight="B", config=CONFIG)
        + SearchVector("body", weight="C", config=CONFIG)
    )


SOURCE = Source(
    queryset=lambda: Publication.objects.published(),
    vector=publication_vector,
    title_field="title",
    text_fields=("title", "summary", "attachment_titles", "body"),
    snippet_field="body",
    only=("title", "summary", "attachment_titles", "body", "slug"),
    kind_label="Publication",
)


def feed_items():
    """Published publications, newest first, for the site's Atom feed."""
    return Publication.objects.published().defer("body", "attachment_titles")
