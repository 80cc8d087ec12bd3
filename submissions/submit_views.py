"""The journey's end: check your answers, Submit (the one write, through services.responses) and the confirmation."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.views.generic import View

from consultations.models import Call
from core.ratelimit import hit

from . import ratelimit, uploads
from .forms import HONEYPOT_FIELD, SubmitForm
from .journey import (
    ABOUT,
    ANSWERS,
    FILES,
    PUBLICATION,
    remember_sent,
    sent_here,
    submitted_reference,
)
from .models import Submission
from .services import responses
from .views import CallJourneyView, call_not_open_response


class CheckAnswersView(CallJourneyView):
    template_name = "submissions/check_answers.html"

    def get(self, request, *args, **kwargs):
        missing = self.first_incomplete_step()
        if missing:
            return redirect(self.step_url(missing))
        context = self.context(
            sections=self.summary(),
            back_url=self.step_url(self.steps[-1]),
            form=SubmitForm(initial={"journey_token": self.journey.token}),
        )
        return TemplateResponse(request, self.template_name, context)

    def summary(self):
        """[(heading, [(label, value, change_url, change_label)])] for the GOV.UK summary lists."""
        about = self.completed_form(ABOUT).cleaned_data
        about_url = self.step_url(ABOUT, change=True)
        rows = [
            (
                "Which describes you",
                Submission.RespondentType(about["respondent_type"]).label,
                about_url,
                "who you are",
            ),
        ]
        if about["organisation_name"]:
            rows.append(("Organisation", about["organisation_name"], about_url, "organisation"))
        rows.append(("Name", about["name"] or "Not given", about_url, "name"))
        rows.append(("Email address", about["email"] or "Not given: no receipt will be sent", about_url, "email"))
        sections = [("About you", rows)]
        if ANSWERS in self.steps:
            form = self.completed_form(ANSWERS)
            url = self.step_url(ANSWERS, change=True)
            answers = form.answers()
            rows = []
            for number, question in enumerate(self.questions, start=1):
                value = answers.get(question.pk) or "Not answered"
                rows.append((question.prompt, value, url, f"your answer to question {number}"))
            for position, idea in enumerate(form.cleaned_data.get("ideas", []), start=1):
                rows.append((f"Idea {position}: {idea['title']}", idea["body"], url, f"idea {position}"))
            sections.append(("Your answers", rows))
        if FILES in self.steps:
            url = self.step_url(FILES, change=True)
            names = [f"{f.original_name} ({f.size_display})" for f in self.journey.files] or "No files"
            sections.append(("Files", [("Files", names, url, "files")]))
        publication = self.completed_form(PUBLICATION).cleaned_data["publication"]
        label = {
            Submission.Publication.WITH_NAME: "Yes, with my name",
            Submission.Publication.ANONYMOUS: "Yes, without my name",
            Submission.Publication.DO_NOT_PUBLISH: "No, do not publish it",
        }[publication]
        if not self.call.responses_may_be_published:
            label = "Responses to this call are not published"
        url = self.step_url(PUBLICATION, change=True)
        sections.append(("Publishing", [("Can we publish your response", label, url, "whether we can publish")]))
        return sections


class SubmitView(CallJourneyView):
    """The Submit button. Stores the journey once, however many times it is pressed."""

    def get(self, request, *args, **kwargs):
        return redirect(self.url("respond_check"))

    def already_sent(self, request):
        """Submit pressed again for a journey already stored (double click, Back, a second tab): its confirmation."""
        if request.method != "POST":
            return None
        self.submit_form = SubmitForm(data=request.POST)
        if not self.submit_form.is_valid():
            return None
        token = self.submit_form.cleaned_data["journey_token"]
        # Only the session that sent it: a token is no proof of who sent it (it is in the page, and can be copied).
        reference = sent_here(request.session, self.call, token)
        if reference is None:
            return None
        remember_sent(request.session, self.call, token, reference)
        return redirect(self.url("respond_confirmation"))

    def post(self, request, *args, **kwargs):
        form = self.submit_form
        token = form.cleaned_data["journey_token"] if form.is_valid() else None
        if token != self.journey.token:
            # A page from an older journey, or a forged post: show the current journey's answers again.
            return redirect(self.url("respond_check"))
        missing = self.first_incomplete_step()
        if missing:
            return redirect(self.step_url(missing))
        if self.journey.honeypot or form.cleaned_data.get(HONEYPOT_FIELD):
            for pending in self.journey.files:
                uploads.delete_stored(pending.stored_name)
                ratelimit.release_pending_bytes(request, pending.size)
            self.journey.discard()
            return TemplateResponse(request, "submissions/not_sent.html", self.context(), status=400)
        if not hit(request):
            return render(request, "429.html", self.context(), status=429)
        try:
            submission, _created = responses.submission_create(call=self.call, journey=self.journey_data())
        except responses.SiteClosed:
            return self.site_closed_response(request)
        except responses.CallNotOpen:
            return call_not_open_response(request, self.call, submitting=True)
        except responses.AttachmentMissing as error:
            for pending in error.files:
                self.journey.remove_file(pending.id)
                ratelimit.release_pending_bytes(request, pending.size)
            messages.error(request, f"Upload these files again: {error}")
            return redirect(self.step_url(FILES))
        ratelimit.release_pending_bytes(request, sum(pending.size for pending in self.journey.files))
        self.journey.finish(submission.reference)
        return redirect(self.url("respond_confirmation"))


class ConfirmationView(View):
    """Shown after Submit, also once the call has closed: the reference is all it reveals, and only to this session."""

    def get(self, request, slug):
        call = get_object_or_404(Call, slug=slug)
        reference = submitted_reference(request.session, call)
        if not reference:
            return redirect("submissions:respond_start", slug=call.slug)
        submission = Submission.objects.filter(reference=reference, call=call).only("email", "reference").first()
        context = {"call": call, "reference": reference, "email": submission.email if submission else ""}
        return TemplateResponse(request, "submissions/confirmation.html", context)
