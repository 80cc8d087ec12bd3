"""The response journey's steps: thin views over journey.py (session state), forms.py and services.responses.

Check your answers, Submit and the confirmation are in submit_views.py."""

import functools

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.generic import View

from consultations.views import call_and_questions, query_call_and_questions
from core.closure import READING_METHODS
from core.mixins import ClosedSiteRefusalMixin

from . import ratelimit, uploads
from .filled_forms import filled_form_html
from .forms import HONEYPOT_FIELD, AboutYouForm, AnswersForm, AttachmentForm, PublicationForm
from .journey import (
    ABOUT,
    ANSWERS,
    FILES,
    PUBLICATION,
    Journey,
    JourneyData,
    pending_bytes,
    without_idea,
)

STEP_URLS = {
    ABOUT: "submissions:respond_about",
    ANSWERS: "submissions:respond_answers",
    FILES: "submissions:respond_files",
    PUBLICATION: "submissions:respond_publication",
}
STEP_TITLES = {
    ABOUT: "About you",
    ANSWERS: "Your answers",
    FILES: "Upload files (optional)",
    PUBLICATION: "Publishing your response",
}


def call_not_open_response(request, call, *, submitting=False):
    """The call is upcoming or closed: a clear page, no form. 410 once closed, 403 before it opens."""
    status = 410 if call.is_closed() else 403
    context = {"call": call, "submitting": submitting, "upcoming": call.is_upcoming()}
    return TemplateResponse(request, "submissions/call_not_open.html", context, status=status)


class CallJourneyView(ClosedSiteRefusalMixin, View):
    """Every journey page: the site must be open (archive mode refuses), the call must exist and be open."""

    closed_title = "You can no longer respond"
    closed_message = "This website has closed and no longer accepts responses. Nothing you typed has been sent."
    step = None

    def dispatch(self, request, *args, **kwargs):
        # ClosedSiteRefusalMixin.dispatch has already refused in archive mode.
        slug = kwargs["slug"]
        if request.method in READING_METHODS:
            # A page shows the call as this worker remembers it for the content version, as public pages do.
            self.call, questions = call_and_questions(slug)
        else:
            # What is posted is checked against the database's call (open, its questions), never a remembered one.
            self.call, questions = query_call_and_questions(slug)
        if self.call is None:
            raise Http404("No such call")
        already_sent = self.already_sent(request)
        if already_sent:
            return already_sent
        if not self.call.is_open():
            return call_not_open_response(request, self.call, submitting=request.method == "POST")
        self.journey = Journey(request.session, self.call)
        self.questions = questions
        self.steps = self.journey.steps(has_questions=bool(self.questions))
        self._complete = {}
        return super().dispatch(request, *args, **kwargs)

    def already_sent(self, request):
        """A response to redirect to instead of this page (only Submit has one), even once the call has closed."""
        return None

    # Building and checking each step's form from the session

    def build_form(self, step, **kwargs):
        if step == ABOUT:
            return AboutYouForm(**kwargs)
        if step == ANSWERS:
            return AnswersForm(call=self.call, questions=self.questions, idea_slots=self.journey.idea_slots, **kwargs)
        if step == FILES:
            return AttachmentForm(**kwargs)
        return PublicationForm(call=self.call, **kwargs)

    def completed_form(self, step):
        """The step's stored data as a valid bound form, or None if the step is not (or no longer) complete."""
        if step not in self._complete:
            data = self.journey.data(step)
            form = None
            if data is not None:
                if step == FILES:
                    form = AttachmentForm(data={})
                    form.is_valid()
                    form = form if len(self.journey.files) <= settings.RESPONSE_MAX_ATTACHMENTS else None
                else:
                    form = self.build_form(step, data=data)
                    form = form if form.is_valid() else None
            self._complete[step] = form
        return self._complete[step]

    def first_incomplete_step(self, before=None):
        for step in self.steps:
            if step == before:
                return None
            if self.completed_form(step) is None:
                return step
        return None

    def step_url(self, step, change=False):
        url = reverse(STEP_URLS[step], kwargs={"slug": self.call.slug})
        return f"{url}?change=1" if change else url

    def url(self, name):
        return reverse(f"submissions:{name}", kwargs={"slug": self.call.slug})

    def journey_data(self):
        about = self.completed_form(ABOUT).cleaned_data
        publication = self.completed_form(PUBLICATION).cleaned_data
        data = JourneyData(
            token=self.journey.token,
            respondent_type=about["respondent_type"],
            organisation_name=about["organisation_name"],
            name=about["name"],
            email=about["email"],
            files=self.journey.files if FILES in self.steps else [],
            publication=publication["publication"],
            consented=publication["consent"],
        )
        if ANSWERS in self.steps:
            answers = self.completed_form(ANSWERS)
            data.answers = answers.answers()
            data.ideas = answers.cleaned_data.get("ideas", [])
        return data

    def context(self, **extra):
        return {"call": self.call, "steps": self.steps, **extra}


