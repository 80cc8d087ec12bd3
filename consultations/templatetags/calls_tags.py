"""Dates and times the GOV.UK way, in UK time: "5pm on 15 December 2021", "midday", "midnight"."""

import datetime

from django import template
from django.utils import timezone

from consultations.models import Call

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
    if not value:
        return ""
    return format_uk_date(value)


@register.filter
def uk_datetime(value):
    """For example "5pm on 15 December 2021", in UK time."""
    if not value:
        return ""
    return f"{format_uk_time(value)} on {format_uk_date(value)}"


@register.inclusion_tag("consultations/includes/call_status_tag.html", takes_context=True)
def call_status_tag(context, call):
    """A GOV.UK tag saying whether the call is open, upcoming or closed (at the request's `now` if the view set one)."""
    status = call.status(context.get("now"))
    if status == Call.Status.OPEN and context.get("site_closed"):
        # Once the website has closed (archive mode) no call takes responses, whatever its dates say.
        status = Call.Status.CLOSED
    return {"label": status.label, "css_class": STATUS_TAG_CLASSES[status]}


@register.simple_tag(takes_context=True)
def call_status(context, call):
    """`{% call_status call as status %}`: "upcoming", "open" or "closed", at the view's `now` if set."""
    return call.status(context.get("now"))
