"""The analysis overview of a call, for staff: themes by count, by respondent type, themes that come together, and
what is left to code.

Five queries, whatever the number of coded items: the codebook, every coding as (response, theme, respondent type)
counted here in one pass, ideas and answers with and without a theme, and responses by type. At 100,000 coded items
that is still a second or more on a busy two-core machine, so the report is kept in the cache under the call's
figures version, which every change to its codebook or coding moves on (figures_changed): an analyst sees their
own coding at once. What else moves the figures (a response marked spam, a moderator's new status) shows within
REPORT_SECONDS, or at once with the overview's Refresh link.
"""

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import timezone

from consultations.models import Call
from submissions.models import Submission

from . import selectors
from .charts import Bar, hbar_chart_svg
from .models import Theme
from .published import TYPE_COLOURS
from .versions import figures_version

REPORT_SECONDS = 300


@dataclass
class ThemeRow:
    theme: Theme
    items: int = 0
    responses: int = 0
    share: str = ""
    by_type: list[int] = field(default_factory=list)


@dataclass
class Report:
    call: Call
    totals: dict
    uncoded: dict
    rows: list[ThemeRow]
    types: list[tuple[str, str, str, int]]  # (value, label, colour, responses)
    pairs: list[tuple[Theme, Theme, int]]
    computed_at: object = None

    @property
    def coded_rows(self):
        return [row for row in self.rows if row.items]

    def count_chart(self):
        bars = [
            Bar(
                label=str(row.theme),
                value=row.responses,
                text=f"{row.responses:,} ({row.share})",
                colour=row.theme.hex_colour,
            )
            for row in sorted(self.coded_rows, key=lambda row: -row.responses)
        ]
        return hbar_chart_svg(
            bars,
            chart_id="theme-counts",
            title=f"Responses per theme: {self.call.title}",
            desc=f"Bar chart of {len(bars)} themes by the number of responses coded with each, most first. "
            "The table before it gives the same figures.",
        )

    def type_chart(self):
        bars = []
        for row in sorted(self.coded_rows, key=lambda row: -row.responses):
            segments = [
                (label, count, colour) for (_, label, colour, _), count in zip(self.types, row.by_type, strict=True)
            ]
            bars.append(Bar(label=str(row.theme), value=sum(row.by_type), segments=segments))
        return hbar_chart_svg(
            bars,
            chart_id="theme-types",
            title=f"Responses per theme by respondent type: {self.call.title}",
            desc="Each theme's bar is split by who the responses came from, in the order of the table before it, "
            "which gives the same figures.",
        )


def call_report(*, call: Call) -> Report:
    themes = selectors.codebook(call=call)
    present = selectors.response_counts_by_type(call=call)
    types = [
        (value, label, TYPE_COLOURS[index % len(TYPE_COLOURS)], present.get(value, 0))
        for index, (value, label) in enumerate(Submission.RespondentType.choices)
        if present.get(value)
    ]
    total = sum(present.values())
    items, responses, response_type, per_response = Counter(), defaultdict(set), {}, defaultdict(set)
    for submission_id, theme_id, respondent_type in selectors.coding_rows(call=call):
        items[theme_id] += 1
        responses[theme_id].add(submission_id)
        response_type[submission_id] = respondent_type
        per_response[submission_id].add(theme_id)
    rows = []
    for theme in themes:
        found = responses.get(theme.pk, set())
        share = f"{100 * len(found) / total:.0f}%" if total else ""
        row = ThemeRow(theme, items[theme.pk], len(found), share)
        by_type = Counter(response_type[submission_id] for submission_id in found)
        row.by_type = [by_type.get(value, 0) for value, *_ in types]
        rows.append(row)
    by_pk = {theme.pk: theme for theme in themes}
    pair_counts = Counter(
        pair for found in per_response.values() if len(found) > 1 for pair in itertools.combinations(sorted(found), 2)
    )
    pairs = [
        (*sorted((by_pk[a], by_pk[b]), key=lambda theme: theme.name.lower()), count)
        for (a, b), count in sorted(pair_counts.items(), key=lambda item: (-item[1], item[0]))
        if a in by_pk and b in by_pk
    ][:20]
    counts = selectors.item_counts(call=call)
    totals = {"responses": total, "ideas": counts["ideas"][0], "answers": counts["answers"][0]}
    uncoded = {"responses": total - len(per_response), "ideas": counts["ideas"][1], "answers": counts["answers"][1]}
    return Report(call, totals, uncoded, rows, types, pairs, computed_at=timezone.now())


def cached_call_report(*, call: Call, refresh: bool = False) -> Report:
    key = f"analysis:report:{call.pk}:{figures_version(call.pk)}"
    report = None if refresh else cache.get(key)
    if report is None:
        report = call_report(call=call)
        cache.set(key, report, REPORT_SECONDS)
    return report