class RespondStartView(CallJourneyView):
    """The call page's Start button: carry on from the first step not yet done."""

    def get(self, request, *args, **kwargs):
        step = self.first_incomplete_step()
        return redirect(self.step_url(step) if step else self.url("respond_check"))


class StepView(CallJourneyView):
    template_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.change = request.GET.get("change") == "1"

    def guard(self):
        """Redirect to the first earlier step not yet done (a skipped or reordered step), else None."""
        if self.step not in self.steps:
            return redirect(self.url("respond_start"))
        missing = self.first_incomplete_step(before=self.step)
        return redirect(self.step_url(missing)) if missing else None

    def next_url(self):
        if self.change:
            return self.url("respond_check")
        index = self.steps.index(self.step)
        if index + 1 < len(self.steps):
            return self.step_url(self.steps[index + 1])
        return self.url("respond_check")

    def back_url(self):
        if self.change:
            return self.url("respond_check")
        index = self.steps.index(self.step)
        return self.step_url(self.steps[index - 1]) if index else self.call.get_absolute_url()

    def unbound_form(self):
        form = self.build_form(self.step)
        multiple = {name: isinstance(field, django_forms.MultipleChoiceField) for name, field in form.fields.items()}
        initial = self.journey.initial(self.step, multiple)
        initial.pop(HONEYPOT_FIELD, None)
        return self.build_form(self.step, initial=initial)

    def render_step(self, form, status=200, **extra):
        context = self.context(
            form=form,
            shared_form=self.shared_form_key(form),
            filled_form=self.filled_form_html(form),
            step=self.step,
            step_number=self.steps.index(self.step) + 1,
            step_count=len(self.steps) + 1,
            step_title=STEP_TITLES[self.step],
            back_url=self.back_url(),
            change=self.change,
            **extra,
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def shared_form_key(self, form):
        """On a first visit the form's fields are the same for everyone answering the call: the template renders
        them once per content version ({% remembered %}). Never once anything typed is in them."""
        if self.request.method != "GET" or form.is_bound or any(form.initial.values()):
            return None
        return ("journey-form", *self._form_shape(form))

    def filled_form_html(self, form):
        """Coming back to a step: its form with the answers in, made from a remembered shape (filled_forms.py)."""
        if self.request.method != "GET" or form.is_bound or not any(form.initial.values()):
            return None
        build = functools.partial(self.build_form, self.step)
        return filled_form_html(form, ("journey-form-filled", *self._form_shape(form)), build)

    def _form_shape(self, form):
        focused = tuple(name for name, field in form.fields.items() if field.widget.attrs.get("autofocus"))
        return (self.step, self.call.pk, self.journey.idea_slots, focused)

    def get(self, request, *args, **kwargs):
        return self.guard() or self.render_step(self.unbound_form())

    def post(self, request, *args, **kwargs):
        guard = self.guard()
        if guard:
            return guard
        form = self.build_form(self.step, data=request.POST)
        if not form.is_valid():
            # Shown back from the POST with its errors, never stored: the last valid answers stay in the session.
            return self.render_step(form)
        self.journey.save_step(self.step, form)
        self.form_valid(form)
        return HttpResponseRedirect(self.next_url())

    def form_valid(self, form):
        pass


class AboutYouView(StepView):
    step = ABOUT
    template_name = "submissions/about_you.html"

    def form_valid(self, form):
        if form.cleaned_data.get(HONEYPOT_FIELD):
            self.journey.mark_honeypot()


class AnswersView(StepView):
    step = ANSWERS
    template_name = "submissions/answers.html"

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "continue")
        if not self.call.is_ideas or not (action == "add_idea" or action.startswith("remove_idea_")):
            return super().post(request, *args, **kwargs)
        guard = self.guard()
        if guard:
            return guard
        # One idea more or less (the number of ideas is kept at once), then what was typed, if it is all valid.
        # If it is not, the page comes back with the typed text and its errors and nothing typed is kept.
        data = request.POST
        focus = None
        if action == "add_idea":
            if self.journey.idea_slots < self.call.max_ideas:
                self.journey.idea_slots += 1
                messages.success(request, f"Idea {self.journey.idea_slots} added")
            focus = self.journey.idea_slots
        else:
            try:
                number = int(action.removeprefix("remove_idea_"))
            except ValueError:
                number = 0
            if 1 < number <= self.journey.idea_slots:
                data = without_idea(request.POST, number, self.journey.idea_slots)
                self.journey.remove_idea(number)
                messages.success(request, f"Idea {number} removed")
                # The idea that moved up into its place, or the one before when it was the last.
                focus = min(number, self.journey.idea_slots)
        form = self.build_form(self.step, data=data)
        if not form.is_valid():
            return self.render_step(form, focus=focus)
        self.journey.save_step(self.step, form)
        here = self.step_url(self.step, change=self.change)
        if focus is None:
            return HttpResponseRedirect(here)
        # GOV.UK's "add another": the new (or next) idea's title gets the focus, and the message says what happened.
        separator = "&" if "?" in here else "?"
        # No #fragment: browsers skip autofocus on a page whose address has one.
        return HttpResponseRedirect(f"{here}{separator}focus={focus}")

    def render_step(self, form, status=200, focus=None, **extra):
        if focus is None and self.request.GET.get("focus", "").isdigit():
            focus = int(self.request.GET["focus"])
        field = form.fields.get(f"idea_title_{focus}")
        if field is not None:
            field.widget.attrs["autofocus"] = True
        return super().render_step(
            form,
            status,
            can_add_idea=self.call.is_ideas and self.journey.idea_slots < self.call.max_ideas,
            # Posting back to the page without ?focus, so a later error does not move the focus again.
            form_action=self.step_url(self.step, change=self.change),
            **extra,
        )


