from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    """The review's reports and documents: /publications/, each with its summary, an HTML body where there is one,
    and files editors upload. It offers its items to pages' search and feed (which may not import it); the archive
    reads it."""

    name = "publications"
    verbose_name = "Publications"

    def search_sources(self):
        """Publications in site search: read by pages.search.register_app_sources at the first search."""
        from .search import SOURCE

        return [SOURCE]

    def ready(self):
        from core.markdown import register_shortcut
        from pages.feeds import register_feed_items

        from . import selectors

        # [[publication:final-report]] in any staff-written Markdown links to that publication once it is public.
        register_shortcut("publication", selectors.shortcut_target)
        register_feed_items(selectors.published_publications)
