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
RIGHT_CHARS = 16  # room for the count after the longest bar, e.g. "12,345 (100%)"
LABEL_CHARS = 90


@dataclass
class Bar:
    label: str
    value: int | None  # None: not drawn (a small number the page does not show)
    text: str = ""  # what is written after the bar; the value, or e.g. "fewer than 5"
    colour: str = BAR_COLOUR
    segments: list[tuple[str, int, str]] = field(default_factory=list)  # (name, value, colour)


def hbar_chart_svg(
    bars: list[Bar], *, chart_id: str, title: str, desc: str, width: int = CHART_WIDTH, font_size: int = 13
) -> str:
    """`width` in SVG units: the chart scales to its column, so a narrower one has larger text (the public page)."""
    if not bars:
        return ""
    most = max((bar.value or 0 for bar in bars), default=0)
    plot = width - LEFT - RIGHT_CHARS * font_size * 0.6
    row_height, bar_height = round(font_size * 3.4), round(font_size * 1.4)
    height = row_height * len(bars) + 8
    label_chars = min(LABEL_CHARS, int(width / (font_size * 0.55)))
    parts = []
    for index, bar in enumerate(bars):
        top = index * row_height
        bar_top = top + round(font_size * 1.7)
        label = bar.label if len(bar.label) <= label_chars else bar.label[: label_chars - 1].rstrip() + "…"
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="{}" fill="{}">{}</text>',
                LEFT,
                top + font_size + 2,
                font_size,
                TEXT_COLOUR,
                label,
            )
        )
        length = plot * (bar.value or 0) / most if most else 0
        segments = bar.segments or ([(bar.label, bar.value or 0, bar.colour)] if bar.value else [])
        total = sum(value for _, value, _ in segments) or 1
        x = LEFT
        for name, value, colour in segments:
            piece = length * value / total
            if piece <= 0:
                continue
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>',
                    f"{x:.2f}",
                    bar_top,
                    f"{piece:.2f}",
                    bar_height,
                    colour,
                    name,
                    f"{value:,}",
                )
            )
            x += piece
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="{}" fill="{}">{}</text>',
                f"{LEFT + length + 6:.2f}",
                bar_top + round(font_size * 1.1),
                font_size,
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
        width,
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
