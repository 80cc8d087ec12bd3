"""Template tags every app's templates may use: the closure banner and staff-written Markdown."""

from django import template

from core.closure import active_closure_notice, notice_is_closed
from core.markdown import render_markdown

register = template.Library()


@register.inclusion_tag("includes/closure_banner.html", takes_context=True)
def closure_banner(context):
    """The site-wide closure notice: "will close" before its date, "has closed" after it."""
    notice = context.get("closure_notice")
    if notice is None:
        notice = active_closure_notice()
    if notice is None:
        return {"notice": None}
    return {"notice": notice, "closed": notice_is_closed(notice)}


@register.filter
def markdown(text):
    return render_markdown(text)
