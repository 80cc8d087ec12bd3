from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    """The static archived copy of the site: reads every other app, imported by none."""

    name = "archive"
    verbose_name = "Static archive"
