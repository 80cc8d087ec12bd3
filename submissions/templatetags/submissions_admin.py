from django import template

from submissions.services.safeguarding import safeguarding_recipients

register = template.Library()


@register.inclusion_tag("admin/submissions/includes/safeguarding_banner.html", takes_context=True)
def safeguarding_banner(context):
    """A red banner for every staff member while no safeguarding lead can be told about a flagged response."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_active or not user.is_staff:
        return {"missing": False}
    return {"missing": not safeguarding_recipients()}
