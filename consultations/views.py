from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import DetailView

from core.closure import site_is_closed

from .models import Call
from .templatetags.calls_tags import effective_status


def _listed_calls():
    return Call.objects.only(
        "kind", "title", "slug", "summary", "phase", "opens_at", "closes_at", "responses_may_be_published"
    )


def current_calls(now):
    """Open calls (closing soonest first) and upcoming ones (opening soonest first): two queries."""
    return {
        "open_calls": list(_listed_calls().open(now).order_by("closes_at", "title")),
        "upcoming_calls": list(_listed_calls().upcoming(now).order_by("opens_at", "title")),
    }


def calls_by_status(now):
    """Open, upcoming and closed calls at one instant, so a call never shows in two lists (three queries).

    Once the website has closed no call is open, whatever its dates: the open ones count as closed.
    """
    calls = {**current_calls(now), "closed_calls": list(_listed_calls().closed(now).order_by("-closes_at", "title"))}
    if site_is_closed(now):
        calls["closed_calls"] = [*calls["open_calls"], *calls["closed_calls"]]
        calls["open_calls"] = []
    return calls


def home_calls_context(now=None):
    """What the home page needs for its calls (templates/consultations/includes/home_calls.html).

    While a call is open or to come (and the website has not closed): those calls, to take part in. Otherwise
    the calls that have run, to read what we heard (one more query, only then).
    """
    now = now or timezone.now()
    site_closed = site_is_closed(now)
    context = {**current_calls(now), "site_closed": site_closed, "now": now}
    context["taking_part"] = bool(context["open_calls"] or context["upcoming_calls"]) and not site_closed
    context["heard_calls"] = [] if context["taking_part"] else list(_listed_calls().filter(opens_at__lte=now))
    return context


class CallDetailView(DetailView):
    """A call's start page: who it is for, what it asks, and a way in only while it is open."""

    model = Call
    template_name = "consultations/call_detail.html"
    context_object_name = "call"

    def get_object(self, queryset=None):
        return get_object_or_404(Call.objects.prefetch_related("questions"), slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        call = self.object
        now = timezone.now()
        site_closed = site_is_closed(now)
        context.update(
            now=now,
            # As readers should see it: a call still within its dates counts as closed once the website has.
            status=effective_status(call, now, site_closed),
            cut_short=call.is_open(now) and site_closed,
            site_closed=site_closed,
            accepting_responses=call.is_open(now) and not site_closed,
            questions=list(call.questions.all()),
            breadcrumbs=[("Get involved", reverse("pages:get_involved")), (call.title, None)],
        )
        return context
