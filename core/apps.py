from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Site-wide state and plumbing every other app may use: it imports none of them."""

    name = "core"
    verbose_name = "Site"

    def ready(self):
        from . import cache

        cache.connect_signals()
