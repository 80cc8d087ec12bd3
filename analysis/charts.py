"""Horizontal bar charts drawn on the server as SVG, in the house style of the responses dashboard
(submissions/dashboard.py): no JavaScript, no style attributes, a title and a description read out in place of the
picture, and a table beside every chart with the same figures.

Each bar has its label above it, so a long theme name has the chart's whole width; a bar may be split into segments
(a theme's responses by respondent type), each with its own colour and a title that names it.
"""

from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join

from submissions.dashboard import AXIS_COLOUR, BAR_COLOUR, CHART_WIDTH, TEXT_COLOUR

LEFT = 8
RIGHT = 64  # room for the count after the longest bar
ROW_HEIGHT = 44
BAR_HEIGHT = 18
LABEL_CHARS = 90


@dataclass
class Bar:
    label: str
    value: int | None  # None: not drawn (a small number the page does not show)
    text: str = ""  # what is written after the bar; the value, or e.g. "fewer than 5"
    colour: str = BAR_COLOUR
    segments: list[tuple[str, int, str]] = field(default_factory=list)  # (name, value, colour)


def _short(label):
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def hbar_chart_svg(bars: list[Bar], *, chart_id: str, title: str, desc: str) -> str:
    if not bars:
        return ""
    most = max((bar.value or 0 for bar in bars), default=0)
    plot = CHART_WIDTH - LEFT - RIGHT
    height = ROW_HEIGHT * len(bars) + 8
    parts = []
    for index, bar in enumerate(bars):
        top = index * ROW_HEIGHT
        bar_top = top + 22
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="13" fill="{}">{}</text>', LEFT, top + 15, TEXT_COLOUR, _short(bar.label)
            )
        )
        width = plot * (bar.value or 0) / most if most else 0
        segments = bar.segments or ([(bar.label, bar.value or 0, bar.colour)] if bar.value else [])
        total = sum(value for _, value, _ in segments) or 1
        x = LEFT
        for name, value, colour in segments:
            piece = width * value / total
            if piece <= 0:
                continue
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>',
                    f"{x:.2f}",
                    bar_top,
                    f"{piece:.2f}",
                    BAR_HEIGHT,
                    colour,
                    name,
                    f"{value:,}",
                )
            )
            x += piece
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="13" fill="{}">{}</text>',
                f"{LEFT + width + 6:.2f}",
                bar_top + 14,
                TEXT_COLOUR,
                bar.text or (f"{bar.value:,}" if bar.value is not None else ""),
            )
        )
    axis = format_html(
        '<line x1="{}" y1="0" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>', LEFT, LEFT, height - 4, AXIS_COLOUR
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="analysis-chart" role="img" width="100%" '
        'viewBox="0 0 {} {}" aria-labelledby="{}-title {}-desc" focusable="false">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}{}</svg>',
        CHART_WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        desc,
        axis,
        format_html_join("", "{}", ((part,) for part in parts)),
    )
