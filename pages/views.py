from urllib.parse import quote, urlencode

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import DetailView, ListView, TemplateView
from django.views.generic.edit import FormView

from consultations.views import calls_by_status, home_calls_context
from core import ratelimit
from core.mixins import ClosedSiteRefusalMixin

from . import remembered, services
from .forms import SubscribeForm
from .search import MAX_QUERY_LENGTH, clean_query, search_site
from .timeline import home_timeline

GET_INVOLVED_SLUG = "get-involved"


class HomeView(TemplateView):
    template_name = "pages/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["latest_posts"] = latest = remembered.published_posts(timezone.now())[:3]
        context.update(home_calls_context())  # open_calls, upcoming_calls, heard_calls once none is open
        # Both sections are made of content and of which calls the clock puts where, nothing else: each worker renders
        # them once per state ({% remembered %}).
        context["posts_key"] = ("latest-posts", *(post.pk for post in latest))
        lists = [tuple(call.pk for call in context[name]) for name in ("open_calls", "upcoming_calls", "heard_calls")]
        context["calls_key"] = ("home-calls", context["site_closed"], context["taking_part"], *lists)
        # Whether the review has ended, and its timeline: phase by phase while it runs, with dates once ended.
        context.update(home_timeline(context["open_calls"], context["upcoming_calls"]))
        return context


class FAQListView(ListView):
    template_name = "pages/faq_list.html"
    context_object_name = "faqs"

    def get_queryset(self):
        return remembered.faqs()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        faqs = list(context["faqs"])
        context["faqs"] = faqs
        context["last_updated"] = max((faq.updated_at for faq in faqs), default=None)
        context["faqs_key"] = ("faq-list", *((faq.pk, faq.updated_at) for faq in faqs))
        context["breadcrumbs"] = [("FAQs", None)]
        return context


class PostListView(ListView):
    """Published news and blogs, newest first. A page number out of range is a 404 (ListView does it)."""

    template_name = "pages/post_list.html"
    context_object_name = "posts"
    paginate_by = 10

    def get_queryset(self):
        return remembered.published_posts(timezone.now())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context["page_range"] = page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
        context["list_key"] = ("news-list", page.number, page.paginator.num_pages, *(p.pk for p in page.object_list))
        context["breadcrumbs"] = [("News and blogs", None)]
        return context


class PostDetailView(DetailView):
    """A published post; staff may also preview drafts and posts dated in the future."""

    template_name = "pages/post_detail.html"
    context_object_name = "post"

    def get_object(self, queryset=None):
        post = remembered.post(self.kwargs["slug"])
        if post is None or not (post.is_published() or self.request.user.is_staff):
            raise Http404("No such post")
        return post

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        post = self.object
        context["is_preview"] = not post.is_published()
        if not context["is_preview"]:
            context["previous_post"], context["next_post"] = remembered.neighbours(post, timezone.now())
            context["share_links"] = self.share_links(post)
        context["breadcrumbs"] = [("News and blogs", reverse("pages:post_list")), (post.title, None)]
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["is_preview"]:
            # A preview is for the member of staff only: never kept by a browser or a shared cache.
            add_never_cache_headers(response)
            response["X-Robots-Tag"] = "noindex"
        return response

    def share_links(self, post):
        """Plain links to each service's share page: no third-party script runs on this site."""
        url = self.request.build_absolute_uri(post.get_absolute_url())
        return [
            # mailto: wants %20 for spaces; many mail programs show a "+" literally.
            ("Email", "mailto:?" + urlencode({"subject": post.title, "body": url}, quote_via=quote)),
            ("X", "https://x.com/intent/tweet?" + urlencode({"text": post.title, "url": url})),
            ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
            ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})),
        ]


class PageDetailView(DetailView):
    template_name = "pages/page_detail.html"
    context_object_name = "page"

    def get_object(self, queryset=None):
        page = remembered.page(self.kwargs["slug"])
        if page is None:
            raise Http404("No such page")
        return page

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = [(self.object.title, None)]
        return context


# Email updates (double opt-in) and site search.


