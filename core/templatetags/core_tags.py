"""Template tags every app's templates may use: the closure banner, staff-written Markdown, remembered fragments."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from core.cache import remember
from core.closure import active_closure_notice, notice_is_closed
from core.markdown import render_markdown

register = template.Library()


@register.simple_tag(takes_context=True)
def closure_banner(context, compact=False):
    """The site-wide closure notice: "will close" before its date, "has closed" after it; one line when compact.

    Its HTML is made from the notice alone, so each worker renders it once per content version and state."""
    notice = context.get("closure_notice")
    if notice is None:
        notice = active_closure_notice()
    if notice is None:
        return ""
    values = {"notice": notice, "closed": notice_is_closed(notice), "compact": bool(compact)}
    render = lambda: render_to_string("includes/closure_banner.html", values)  # noqa: E731
    if notice.pk is None:
        return render()  # a notice not saved yet (a preview) is no content version's
    return remember(("closure-banner", notice.pk, notice.updated_at, values["closed"], values["compact"]), render)


@register.tag
def remembered(parser, token):
    """`{% remembered key %}…{% endremembered %}`: the HTML between, rendered once per content version by each worker
    for each key (core.cache.remember); rendered every time when the key is empty. Only for HTML every visitor
    shares: a form's CSRF token inside is refused."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% remembered %} takes one key")
    nodelist = parser.parse(("endremembered",))
    parser.delete_first_token()
    return RememberedNode(parser.compile_filter(bits[1]), nodelist)


class RememberedNode(template.Node):
    def __init__(self, key, nodelist):
        self.key, self.nodelist = key, nodelist

    def render(self, context):
        key = self.key.resolve(context)
        if not key:
            return self.nodelist.render(context)
        return remember(("fragment", key), lambda: self.render_shared(context))

    def render_shared(self, context):
        html = self.nodelist.render(context)
        if "csrfmiddlewaretoken" in html:
            raise template.TemplateSyntaxError("{% remembered %} is shared by every visitor: no CSRF token inside")
        return html


@register.filter
def markdown(text):
    return render_markdown(text)


@register.simple_tag
def frontend_supported_script():
    """The inline script that marks the page before first paint; the CSP allows exactly this text by its hash."""
    # A constant from settings, not user input: escaping would break its quotes and so its hash.
    return mark_safe(f"<script>{settings.FRONTEND_SUPPORTED_SCRIPT}</script>")  # noqa: S308
