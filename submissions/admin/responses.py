"""The responses list: filters, search, bulk actions and exports. Each response opens on its moderation screen
(admin/moderation.py); every decision goes through submissions.services."""

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from ..dashboard import dashboard_view
from ..exports import EXPORT_ACTIONS, SubmissionExportMixin
from ..models import Attachment, Submission
from ..services import moderation
from .moderation import ModerateView, NextPendingView

# A whole reference as printed on a receipt, e.g. IDEAS-7K3Q-9XPD (any case, surrounding spaces ignored).
REFERENCE_RE = re.compile(r"[A-Za-z]+(-[A-Za-z0-9]+)+")


def attachment_count_subquery():
    """Attachments per response as a correlated subquery: computed for the rows on the page only, no GROUP BY."""
    counts = (
        Attachment.objects.filter(submission=OuterRef("pk"))
        .order_by()
        .values("submission")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


class HasAttachmentsFilter(admin.SimpleListFilter):
    title = "attachments"
    parameter_name = "has_attachments"

    def lookups(self, request, model_admin):
        return [("yes", "With attachments"), ("no", "Without attachments")]

    def queryset(self, request, queryset):
        has_any = Exists(Attachment.objects.filter(submission=OuterRef("pk")))
        if self.value() == "yes":
            return queryset.filter(has_any)
        if self.value() == "no":
            return queryset.exclude(has_any)
        return queryset


@admin.register(Submission)
class SubmissionAdmin(SubmissionExportMixin, admin.ModelAdmin):
    """The list of responses, bulk actions and exports; each response is read and decided on its moderation screen."""

    list_display = [
        "reference",
        "call",
        "respondent_type",
        "status_label",
        "submitted_at",
        "safeguarding",
        "attachment_count",
        "receipt_sent",
    ]
    list_filter = [
        "call",
        "status",
        "respondent_type",
        ("submitted_at", admin.DateFieldListFilter),
        HasAttachmentsFilter,
        "safeguarding_flag",
    ]
    # A reference or an email address must match whole; names and text match any part.
    search_fields = [
        "=reference",
        "=email",
        "name",
        "organisation_name",
        "answers__text",
        "ideas__title",
        "ideas__body",
    ]
    search_help_text = "Search by reference, email address, name or words in the answers."
    list_select_related = ["call"]
    list_per_page = 50
    # The full count would be a second COUNT over every response on each page load.
    show_full_result_count = False
    date_hierarchy = None
    ordering = ["-submitted_at", "-id"]
    actions = ["approve_selected", "reject_selected", "mark_spam_selected", *EXPORT_ACTIONS]

    class Media:
        css = {"all": ["submissions/admin-moderation.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(attachment_count=attachment_count_subquery())

    def get_search_results(self, request, queryset, search_term):
        """A whole reference or address is looked up by its index, not by scanning every answer for the words."""
        term = search_term.strip()
        if REFERENCE_RE.fullmatch(term):
            exact = queryset.filter(reference=term.upper())
            if exact.exists():
                return exact, False
        if "@" in term and " " not in term:
            # Addresses are usually stored as typed or lower-cased; both hit the email index.
            exact = queryset.filter(email__in={term, term.lower()})
            if exact.exists():
                return exact, False
        return super().get_search_results(request, queryset, search_term)

    # Permissions ---------------------------------------------------------------------------------------

    def has_add_permission(self, request):
        """Responses come only from the public journey."""
        return False

    # List columns --------------------------------------------------------------------------------------

    @admin.display(description="Status", ordering="status")
    def status_label(self, submission):
        return format_html(
            '<strong class="moderation-status moderation-status--{}">{}</strong>',
            submission.status,
            submission.get_status_display(),
        )

    @admin.display(description="Safeguarding", ordering="-safeguarding_flag")
    def safeguarding(self, submission):
        if submission.safeguarding_flag:
            return format_html('<strong class="moderation-flag">{}</strong>', "Flagged")
        return ""

    @admin.display(description="Attachments", ordering="attachment_count")
    def attachment_count(self, submission):
        return submission.attachment_count

    @admin.display(description="Receipt sent", ordering="receipt_sent_at")
    def receipt_sent(self, submission):
        if not submission.email:
            return "No email given"
        if submission.receipt_sent_at:
            return "Sent"
        return format_html('<strong class="moderation-flag">{}</strong>', "Not sent")

    # The moderation screen, the queue and the dashboard --------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        urls = [
            path(
                "<path:object_id>/moderate/",
                view(ModerateView.as_view(model_admin=self)),
                name="{}_{}_moderate".format(*info),
            ),
            path(
                "next-pending/",
                view(NextPendingView.as_view(model_admin=self)),
                name="{}_{}_next_pending".format(*info),
            ),
            path("dashboard/", view(dashboard_view), name="{}_{}_dashboard".format(*info)),
        ]
        return urls + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The model's change form is never used: a response is read and decided on its moderation screen."""
        url = reverse(f"{self.admin_site.name}:submissions_submission_moderate", args=[object_id])
        query = request.META.get("QUERY_STRING")
        return HttpResponseRedirect(f"{url}?{query}" if query else url)

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        call = request.GET.get("call__id__exact", "")
        next_url = reverse(f"{self.admin_site.name}:submissions_submission_next_pending")
        extra_context["next_pending_url"] = f"{next_url}?call={call}" if call.isdigit() else next_url
        return super().changelist_view(request, extra_context=extra_context)

    # Bulk actions --------------------------------------------------------------------------------------

    def _bulk(self, request, queryset, service, done, **kwargs):
        count = 0
        for submission in queryset.select_related(None).only("pk"):
            try:
                service(submission=submission, actor=request.user, **kwargs)
            except moderation.ModerationError as error:
                # One response that may not be approved yet (personal data to check) does not stop the rest.
                self.message_user(request, str(error), messages.WARNING)
                continue
            count += 1
        self.message_user(request, f"{count} response{'s' if count != 1 else ''} {done}.", messages.SUCCESS)

    @admin.action(description="Approve selected responses", permissions=["change"])
    def approve_selected(self, request, queryset):
        self._bulk(request, queryset, moderation.submission_approve, "approved")

    @admin.action(description="Mark selected responses as spam", permissions=["change"])
    def mark_spam_selected(self, request, queryset):
        self._bulk(request, queryset, moderation.submission_mark_spam, "marked as spam")

    @admin.action(description="Reject selected responses…", permissions=["change"])
    def reject_selected(self, request, queryset):
        """First ask for the reason on a page of its own; the same action runs again with it."""
        form = RejectReasonForm(request.POST if "confirm" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._bulk(request, queryset, moderation.submission_reject, "rejected", reason=form.cleaned_data["reason"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Why are these responses being rejected?",
            "opts": self.opts,
            "form": form,
            "queryset": queryset.select_related(None).only("pk", "reference"),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "action": "reject_selected",
        }
        return TemplateResponse(request, "admin/submissions/reject_selected.html", context)


class RejectReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason for rejecting",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the reason for rejecting these responses"},
        help_text="Kept with each response and in its moderation history. Staff only.",
    )
