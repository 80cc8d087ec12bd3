"""Dates and times the GOV.UK way, in UK time: "5pm on 15 December 2021", "2:52pm", "midday", "midnight".

Every public template shows a date or a time through these filters (never Django's |date or |time, whose
"2:52 a.m." and "02:52" read differently from page to page): tests/pages/test_dates.py checks.
"""

import datetime

from django import template
from django.utils import timezone

from consultations.models import Call
from core.closure import active_closure_notice, site_is_closed

register = template.Library()

STATUS_TAG_CLASSES = {
    Call.Status.OPEN: "govuk-tag--green",
    Call.Status.UPCOMING: "govuk-tag--blue",
    Call.Status.CLOSED: "govuk-tag--grey",
}


def _local(value):
    """Aware datetimes shown in the site's time zone (Europe/London: GMT in winter, BST in summer)."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def format_uk_time(value):
    """9am, 9:30am, 5pm; midnight and midday rather than 12am and 12pm."""
    value = _local(value)
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    if value.hour == 12 and value.minute == 0:
        return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    if value.minute:
        return f"{hour}:{value.minute:02d}{suffix}"
    return f"{hour}{suffix}"


def format_uk_date(value):
    value = _local(value)
    return f"{value.day} {value:%B %Y}"


@register.filter
def uk_date(value):
    """For example "15 December 2021", the day in UK time."""
    if not value:
        return ""
    return format_uk_date(value)


@register.filter
def uk_time(value):
    """For example "2:52pm", "midday", in UK time."""
    if not value:
        return ""
    return format_uk_time(value)


@register.filter
def uk_datetime(value):
    """For example "5pm on 15 December 2021", in UK time."""
    if not value:
        return ""
    return f"{format_uk_time(value)} on {format_uk_date(value)}"


@register.filter
def iso_datetime(value):
    """The machine-readable form for a <time datetime="…"> attribute, in UK time with its offset."""
    if not value:
        return ""
    value = _local(value)
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


def _site_closed(context, now):
    """The view's answer if it gave one, else the request's (core.closure keeps one look-up per request)."""
    if "site_closed" in context:
        return context["site_closed"]
    return site_is_closed(now)


def effective_status(call, now=None, site_closed=False):
    """The call's status as a reader should see it: once the website has closed no call takes responses."""
    status = call.status(now)
    if status == Call.Status.OPEN and site_closed:
        return Call.Status.CLOSED
    return status


@register.inclusion_tag("consultations/includes/call_status_tag.html", takes_context=True)
def call_status_tag(context, call):
    """A GOV.UK tag saying whether the call is open, upcoming or closed (at the request's `now` if the view set one)."""
    now = context.get("now")
    status = effective_status(call, now, _site_closed(context, now))
    return {"label": status.label, "css_class": STATUS_TAG_CLASSES[status]}


@register.simple_tag(takes_context=True)
def call_status(context, call):
    """`{% call_status call as status %}`: "upcoming", "open" or "closed", as the status tag shows it."""
    now = context.get("now")
    return effective_status(call, now, _site_closed(context, now))


@register.simple_tag(takes_context=True)
def call_closed_at(context, call):
    """When the call stopped taking responses: its closing time, or the website's if that came first."""
    now = context.get("now")
    if call.is_open(now) and _site_closed(context, now):
        notice = active_closure_notice()
        if notice is not None:
            return notice.closes_at
    return call.closes_at
