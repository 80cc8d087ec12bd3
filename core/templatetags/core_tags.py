"""Template tags every app's templates may use: the closure banner and staff-written Markdown."""

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from core.closure import active_closure_notice, notice_is_closed
from core.markdown import render_markdown

register = template.Library()


@register.inclusion_tag("includes/closure_banner.html", takes_context=True)
def closure_banner(context, compact=False):
    """The site-wide closure notice: "will close" before its date, "has closed" after it; one line when compact."""
    notice = context.get("closure_notice")
    if notice is None:
        notice = active_closure_notice()
    if notice is None:
        return {"notice": None}
    return {"notice": notice, "closed": notice_is_closed(notice), "compact": compact}


@register.filter
def markdown(text):
    return render_markdown(text)


@register.simple_tag
def frontend_supported_script():
    """The inline script that marks the page before first paint; the CSP allows exactly this text by its hash."""
    # A constant from settings, not user input: escaping would break its quotes and so its hash.
    return mark_safe(f"<script>{settings.FRONTEND_SUPPORTED_SCRIPT}</script>")  # noqa: S308