class UpdatesSignUpView(ClosedSiteRefusalMixin, FormView):
    """Ask for an address. The answer is the same page whatever the address's state, so no one can probe it."""

    template_name = "pages/updates_signup.html"
    form_class = SubscribeForm
    closed_title = "Sign-ups for email updates have closed"
    closed_message = "The review has finished its work, so it no longer sends email updates or takes sign-ups."

    def form_valid(self, form):
        request = self.request
        if not ratelimit.hit(request, scope="updates-signup", rate=settings.UPDATES_SIGNUP_RATE_LIMIT):
            return too_many_response(request, "signups")
        emails_allowed = lambda: ratelimit.hit(  # noqa: E731 - asked only when an email would go
            request, scope="updates-email", rate=settings.UPDATES_EMAIL_RATE_LIMIT
        )
        try:
            services.subscriber_request(email=form.cleaned_data["email"], allow_email=emails_allowed)
        except services.EmailLimitReached:
            return too_many_response(request, "emails")
        return redirect("pages:updates_check_email")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = [("Sign up for email updates", None)]
        return context


def too_many_response(request, reason):
    """The friendly 429 page (templates/429.html) for a client over one of the sign-up limits."""
    context = {"reason": reason, "back_url": reverse("pages:updates")}
    return TemplateResponse(request, "429.html", context, status=429)


class UpdatesCheckEmailView(TemplateView):
    template_name = "pages/updates_check_email.html"


def invalid_link_response(request, kind):
    context = {"kind": kind, "max_age_hours": settings.UPDATES_CONFIRM_MAX_AGE_HOURS}
    return TemplateResponse(request, "pages/updates_invalid_link.html", context, status=400)


class UpdatesConfirmView(ClosedSiteRefusalMixin, View):
    """Following the emailed link confirms the address: the sign-up counts from now."""

    closed_title = UpdatesSignUpView.closed_title
    closed_message = UpdatesSignUpView.closed_message

    def get(self, request, token):
        try:
            services.subscriber_confirm(token=token)
        except services.InvalidToken:
            return invalid_link_response(request, "confirm")
        return TemplateResponse(request, "pages/updates_confirmed.html")


# The signed token in the address is what authorises the POST, so a CSRF token adds nothing: a forged
# cross-site POST would need the token, which only the email's recipient has. Exempt, so that mail
# programs can unsubscribe in one click (RFC 8058 List-Unsubscribe-Post) without a form.
@method_decorator(csrf_exempt, name="dispatch")
class UpdatesUnsubscribeView(View):
    """GET asks, POST unsubscribes: mail scanners that follow links must not unsubscribe anyone.

    Works without signing in, and also in archive mode (stopping emails is always allowed).
    """

    def get(self, request, token):
        try:
            services.read_unsubscribe_token(token)
        except services.InvalidToken:
            return invalid_link_response(request, "unsubscribe")
        return TemplateResponse(request, "pages/updates_unsubscribe.html")

    def post(self, request, token):
        try:
            services.subscriber_unsubscribe(token=token)
        except services.InvalidToken:
            return invalid_link_response(request, "unsubscribe")
        return redirect("pages:updates_unsubscribed")


class UpdatesUnsubscribedView(TemplateView):
    template_name = "pages/updates_unsubscribed.html"


class SearchView(TemplateView):
    """Search FAQs, published news and blogs, and content pages. An empty query shows the form only."""

    template_name = "pages/search.html"

    @staticmethod
    def page_cache_query(request):
        """What the page is made of (core.cache keeps a results page per query): the cleaned query alone."""
        return urlencode({"q": clean_query(request.GET.get("q", ""))})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = clean_query(self.request.GET.get("q", ""))
        context["query"] = query
        context["max_length"] = MAX_QUERY_LENGTH
        context["results"] = search_site(query) if query else None
        context["breadcrumbs"] = [("Search", None)]
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # Result pages are endless and thin: keep them out of search engines.
        response["X-Robots-Tag"] = "noindex"
        return response


class GetInvolvedView(TemplateView):
    """The "Get involved" content page (if staff wrote one), then every call by status."""

    template_name = "consultations/get_involved.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        page = remembered.page(GET_INVOLVED_SLUG)
        title = page.title if page else "Get involved"
        context.update(calls_by_status(now), now=now, page=page, title=title, breadcrumbs=[(title, None)])
        return context
