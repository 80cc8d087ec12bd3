"""The analysis overview of a call, for staff: themes by count, by respondent type, themes that come together, and
what is left to code. A handful of aggregate queries, whatever the number of coded items (selectors)."""

from dataclasses import dataclass, field

from consultations.models import Call
from submissions.models import Submission

from . import selectors
from .charts import Bar, hbar_chart_svg
from .models import Theme
from .published import TYPE_COLOURS


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
    counts = selectors.theme_counts(call=call)
    by_type = selectors.theme_counts_by_type(call=call)
    totals = selectors.item_totals(call=call)
    present = selectors.response_counts_by_type(call=call)
    types = [
        (value, label, TYPE_COLOURS[index % len(TYPE_COLOURS)], present.get(value, 0))
        for index, (value, label) in enumerate(Submission.RespondentType.choices)
        if present.get(value)
    ]
    rows = []
    for theme in themes:
        found = counts.get(theme.pk, {"items": 0, "responses": 0})
        share = f"{100 * found['responses'] / totals['responses']:.0f}%" if totals["responses"] else ""
        row = ThemeRow(theme, found["items"], found["responses"], share)
        row.by_type = [by_type.get(theme.pk, {}).get(value, 0) for value, *_ in types]
        rows.append(row)
    by_pk = {theme.pk: theme for theme in themes}
    pairs = [
        (*sorted((by_pk[a], by_pk[b]), key=lambda theme: theme.name.lower()), n)
        for a, b, n in selectors.co_occurrence(call=call)
        if a in by_pk and b in by_pk
    ]
    return Report(call, totals, selectors.uncoded_counts(call=call), rows, types, pairs)
