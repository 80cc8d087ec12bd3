"""Themes on items: applied and removed in bulk, one Coding row per item and theme (the database refuses a second),
each with who applied it and when."""

import datetime
from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from ..models import Coding, Theme
from ..versions import figures_changed

BATCH = 2000
ITEM_FIELD = {Coding.Kind.IDEA: "idea_id", Coding.Kind.ANSWER: "answer_id", Coding.Kind.RESPONSE: "submission_id"}


def coding_apply(
    *,
    theme: Theme,
    kind: str,
    items: Iterable[tuple[int, int]],
    coder: AbstractBaseUser | None,
    now: datetime.datetime | None = None,
) -> int:
    """Put `theme` on each (item id, response id); items that have it already keep their first coding (and coder).
    Returns how many were newly coded. The caller makes sure the items belong to the theme's call (selectors)."""
    now = now or timezone.now()
    field = ITEM_FIELD[kind]
    coded = 0
    with transaction.atomic():
        batch = []
        for item_id, submission_id in items:
            batch.append((item_id, submission_id))
            if len(batch) >= BATCH:
                coded += _insert(theme, kind, field, batch, coder, now)
                batch = []
        if batch:
            coded += _insert(theme, kind, field, batch, coder, now)
    if coded:
        figures_changed(call_id=theme.call_id)
    return coded


def _insert(theme, kind, field, batch, coder, now):
    already = set(
        Coding.objects.filter(theme=theme, kind=kind, **{f"{field}__in": [item for item, _ in batch]}).values_list(
            field, flat=True
        )
    )
    new = [
        Coding(
            theme=theme,
            kind=kind,
            submission_id=submission_id,
            coder=coder,
            created_at=now,
            **({field: item_id} if field != "submission_id" else {}),
        )
        for item_id, submission_id in dict(batch).items()
        if item_id not in already
    ]
    # Another analyst coding the same items at this moment: theirs stands (the unique constraints), not an error.
    Coding.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def coding_remove(*, theme: Theme, kind: str, item_ids: Iterable[int]) -> int:
    """Take `theme` off these items; returns how many codings were removed."""
    deleted, _ = Coding.objects.filter(theme=theme, kind=kind, **{f"{ITEM_FIELD[kind]}__in": list(item_ids)}).delete()
    figures_changed(call_id=theme.call_id)
    return deleted


def codings_copy(*, source: Theme, target: Theme) -> int:
    """Give `target` every item `source` has, keeping each coding's coder and time; returns how many were new."""
    copied = 0
    for kind, field in ITEM_FIELD.items():
        rows = Coding.objects.filter(theme=source, kind=kind).values_list(
            field, "submission_id", "coder_id", "created_at"
        )
        already = set(Coding.objects.filter(theme=target, kind=kind).values_list(field, flat=True))
        new = [
            Coding(
                theme=target,
                kind=kind,
                submission_id=submission_id,
                coder_id=coder_id,
                created_at=created_at,
                **({field: item_id} if field != "submission_id" else {}),
            )
            for item_id, submission_id, coder_id, created_at in rows.iterator()
            if item_id not in already
        ]
        Coding.objects.bulk_create(new, batch_size=BATCH, ignore_conflicts=True)
        copied += len(new)
    figures_changed(call_id=target.call_id)
    return copied
