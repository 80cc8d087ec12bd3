from django import template

from core.files import human_size

register = template.Library()


@register.filter
def file_size(size):
    """2.1 MB, 340 KB: as the GOV.UK attachment pattern shows a file's size."""
    return human_size(size or 0)
