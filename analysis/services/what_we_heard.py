"""Quotes on a What we heard page: chosen by staff only from what the public may already read."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Max

from submissions.models import Answer, Idea, Submission

from ..models import Coding, Quote, Theme, WhatWeHeard


class QuoteRefused(ValueError):
    """The item may not be quoted; the message says why."""


def quote_add(
    *, page: WhatWeHeard, kind: str, item_id: int, actor: AbstractBaseUser | None, theme: Theme | None = None
) -> Quote:
    """Quote an idea or a free-text answer of the page's call, if its response may be published (and the idea is not
    withheld). The page shows it in its public form, and only while that stays true (analysis.published)."""
    publishable = Submission.objects.publishable().filter(call_id=page.call_id)
    if kind == Coding.Kind.IDEA:
        item = Idea.objects.filter(pk=item_id, submission__call_id=page.call_id).select_related("submission").first()
        if item is None:
            raise QuoteRefused("That idea is not part of this call.")
        if item.withheld:
            raise QuoteRefused(f"Idea {item.position} of {item.submission.reference} is withheld from publication.")
        fields = {"idea": item}
    elif kind == Coding.Kind.ANSWER:
        item = Answer.objects.filter(pk=item_id, submission__call_id=page.call_id).select_related("submission").first()
        if item is None or not item.public_text:
            raise QuoteRefused("Only an answer in words, to this call, can be quoted.")
        fields = {"answer": item}
    else:
        raise QuoteRefused("Quote an idea or an answer, not a whole response.")
    if not publishable.filter(pk=item.submission_id).exists():
        raise QuoteRefused(
            f"{item.submission.reference} may not be published (not approved, flagged, or the respondent asked us not "
            "to), so nothing from it can be quoted."
        )
    if theme is not None and theme.call_id != page.call_id:
        theme = None
    position = (page.quotes.aggregate(most=Max("position"))["most"] or 0) + 1
    try:
        with transaction.atomic():
            return Quote.objects.create(page=page, theme=theme, position=position, chosen_by=actor, **fields)
    except IntegrityError:
        raise QuoteRefused(f"That is already quoted on {page.title}.") from None