class FilesView(StepView):
    step = FILES
    template_name = "submissions/files.html"

    def render_step(self, form, status=200, **extra):
        return super().render_step(
            form,
            status,
            files=self.journey.files,
            max_files=settings.RESPONSE_MAX_ATTACHMENTS,
            max_size=uploads.human_size(settings.RESPONSE_MAX_ATTACHMENT_BYTES),
            allowed=uploads.ALLOWED_LABELS,
            **extra,
        )

    def post(self, request, *args, **kwargs):
        guard = self.guard()
        if guard:
            return guard
        action = request.POST.get("action", "continue")
        here = self.step_url(self.step, change=self.change)
        if action.startswith("remove_"):
            removed = self.journey.remove_file(action.removeprefix("remove_"))
            if removed:
                uploads.delete_stored(removed.stored_name)
                ratelimit.release_pending_bytes(request, removed.size)
                messages.success(request, f"{removed.original_name} removed")
            return HttpResponseRedirect(here)
        form = AttachmentForm(data=request.POST, files=request.FILES)
        if not form.is_valid():
            return self.render_step(form)
        upload = form.cleaned_data.get("file")
        if upload:
            if len(self.journey.files) >= settings.RESPONSE_MAX_ATTACHMENTS:
                form.add_error(
                    "file",
                    f"You can upload up to {settings.RESPONSE_MAX_ATTACHMENTS} files. Remove one to add another",
                )
                return self.render_step(form)
            # Per client and per session, counted before the file is checked or stored: refused, nothing is kept.
            refusal = ratelimit.upload_refusal(request, upload.size, session_bytes=pending_bytes(request.session))
            if refusal:
                context = self.context(reason=refusal, back_url=here)
                return render(request, "429.html", context, status=429)
            try:
                pending = uploads.store_pending(upload, journey_token=self.journey.token)
            except ValidationError as error:
                ratelimit.release_pending_bytes(request, upload.size)
                form.add_error("file", error)
                return self.render_step(form)
            except Exception:
                # Storage failed: the file is not waiting, so it must not hold the address's room for a day.
                ratelimit.release_pending_bytes(request, upload.size)
                raise
            self.journey.add_file(pending)
            messages.success(request, f"{pending.original_name} uploaded")
        if action == "upload":
            return HttpResponseRedirect(here)
        self.journey.save_step(self.step, form)
        return HttpResponseRedirect(self.next_url())


class PublicationView(StepView):
    step = PUBLICATION
    template_name = "submissions/publication.html"
