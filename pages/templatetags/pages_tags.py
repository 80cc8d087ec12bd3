from django import template
from django.template.loader import render_to_string
from django.urls import reverse

from core.cache import remember
from core.closure import is_rendering_archive, site_is_closed
from pages import timeline
from pages.models import Page
from pages.search import MAX_QUERY_LENGTH

register = template.Library()

# Fixed destinations around the content pages staff choose to link.
HEADER_BEFORE = [("Home", "/")]
HEADER_AFTER = [("News and blogs", "/news/"), ("Publications", "/publications/"), ("FAQs", "/faqs/")]
# Fixed destinations after the footer pages staff choose.
FOOTER_SEARCH = ("Search this website", "/search/")
FOOTER_SIGN_UP = ("Get email updates", "/updates/")


def _query_nav_links():
    """{nav location: [(text, address)]} of the pages staff put in the header or footer: one query."""
    pages = (
        Page.objects.exclude(nav_location=Page.NavLocation.NONE)
        .only("title", "slug", "nav_label", "nav_location", "nav_order")
        .order_by("nav_order", "title")
    )
    links = {Page.NavLocation.HEADER: [], Page.NavLocation.FOOTER: []}
    for page in pages:
        links.setdefault(page.nav_location, []).append((page.link_text, page.get_absolute_url()))
    return links


def _nav_links(context):
    """Header and footer links: once per request, and none at all while this worker remembers the content version
    (core.cache.remember)."""
    request = context.get("request")
    cached = getattr(request, "_review_nav_links", None)
    if cached is not None:
        return cached
    links = remember("nav-links", _query_nav_links)
    if request is not None:
        request._review_nav_links = links
    return links


def _is_current(path, url):
    if url == "/":
        return path == "/"
    return path == url or path.startswith(url)


def _in_response_journey(request):
    match = getattr(request, "resolver_match", None)
    return bool(match and match.namespace == "submissions" and (match.url_name or "").startswith("respond_"))


@register.simple_tag(takes_context=True)
def header_navigation(context):
    """The menu bar. Made of content and which item is current alone: each worker renders it once per content
    version for each current item, with and without the search box."""
    request = context.get("request")
    path = request.path if request else ""
    links = [*HEADER_BEFORE, *_nav_links(context)[Page.NavLocation.HEADER], *HEADER_AFTER]
    items = [{"label": label, "url": url, "current": _is_current(path, url)} for label, url in links]
    # Only the most specific match is current (so /news/x/ does not also light up Home).
    current = [i for i in items if i["current"]]
    for item in current[:-1]:
        item["current"] = False
    search_url = reverse("pages:search")
    # No search box on the search page (its own form is the one to use), in the archived copy (no search there)
    # or inside the response journey (someone filling in a form stays on it, and on a phone its question stays on
    # the first screen).
    show_search = path != search_url and not is_rendering_archive() and not _in_response_journey(request)
    values = {"items": items, "search_url": search_url if show_search else "", "search_max_length": MAX_QUERY_LENGTH}
    key = ("header-navigation", values["search_url"], *((i["url"], i["label"], i["current"]) for i in items))
    return remember(key, lambda: render_to_string("includes/header_navigation.html", values))


@register.simple_tag(takes_context=True)
def footer_links(context):
    """The footer's links, rendered once per content version and state by each worker (see header_navigation)."""
    links = list(_nav_links(context)[Page.NavLocation.FOOTER])
    # The archived copy has no search, and a closed site takes no sign-ups: no links to them.
    if not is_rendering_archive():
        links.append(FOOTER_SEARCH)
    if not site_is_closed():
        links.append(FOOTER_SIGN_UP)
    return remember(("footer-links", *links), lambda: render_to_string("includes/footer_links.html", {"links": links}))


@register.simple_tag
def review_has_ended():
    """`{% review_has_ended as ended %}`: whether the review has finished (a closure notice is up)."""
    return timeline.review_has_ended()
