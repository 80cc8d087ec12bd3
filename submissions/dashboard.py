"""The responses dashboard in the staff console: counts per call, a bar chart of responses per day, the queue.

The page runs the same five queries however many responses there are: every number is an aggregate.
"""

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince

from consultations.models import Call

from . import selectors
from .models import Submission

LONDON = ZoneInfo("Europe/London")

# Chart geometry, in SVG user units; the chart scales to the width of the page through its viewBox.
CHART_WIDTH = 720
CHART_HEIGHT = 240
PLOT_LEFT = 48
PLOT_RIGHT = 12
PLOT_TOP = 12
PLOT_BOTTOM = 36
MAX_BAR = 40
BAR_COLOUR = "#1d70b8"
TEXT_COLOUR = "#0b0c0c"
AXIS_COLOUR = "#b1b4b6"


@dataclass
class CallSummary:
    call: Call
    by_status: dict = field(default_factory=dict)
    by_type: dict = field(default_factory=dict)
    per_day: dict = field(default_factory=dict)
    pending: int = 0
    oldest_pending_at: datetime.datetime | None = None
    age: str = ""

    @property
    def total(self):
        return sum(self.by_status.values())

    def status_rows(self):
        return [(label, self.by_status.get(value, 0)) for value, label in Submission.Status.choices]

    def type_rows(self):
        return [(label, self.by_type.get(value, 0)) for value, label in Submission.RespondentType.choices]

    def day_rows(self):
        """Every day from the first response to the last, days without responses included as zero."""
        if not self.per_day:
            return []
        first, last = min(self.per_day), max(self.per_day)
        days = (last - first).days + 1
        return [(day, self.per_day.get(day, 0)) for day in (first + datetime.timedelta(days=n) for n in range(days))]

    def oldest_pending_age(self, now=None):
        if self.oldest_pending_at is None:
            return ""
        return timesince(self.oldest_pending_at, now or timezone.now(), depth=1)

    def chart(self):
        return bar_chart_svg(self.day_rows(), chart_id=f"call-{self.call.pk}", subject=self.call.title)


def call_summaries():
    """One CallSummary per call, newest call first, from one query per measure."""
    summaries = {call.pk: CallSummary(call=call) for call in Call.objects.order_by("-opens_at", "-id")}
    for row in selectors.response_counts_by_status():
        summaries[row["call_id"]].by_status[row["status"]] = row["count"]
    for row in selectors.response_counts_by_type():
        summaries[row["call_id"]].by_type[row["respondent_type"]] = row["count"]
    for row in selectors.response_counts_by_day(tz=LONDON):
        summaries[row["call_id"]].per_day[row["day"]] = row["count"]
    for row in selectors.pending_counts():
        summaries[row["call_id"]].pending = row["count"]
        summaries[row["call_id"]].oldest_pending_at = row["oldest"]
    return list(summaries.values())


def _plural(count, word):
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def bar_chart_svg(day_rows, *, chart_id, subject):
    """An accessible SVG bar chart of (date, count) pairs, built on the server: no JavaScript, no style attributes."""
    if not day_rows:
        return ""
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    most_day, most = max(day_rows, key=lambda row: row[1])
    total = sum(count for _, count in day_rows)
    title = f"Responses per day: {subject}"
    desc = (
        f"Bar chart of {_plural(total, 'response')} over {_plural(len(day_rows), 'day')}, "
        f"from {day_rows[0][0]:%-d %B %Y} to {day_rows[-1][0]:%-d %B %Y}. "
        f"The busiest day was {most_day:%-d %B %Y} with {_plural(most, 'response')}."
    )
    plot_width = CHART_WIDTH - PLOT_LEFT - PLOT_RIGHT
    plot_height = CHART_HEIGHT - PLOT_TOP - PLOT_BOTTOM
    slot = plot_width / len(day_rows)
    # Thin gaps between bars once there is room; no bar wider than MAX_BAR, so one day is not one slab.
    bar_width = min(slot * 0.85 if slot > 3 else slot, MAX_BAR)
    baseline = PLOT_TOP + plot_height
    bars = []
    for index, (day, count) in enumerate(day_rows):
        height = plot_height * count / most if most else 0
        bars.append(
            (
                f"{PLOT_LEFT + index * slot + (slot - bar_width) / 2:.2f}",
                f"{baseline - height:.2f}",
                f"{bar_width:.2f}",
                f"{height:.2f}",
                BAR_COLOUR,
                f"{day:%-d %B %Y}: {_plural(count, 'response')}",
            )
        )
    bar_markup = format_html_join(
        "", '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>', bars
    )
    axes = format_html(
        '<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" stroke="{axis}" stroke-width="1"/>'
        '<line x1="{left}" y1="{top}" x2="{left}" y2="{base}" stroke="{axis}" stroke-width="1"/>'
        '<text x="{label_x}" y="{top_label}" text-anchor="end" font-size="12" fill="{text}">{most}</text>'
        '<text x="{label_x}" y="{base}" text-anchor="end" font-size="12" fill="{text}">0</text>'
        '<text x="{left}" y="{date_y}" font-size="12" fill="{text}">{first}</text>'
        '<text x="{right}" y="{date_y}" text-anchor="end" font-size="12" fill="{text}">{last}</text>',
        left=PLOT_LEFT,
        right=CHART_WIDTH - PLOT_RIGHT,
        top=PLOT_TOP,
        base=baseline,
        axis=AXIS_COLOUR,
        text=TEXT_COLOUR,
        label_x=PLOT_LEFT - 6,
        top_label=PLOT_TOP + 10,
        most=f"{most:,}",
        date_y=CHART_HEIGHT - 12,
        first=f"{day_rows[0][0]:%-d %b %Y}",
        last=f"{day_rows[-1][0]:%-d %b %Y}",
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="responses-chart" role="img" width="100%" '
        'viewBox="0 0 {} {}" aria-labelledby="{} {}" focusable="false">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>{}{}</svg>',
        CHART_WIDTH,
        CHART_HEIGHT,
        title_id,
        desc_id,
        title_id,
        title,
        desc_id,
        desc,
        axes,
        bar_markup,
    )


def can_view_dashboard(user):
    return user.is_active and user.is_staff and user.has_perm("submissions.view_submission")


def dashboard_view(request):
    """Counts per call, responses per day and the moderation queue, for staff who may see responses."""
    if not can_view_dashboard(request.user):
        raise PermissionDenied
    summaries = call_summaries()
    now = timezone.now()
    context = {
        **admin.site.each_context(request),
        "title": "Responses dashboard",
        "summaries": [summary for summary in summaries if summary.total or summary.call.is_open(now)],
        "quiet_calls": [summary.call for summary in summaries if not summary.total and not summary.call.is_open(now)],
        "pending_total": sum(summary.pending for summary in summaries),
        "now": now,
    }
    for summary in context["summaries"]:
        summary.age = summary.oldest_pending_age(now)
    return TemplateResponse(request, "admin/submissions/dashboard.html", context)
