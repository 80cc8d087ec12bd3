"""What the public "What we heard" page reads: figures computed live from the coding, and the staff's chosen quotes
in their public form, of responses the public may read.

A quote is shown only while its response is publishable (Submission.objects.publishable()) and, for an idea, while
the idea is not withheld; its text is the moderator's public version where there is one. So a response that stops
being publishable, or an idea withheld later, takes its quote off the page with it.

A count under SMALL_COUNT is shown as "fewer than 5", never exactly: with few care-experienced children responding,
an exact small count beside a quote or a theme could point to one of them.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from consultations.models import Call
from submissions.models import Submission

from . import selectors
from .charts import Bar
from .models import Coding, Quote, Theme, WhatWeHeard
from .versions import figures_version

SMALL_COUNT = 5
FIGURES_SECONDS = 300
TYPE_COLOURS = ["#1d70b8", "#00703c", "#4c2c92", "#a33d00", "#912b88", "#003078", "#7a4a1e", "#505a5f"]


def shown(count: int) -> str:
    return f"fewer than {SMALL_COUNT}" if 0 < count < SMALL_COUNT else f"{count:,}"


@dataclass(frozen=True)
class Row:
    label: str
    count: int
    share: str  # of all responses, e.g. "12%"; empty for a small count

    @property
    def text(self):
        return shown(self.count)

    @property
    def exact(self):
        return self.count == 0 or self.count >= SMALL_COUNT


@dataclass(frozen=True)
class PublicQuote:
    title: str  # an idea's public title; empty for an answer
    text: str
    question: str  # the question an answer answers; empty for an idea
    theme: str


def _share(count, total):
    return f"{round(100 * count / total)}%" if total and (count == 0 or count >= SMALL_COUNT) else ""


def cached_figures(*, call: Call, top: int = 10) -> dict:
    """figures(), kept in the cache under the call's figures version (analysis.versions) for FIGURES_SECONDS: a coding
    change shows at once, a moderator's decision within minutes. Quotes are never cached (public_quotes)."""
    key = f"analysis:public-figures:{call.pk}:{top}:{figures_version(call.pk)}"
    found = cache.get(key)
    if found is None:
        found = figures(call=call, top=top)
        cache.set(key, found, FIGURES_SECONDS)
    return found


def figures(*, call: Call, top: int = 10) -> dict:
    """Responses, ideas, respondent types and the top themes (top-level, a sub-theme counted in its parent), each a
    count of responses."""
    responses = selectors.analysable_responses(call=call)
    total = responses.count()
    by_type = selectors.response_counts_by_type(call=call)
    types = [
        Row(label, by_type.get(value, 0), _share(by_type.get(value, 0), total))
        for value, label in Submission.RespondentType.choices
        if by_type.get(value)
    ]
    themes = _top_themes(call, top, total)
    types_chart = _bars(types)
    for bar, colour in zip(types_chart, TYPE_COLOURS, strict=False):
        bar.colour = colour
    return {
        "responses": total,
        "responses_text": shown(total),
        "ideas": shown(selectors.call_ideas(call=call).count()) if call.is_ideas else "",
        "types": types,
        "themes": themes,
        "types_chart": types_chart,
        "themes_chart": _bars(themes),
    }


def _top_themes(call, top, total):
    rows = (
        Coding.objects.filter(theme__call=call)
        .exclude(submission__status__in=selectors.EXCLUDED)
        .annotate(top_theme=Coalesce("theme__parent_id", "theme_id"))
        .values("top_theme")
        .annotate(responses=Count("submission_id", distinct=True))
        .order_by("-responses", "top_theme")[:top]
    )
    names = dict(Theme.objects.filter(call=call, parent__isnull=True).values_list("pk", "name"))
    return [
        Row(names[row["top_theme"]], row["responses"], _share(row["responses"], total))
        for row in rows
        if row["top_theme"] in names
    ]


def _bars(rows):
    return [
        Bar(
            label=row.label,
            value=row.count if row.exact else None,
            text=row.text + (f" ({row.share})" if row.share else ""),
        )
        for row in rows
    ]


def public_quotes(*, page: WhatWeHeard) -> list[PublicQuote]:
    """The page's quotes the public may read, in order, in their public form."""
    publishable = Submission.objects.publishable().filter(call_id=page.call_id).values("pk")
    quotes = (
        Quote.objects.filter(page=page)
        .filter(Q(answer__submission__in=publishable) | Q(idea__submission__in=publishable, idea__withheld=False))
        .select_related("answer", "answer__question", "idea", "theme")
        .only(
            "position",
            "answer__text",
            "answer__redacted_text",
            "answer__question__prompt",
            "idea__title",
            "idea__redacted_title",
            "idea__body",
            "idea__redacted_body",
            "theme__name",
        )
        .order_by("position", "id")
    )
    found = []
    for quote in quotes:
        theme = quote.theme.name if quote.theme else ""
        if quote.idea_id:
            found.append(PublicQuote(quote.idea.public_title, quote.idea.public_body, "", theme))
        elif quote.answer.public_text:
            found.append(PublicQuote("", quote.answer.public_text, quote.answer.question.prompt, theme))
    return found
