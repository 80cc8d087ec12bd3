"""A version per call for its figures: every change to the call's codebook or coding moves it on, so the overview
and What we heard, kept in the cache under it, are computed afresh on their next view (analysis.report)."""

import uuid

from django.core.cache import cache


def _key(call_id):
    return f"analysis:figures-version:{call_id}"


def figures_version(call_id: int) -> str:
    return cache.get(_key(call_id)) or "0"


def figures_changed(*, call_id: int, **kwargs) -> None:
    """The call's codebook or coding changed. Also a signal receiver for Theme (kwargs: sender, instance...)."""
    cache.set(_key(call_id), uuid.uuid4().hex, None)


def theme_saved_or_deleted(sender, instance, **kwargs):
    figures_changed(call_id=instance.call_id)
