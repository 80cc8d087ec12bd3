from urllib.parse import quote, urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView, TemplateView

from consultations.models import ReviewPhase
from consultations.views import home_calls_context

from .models import FAQ, Page, Post

# The review's life, in plain words, for the home page timeline.
REVIEW_TIMELINE = [
    {
        "phase": ReviewPhase.DIAGNOSIS.label,
        "dates": "January to June 2021",
        "text": "The review began in January 2021 by asking people what was wrong, and set out the problems "
        "it found in the Case for Change in June 2021.",
    },
    {
        "phase": ReviewPhase.DISCOVERY.label,
        "dates": "June to October 2021",
        "text": "We tested the Case for Change with thousands of people and looked closely at how help works in "
        "ten local areas.",
    },
    {
        "phase": ReviewPhase.DEVELOPMENT.label,
        "dates": "November to December 2021",
        "text": "We asked everyone for practical solutions through the Call for Ideas.",
    },
    {
        "phase": ReviewPhase.DELIVERY.label,
        "dates": "January to May 2022",
        "text": "We turned what we heard into recommendations. The final report came out on 23 May 2022.",
    },
    {
        "phase": "Government response",
        "dates": "2 February 2023",
        "text": "The government answered the review with its plan for children's social care.",
        "current": True,
    },
]


class HomeView(TemplateView):
    template_name = "pages/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["timeline"] = REVIEW_TIMELINE
        context["latest_posts"] = Post.objects.published()[:3]
        context.update(home_calls_context())  # open_calls, upcoming_calls
        return context


class FAQListView(ListView):
    model = FAQ
    template_name = "pages/faq_list.html"
    context_object_name = "faqs"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        faqs = list(context["faqs"])
        context["faqs"] = faqs
        context["last_updated"] = max((faq.updated_at for faq in faqs), default=None)
        context["breadcrumbs"] = [("FAQs", None)]
        return context


class PostListView(ListView):
    """Published news and blogs, newest first. A page number out of range is a 404 (ListView does it)."""

    template_name = "pages/post_list.html"
    context_object_name = "posts"
    paginate_by = 10

    def get_queryset(self):
        return Post.objects.published().defer("body")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context["page_range"] = page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
        context["breadcrumbs"] = [("News and blogs", None)]
        return context


class PostDetailView(DetailView):
    """A published post; staff may also preview drafts and posts dated in the future."""

    template_name = "pages/post_detail.html"
    context_object_name = "post"

    def get_queryset(self):
        if self.request.user.is_staff:
            return Post.objects.all()
        return Post.objects.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        post = self.object
        context["is_preview"] = not post.is_published()
        if not context["is_preview"]:
            context["previous_post"], context["next_post"] = self.neighbours(post)
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

    @staticmethod
    def neighbours(post):
        """The published posts just older and just newer than this one (two small queries)."""
        fields = ("title", "slug", "published_at")
        published = Post.objects.published().only(*fields)
        older = published.filter(
            Q(published_at__lt=post.published_at) | Q(published_at=post.published_at, pk__lt=post.pk)
        ).order_by("-published_at", "-pk")
        newer = published.filter(
            Q(published_at__gt=post.published_at) | Q(published_at=post.published_at, pk__gt=post.pk)
        ).order_by("published_at", "pk")
        return older.first(), newer.first()

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
    model = Page
    template_name = "pages/page_detail.html"
    context_object_name = "page"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = [(self.object.title, None)]
        return context
