"""Suggested themes for a call: start a run (a job for the worker), watch its progress, and decide on each
suggestion: accept it into the codebook with its members coded, rename, merge with others, or drop it."""

from django.contrib import messages
from django.http import HttpResponseRedirect

from ..forms import SuggestionRunForm
from ..models import Suggestion, SuggestionRun
from ..selectors import call_answers, call_ideas
from ..services import suggestions as service
from ..services.suggestions import SuggestionError
from .base import CODE, CallScreen

SAMPLES = 3


class SuggestionsView(CallScreen):
    template_name = "admin/analysis/suggestions.html"
    title = "Suggested themes"

    def get(self, request, call_id, form=None, status=200):
        run = SuggestionRun.objects.filter(call=self.call).first()
        suggestions = list(run.suggestions.select_related("theme")) if run else []
        self.add_samples(suggestions)
        response = self.render(
            form=form or SuggestionRunForm(),
            run=run,
            open_suggestions=[s for s in suggestions if s.state == Suggestion.State.OPEN],
            decided=[s for s in suggestions if s.state != Suggestion.State.OPEN],
            can_code=request.user.has_perm(CODE),
        )
        response.status_code = status
        return response

    def add_samples(self, suggestions):
        """A few members' titles or openings per suggestion, so staff see what it is made of (two queries)."""
        idea_ids = {pk for s in suggestions for pk in s.idea_ids[:SAMPLES]}
        answer_ids = {pk for s in suggestions for pk in s.answer_ids[:SAMPLES]}
        ideas = dict(call_ideas(call=self.call).filter(pk__in=idea_ids).values_list("pk", "title"))
        answers = dict(call_answers(call=self.call).filter(pk__in=answer_ids).values_list("pk", "text"))
        for suggestion in suggestions:
            texts = [ideas[pk] for pk in suggestion.idea_ids[:SAMPLES] if pk in ideas]
            texts += [answers[pk][:140] for pk in suggestion.answer_ids[:SAMPLES] if pk in answers]
            suggestion.samples = texts[:SAMPLES]

    def post(self, request, call_id):
        if not request.user.has_perm(CODE):
            return self.get(request, call_id, status=403)
        action, _, pk = request.POST.get("action", "").partition(":")
        if action == "start":
            if not request.user.has_perm("analysis.add_suggestionrun"):
                return self.get(request, call_id, status=403)
            form = SuggestionRunForm(request.POST)
            if not form.is_valid():
                return self.get(request, call_id, form=form, status=400)
            service.suggestion_run_request(call=self.call, actor=request.user, count=form.cleaned_data["count"])
            messages.success(request, "Suggested themes are being worked out. This page shows how far it has got.")
            return HttpResponseRedirect(request.path)
        run = SuggestionRun.objects.filter(call=self.call).first()
        suggestions = {str(s.pk): s for s in run.suggestions.all()} if run else {}
        try:
            self.decide(action, suggestions.get(pk), suggestions)
        except SuggestionError as exc:
            messages.error(request, str(exc))
        return HttpResponseRedirect(request.path)

    def decide(self, action, suggestion, suggestions):
        request = self.request
        if action == "merge":
            chosen = [suggestions[pk] for pk in request.POST.getlist("merge") if pk in suggestions]
            if len(chosen) < 2:
                raise SuggestionError("Tick at least two suggestions to merge.")
            into = service.suggestion_merge(into=chosen[0], others=chosen[1:])
            messages.success(request, f"{len(chosen)} suggestions merged into “{into.label}”.")
            return
        if suggestion is None:
            raise SuggestionError("That suggestion is no longer there. Start a new run if you need one.")
        label = request.POST.get(f"label-{suggestion.pk}", "").replace("\x00", "").strip()
        if action == "accept":
            theme, coded = service.suggestion_accept(suggestion=suggestion, actor=request.user, name=label)
            messages.success(request, f"“{theme.name}” is in the codebook, and {coded:,} items are coded with it.")
        elif action == "rename":
            service.suggestion_rename(suggestion=suggestion, label=label)
            messages.success(request, f"Renamed to “{suggestion.label}”.")
        elif action == "drop":
            service.suggestion_drop(suggestion=suggestion)
            messages.success(request, f"“{suggestion.label}” dropped.")
        else:
            raise SuggestionError("Choose what to do with the suggestion.")
