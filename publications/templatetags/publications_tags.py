import re

from django import template
from django.utils.safestring import mark_safe

from core.files import human_size

register = template.Library()


@register.filter
def file_size(size):
    """2.1 MB, 340 KB: as the GOV.UK attachment pattern shows a file's size."""
    return human_size(size or 0)


_HEADING = re.compile(r"<(/?)h([2-5])\b")


@register.filter
def headings_below_h2(html):
    """Rendered Markdown with every heading one level down (h2 -> h3), for a body under the page's own h2."""
    return mark_safe(_HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", str(html)))  # noqa: S308 - moves tags only
