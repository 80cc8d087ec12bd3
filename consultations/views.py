from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import DetailView

from core.cache import remember
from core.closure import site_is_closed

from .models import Call
from .templatetags.calls_tags import effective_status

LISTED_FIELDS = ("kind", "title", "slug", "summary", "phase", "opens_at", "closes_at", "responses_may_be_published")


def _listed_calls(by, *, latest_first=False):
    """Every call by `by` (a date field) then title, as each worker remembers them for the content version
    (core.cache): the pages below pick the open, upcoming or closed ones by the clock, so a page rendered afresh runs
    no query."""
    calls = remember("listed-calls", lambda: list(Call.objects.only(*LISTED_FIELDS).order_by("title")))
    return sorted(calls, key=lambda call: getattr(call, by), reverse=latest_first)  # stable: titles stay in order


def current_calls(now):
    """Open calls (closing soonest first) and upcoming ones (opening soonest first)."""
    return {
        "open_calls": [call for call in _listed_calls("closes_at") if call.is_open(now)],
        "upcoming_calls": [call for call in _listed_calls("opens_at") if call.is_upcoming(now)],
    }


def calls_by_status(now):
    """Open, upcoming and closed calls at one instant, so a call never shows in two lists.

    Once the website has closed no call is open, whatever its dates: the open ones count as closed.
    """
    closed = [call for call in _listed_calls("closes_at", latest_first=True) if call.is_closed(now)]
    calls = {**current_calls(now), "closed_calls": closed}
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
    heard = [] if context["taking_part"] else [c for c in _listed_calls("opens_at") if not c.is_upcoming(now)]
    context["heard_calls"] = heard
    return context


def call_and_questions(slug):
    """(call, its questions) as each worker remembers them for the content version; (None, []) for no such call.
    For pages only: a request that stores something (a response) reads the call from the database.

    Every call at once, in one entry: an address made up for each request finds nothing and adds nothing."""
    calls = remember("calls-with-questions", _calls_with_questions)
    return calls.get(slug, (None, []))


def _calls_with_questions():
    return {call.slug: (call, list(call.questions.all())) for call in Call.objects.prefetch_related("questions")}


def query_call_and_questions(slug):
    call = Call.objects.filter(slug=slug).first()
    return call, list(call.questions.all()) if call else []


class CallDetailView(DetailView):
    """A call's start page: who it is for, what it asks, and a way in only while it is open."""

    model = Call
    template_name = "consultations/call_detail.html"
    context_object_name = "call"

    def get_object(self, queryset=None):
        call, self.questions = call_and_questions(self.kwargs["slug"])
        if call is None:
            raise Http404("No such call")
        return call

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
            questions=self.questions,
            breadcrumbs=[("Get involved", reverse("pages:get_involved")), (call.title, None)],
        )
        return context
