from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Site-wide state and plumbing every other app may use: it imports none of them."""

    name = "core"
    verbose_name = "Site"

    def ready(self):
        from django.conf import settings

        from . import cache

        cache.connect_signals()
        if settings.SENTRY_DSN:
            # Here rather than in the settings, so the web server, the email worker, the scheduler and every command
            # report their errors alike.
            from .sentry import init_sentry

            init_sentry(
                dsn=settings.SENTRY_DSN, environment=settings.SENTRY_ENVIRONMENT, release=settings.SENTRY_RELEASE
            )
