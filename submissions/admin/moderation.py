"""The moderation screen: an admin view of its own (mounted by SubmissionAdmin.get_urls), not the model's change form.

A moderator reads the response, sees every possible personal detail highlighted, decides each one, edits the public
versions and sets the status; everything goes through services.moderation in one checked transaction.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View

from ..models import ModerationEvent
from ..moderation_form import ModerationForm
from ..selectors import next_pending, personal_data_unresolved, receipt_job
from ..services import moderation
from ..services.safeguarding import safeguarding_recipients
from ..uploads import human_size

UNFLAG_PERMISSION = "submissions.change_safeguardingqueue"


def chosen_call(request, submission=None) -> int | None:
    """The call whose queue the moderator is walking: from the list's filter, else the response's own call."""
    value = request.GET.get("call") or request.POST.get("queue_call")
    if value and value.isdigit():
        return int(value)
    return submission.call_id if submission is not None else None


class ModerateView(View):
    """GET shows the response and the panel; POST saves it (or, for "update", rebuilds the public versions)."""

    model_admin = None
    safeguarding_only = False
    template_name = "admin/submissions/moderate.html"

    def dispatch(self, request, object_id):
        queryset = self.model_admin.get_queryset(request).select_related("call")
        self.submission = get_object_or_404(queryset, pk=object_id) if str(object_id).isdigit() else None
        if self.submission is None:
            raise Http404
        if not self.model_admin.has_view_or_change_permission(request, self.submission):
            raise PermissionDenied
        self.can_change = self.model_admin.has_change_permission(request, self.submission)
        return super().dispatch(request, object_id)

    def build_form(self, data=None):
        return ModerationForm(
            data,
            submission=self.submission,
            can_unflag=self.request.user.has_perm(UNFLAG_PERMISSION),
            safeguarding_only=self.safeguarding_only,
        )

    def get(self, request, object_id):
        return self.render(self.build_form())

    def post(self, request, object_id):
        if not self.can_change:
            raise PermissionDenied
        form = self.build_form(request.POST)
        if request.POST.get("action") == "update":
            messages.info(request, "The public versions were rebuilt from your Keep choices. Nothing is saved yet.")
            return self.render(self.build_form(form.rebuilt_from_choices()))
        if not form.is_valid():
            return self.render(form)
        changes = form.changes()
        if self.safeguarding_only and not changes["safeguarding_flag"] and not request.user.has_perm(UNFLAG_PERMISSION):
            raise PermissionDenied
        was_flagged = self.submission.safeguarding_flag
        try:
            moderation.submission_moderate(
                submission=self.submission,
                actor=request.user,
                expected_version=form.cleaned_data["seen_version"],
                **changes,
            )
        except (moderation.StaleModeration, moderation.ModerationError) as error:
            # Nothing was written: show the moderator's own edits again with the reason.
            form.add_error(None, str(error))
            return self.render(form)
        self.submission.refresh_from_db()
        messages.success(request, f"{self.submission.reference} saved: {self.submission.get_status_display().lower()}.")
        if self.submission.safeguarding_flag and not was_flagged and not safeguarding_recipients():
            messages.error(
                request,
                "Flagged, but nobody was told: no safeguarding lead with an email address is set up. "
                "Tell an administrator now, and contact your safeguarding lead another way.",
            )
        return HttpResponseRedirect(self.after_save_url(request))

    def after_save_url(self, request):
        if self.safeguarding_only and not self.submission.safeguarding_flag:
            messages.info(request, f"{self.submission.reference} is no longer flagged and has left the queue.")
            return reverse("admin:submissions_safeguardingqueue_changelist")
        if request.POST.get("action") == "save_next":
            return next_pending_url(request, call_id=chosen_call(request, self.submission), exclude=self.submission.pk)
        return request.get_full_path()

    def render(self, form):
        submission = self.submission
        context = {
            **self.model_admin.admin_site.each_context(self.request),
            "title": f"Moderate {submission.reference}",
            "opts": self.model_admin.opts,
            "submission": submission,
            "form": form,
            "can_change": self.can_change,
            "safeguarding_only": self.safeguarding_only,
            "answers": list(submission.answers.select_related("question").order_by("question__position")),
            "attachments": [(a, human_size(a.size)) for a in submission.attachments.all()],
            "history": ModerationEvent.objects.filter(submission=submission).select_related("actor"),
            "unresolved": [] if self.safeguarding_only else personal_data_unresolved(submission=submission),
            "queue_call": chosen_call(self.request, submission),
            "receipt_status": receipt_status(submission),
        }
        return TemplateResponse(self.request, self.template_name, context)


def receipt_status(submission) -> str:
    if not submission.email:
        return "No email given"
    if submission.receipt_sent_at:
        return f"Sent {submission.receipt_sent_at:%d %B %Y %H:%M}"
    job = receipt_job(submission=submission)
    if job is not None and job.attempts:
        return f"Not sent after {job.attempts} attempts: {job.last_error}"
    return "Not sent yet"


def next_pending_url(request, *, call_id=None, exclude=None):
    """The moderation screen of the oldest pending response in the call, or the list when none is left."""
    nxt = next_pending(call_id=call_id, exclude=exclude)
    if nxt is None:
        messages.info(request, "No responses are waiting for moderation in this call.")
        url = reverse("admin:submissions_submission_changelist")
        return f"{url}?status__exact=pending" + (f"&call__id__exact={call_id}" if call_id else "")
    url = reverse("admin:submissions_submission_moderate", args=[nxt.pk])
    return f"{url}?call={call_id}" if call_id else url


class NextPendingView(View):
    """ "Next pending" from the list: straight to the oldest response still waiting in the chosen call."""

    model_admin = None

    def get(self, request):
        if not self.model_admin.has_change_permission(request):
            raise PermissionDenied
        call_id = chosen_call(request)
        return HttpResponseRedirect(next_pending_url(request, call_id=call_id))
