from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    """Coding responses against a codebook of themes, suggested themes, and the public "What we heard" pages.

    It reads consultations and submissions; nothing imports it. It plugs itself into the rest in ready(): its
    clustering job into the outbox's job worker, and a save of a page into the public page cache (whose call page
    links to it); site search asks it for its pages (search_sources).
    """

    name = "analysis"
    verbose_name = "Analysis"

    def search_sources(self):
        """What we heard pages for site search: read by pages.search.register_app_sources, as neither app imports
        the other. On PostgreSQL only: there every source is searched in one query, while the word-match fallback
        (SQLite, in development) runs one query per source, and its searches are held to a fixed few."""
        from django.db import connection

        from .search import SOURCES

        return SOURCES if connection.vendor == "postgresql" else []

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from core.cache import bump_version
        from outbox import registry

        from . import jobs
        from .models import Quote, Theme, WhatWeHeard
        from .versions import theme_saved_or_deleted

        registry.register(jobs.SUGGEST_THEMES, jobs.suggestion_run_send, label="Suggested themes (analysis job)")
        # A theme renamed, added or deleted in the codebook changes the figures kept in the cache.
        post_save.connect(theme_saved_or_deleted, sender=Theme, dispatch_uid="analysis-figures-theme-save")
        post_delete.connect(theme_saved_or_deleted, sender=Theme, dispatch_uid="analysis-figures-theme-delete")
        for model in (WhatWeHeard, Quote):
            post_save.connect(bump_version, sender=model, dispatch_uid=f"analysis-cache-{model.__name__}-save")
            post_delete.connect(bump_version, sender=model, dispatch_uid=f"analysis-cache-{model.__name__}-delete")
