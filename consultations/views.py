from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import DetailView

from core.closure import site_is_closed

from .models import Call


def _listed_calls():
    return Call.objects.only("kind", "title", "slug", "summary", "phase", "opens_at", "closes_at")


def current_calls(now):
    """Open calls (closing soonest first) and upcoming ones (opening soonest first): two queries."""
    return {
        "open_calls": list(_listed_calls().open(now).order_by("closes_at", "title")),
        "upcoming_calls": list(_listed_calls().upcoming(now).order_by("opens_at", "title")),
    }


def calls_by_status(now):
    """Open, upcoming and closed calls at one instant, so a call never shows in two lists (three queries)."""
    return {**current_calls(now), "closed_calls": list(_listed_calls().closed(now).order_by("-closes_at", "title"))}


def home_calls_context(now=None):
    """What the home page needs to show open and upcoming calls (templates/consultations/includes/home_calls.html)."""
    now = now or timezone.now()
    return {**current_calls(now), "site_closed": site_is_closed(now), "now": now}


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
            status=call.status(now),
            site_closed=site_closed,
            accepting_responses=call.is_open(now) and not site_closed,
            questions=list(call.questions.all()),
            breadcrumbs=[("Get involved", reverse("pages:get_involved")), (call.title, None)],
        )
        return context
