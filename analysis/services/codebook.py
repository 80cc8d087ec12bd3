"""The codebook: a call's themes. One level of sub-themes, names unique in the call, colours from the palette."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from consultations.models import Call

from ..models import Coding, Theme
from .coding import codings_copy


def theme_create(
    *,
    call: Call,
    name: str,
    actor: AbstractBaseUser | None,
    description: str = "",
    parent: Theme | None = None,
    colour: str | None = None,
) -> Theme:
    """Add a theme; ValidationError (from Theme.clean) if the name is taken or the parent is a sub-theme."""
    with transaction.atomic():
        if parent is not None:
            # Locked, so nobody makes the parent a sub-theme in the meantime: one level only.
            parent = Theme.objects.select_for_update().get(pk=parent.pk)
        theme = Theme(call=call, name=name.strip(), description=description, parent=parent, created_by=actor)
        if colour:
            theme.colour = colour
        elif parent is not None:
            theme.colour = parent.colour
        theme.full_clean()
        theme.save()
    return theme


def theme_merge(*, source: Theme, target: Theme) -> int:
    """Move every coding of `source` to `target` (an item with both keeps one), its sub-themes too, then delete it.
    Returns the codings moved."""
    if source.call_id != target.call_id or source.pk == target.pk:
        raise ValueError("Merge themes of the same call, into another theme")
    with transaction.atomic():
        moved = codings_copy(source=source, target=target)
        Coding.objects.filter(theme=source).delete()
        children = Theme.objects.filter(parent=source)
        # The target keeps one level: under a sub-theme, the source's sub-themes become top-level.
        children.update(parent=None if target.parent_id else target)
        source.delete()
    return moved
