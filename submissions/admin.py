"""The moderation console: every response is read here, and every decision goes through submissions.services."""

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import construct_change_message
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from .admin_operations import DataRightsEventAdmin  # noqa: F401  (registers the data-rights audit log)
from .exports import EXPORT_ACTIONS, SubmissionExportMixin
from .models import Answer, Attachment, Idea, ModerationEvent, SafeguardingQueue, Submission
from .selectors import receipt_job
from .services import moderation
from .uploads import human_size

RESPONDENT_FIELDS = [
    "reference",
    "call",
    "respondent_type",
    "organisation_name",
    "name",
    "email",
    "publication",
    "submitted_at",
    "consented_at",
    "receipt_status",
    "personal_data_removed_at",
]
UNFLAG_PERMISSION = "submissions.change_safeguardingqueue"
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


class ModerationForm(forms.ModelForm):
    """The moderation panel. Its fields are not the model's: saving goes through the services, never obj.save()."""

    decision = forms.ChoiceField(label="Status", choices=[])
    reason = forms.CharField(
        label="Reason for rejecting",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when the status is Rejected. Staff only: the respondent does not see it.",
    )
    note = forms.CharField(
        label="Moderation note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For other staff. Kept in the moderation history.",
    )
    flag = forms.BooleanField(
        label="Safeguarding concern",
        required=False,
        help_text="A flagged response is never published, and the safeguarding leads are emailed a link to it.",
    )
    seen_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Submission
        fields = []

    def __init__(self, *args, **kwargs):
        self.can_unflag = kwargs.pop("can_unflag", False)
        super().__init__(*args, **kwargs)
        instance = self.instance
        statuses = [(value, label) for value, label in Submission.Status.choices if value != Submission.Status.PENDING]
        if instance.status == Submission.Status.PENDING:
            statuses.insert(0, (Submission.Status.PENDING, "Pending (not moderated yet)"))
        self.fields["decision"].choices = statuses
        self.fields["decision"].initial = instance.status
        self.fields["reason"].initial = instance.rejection_reason
        self.fields["note"].initial = instance.moderation_note
        self.fields["flag"].initial = instance.safeguarding_flag
        self.fields["seen_version"].initial = instance.version
        if instance.safeguarding_flag and not self.can_unflag:
            self.fields["flag"].disabled = True
            self.fields["flag"].help_text = "Only a safeguarding lead can remove the flag."

    def clean(self):
        cleaned = super().clean()
        current = Submission.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
        if cleaned.get("seen_version") is not None and cleaned["seen_version"] != current:
            raise forms.ValidationError(moderation.STALE_MESSAGE, code="stale")
        if "decision" not in self.fields:
            return cleaned
        if cleaned.get("decision") == Submission.Status.REJECTED and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Enter the reason for rejecting this response")
        if cleaned.get("decision") == Submission.Status.PENDING and self.instance.status != Submission.Status.PENDING:
            self.add_error("decision", "A moderated response cannot be put back to pending")
        return cleaned


class SafeguardingForm(ModerationForm):
    """The safeguarding leads' panel: the flag and the note, nothing about publication."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["decision"]
        del self.fields["reason"]


class ReadOnlyInline:
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AnswerInline(ReadOnlyInline, admin.StackedInline):
    model = Answer
    # The inline's heading already names the question.
    fields = ["what_they_wrote", "redacted_text"]
    readonly_fields = ["what_they_wrote"]
    verbose_name = "answer"
    verbose_name_plural = "What the respondent wrote"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if "redacted_text" in formset.form.base_fields:
            field = formset.form.base_fields["redacted_text"]
            field.label = "Public version (redacted)"
            field.help_text = "Leave empty to publish the answer as written. The original is kept unchanged."
            field.widget.attrs["rows"] = 4
        return formset

    @admin.display(description="Answer as sent")
    def what_they_wrote(self, answer):
        parts = []
        if answer.selected:
            parts.append(format_html("<p><strong>Chosen:</strong> {}</p>", ", ".join(map(str, answer.selected))))
        if answer.text:
            parts.append(format_html('<div class="moderation-original">{}</div>', answer.text))
        if not parts:
            return "(No answer)"
        return format_html_join("", "{}", ((part,) for part in parts))


class IdeaInline(ReadOnlyInline, admin.StackedInline):
    model = Idea
    fields = ["position", "title", "idea_as_sent", "redacted_body", "withheld"]
    readonly_fields = ["position", "title", "idea_as_sent"]
    verbose_name = "idea"
    verbose_name_plural = "Ideas"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        fields = formset.form.base_fields
        if "redacted_body" in fields:
            fields["redacted_body"].label = "Public version (redacted)"
            fields["redacted_body"].help_text = "Leave empty to publish the idea as written."
            fields["redacted_body"].widget.attrs["rows"] = 4
        if "withheld" in fields:
            fields["withheld"].label = "Withhold this idea from the public page"
        return formset

    @admin.display(description="Idea as sent")
    def idea_as_sent(self, idea):
        return format_html('<div class="moderation-original">{}</div>', idea.body)


class AttachmentInline(ReadOnlyInline, admin.TabularInline):
    model = Attachment
    fields = ["download", "size_display", "content_type", "created_at"]
    readonly_fields = fields
    verbose_name_plural = "Attachments"

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="File")
    def download(self, attachment):
        url = reverse("submissions:attachment_download", args=[attachment.pk])
        return format_html('<a href="{}" download>{}</a>', url, attachment.original_name)

    @admin.display(description="Size")
    def size_display(self, attachment):
        return human_size(attachment.size)


class SubmissionAdmin(SubmissionExportMixin, admin.ModelAdmin):
    form = ModerationForm
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
    inlines = [AnswerInline, IdeaInline, AttachmentInline]
    actions = ["approve_selected", "reject_selected", "mark_spam_selected", *EXPORT_ACTIONS]
    moderation_fields = ["decision", "reason", "note", "flag", "seen_version"]

    class Media:
        css = {"all": ["submissions/admin-moderation.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(attachment_count=attachment_count_subquery())

    def get_inlines(self, request, obj):
        if obj is not None and not obj.call.is_ideas:
            return [AnswerInline, AttachmentInline]
        return [AnswerInline, IdeaInline, AttachmentInline]

    def get_fieldsets(self, request, obj=None):
        return [
            ("The response (read only: what the respondent sent is never changed)", {"fields": RESPONDENT_FIELDS}),
            ("Moderation", {"fields": self.moderation_fields}),
            ("Moderation history", {"fields": ["moderation_history"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        return [*RESPONDENT_FIELDS, "moderation_history"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        can_unflag = request.user.has_perm(UNFLAG_PERMISSION)

        class BoundModerationForm(form):
            def __init__(self, *args, **inner):
                inner.setdefault("can_unflag", can_unflag)
                super().__init__(*args, **inner)

        return BoundModerationForm

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

    @admin.display(description="Receipt sent", boolean=True, ordering="receipt_sent_at")
    def receipt_sent(self, submission):
        return submission.receipt_sent_at is not None

    # Change page ---------------------------------------------------------------------------------------

    @admin.display(description="Receipt")
    def receipt_status(self, submission):
        if submission.receipt_sent_at:
            return f"Sent {submission.receipt_sent_at:%d %B %Y %H:%M}"
        job = receipt_job(submission=submission)
        if job is not None and job.attempts:
            return f"Not sent after {job.attempts} attempts: {job.last_error}"
        return "Not sent (no email address, or not tried yet)"

    @admin.display(description="History")
    def moderation_history(self, submission):
        if not submission.pk:
            return "-"
        events = ModerationEvent.objects.filter(submission=submission).select_related("actor")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    f"{event.created_at:%d %b %Y %H:%M}",
                    event.actor.get_username() if event.actor else "(system or removed user)",
                    event.get_action_display(),
                    f"{event.get_from_status_display()} → {event.get_to_status_display()}"
                    + (" · flagged" if event.to_flag else ""),
                    event.note,
                )
                for event in events
            ),
        )
        if not rows:
            return "Not moderated yet."
        return format_html(
            '<table class="moderation-history"><thead><tr><th>When</th><th>Who</th><th>What</th>'
            "<th>Status</th><th>Note</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except moderation.StaleModeration as error:
            # Someone saved between the form's check and our lock: nothing of ours was written.
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.path)
        except moderation.ModerationError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.path)

    def construct_change_message(self, request, form, formsets, add=False):
        # The inlines were never saved as formsets (save_related sent them to the services), so leave them out.
        return construct_change_message(form, [], add)

    def save_model(self, request, obj, form, change):
        """Nothing here: save_related sends the whole panel and the inlines to the services in one go."""

    def save_related(self, request, form, formsets, change):
        answers, ideas, withheld = {}, {}, {}
        for formset in formsets:
            for inline_form in formset.forms:
                if not inline_form.has_changed() or inline_form.instance.pk is None:
                    continue
                data = inline_form.cleaned_data
                if formset.model is Answer and "redacted_text" in inline_form.changed_data:
                    answers[inline_form.instance.pk] = data.get("redacted_text", "")
                elif formset.model is Idea:
                    if "redacted_body" in inline_form.changed_data:
                        ideas[inline_form.instance.pk] = data.get("redacted_body", "")
                    if "withheld" in inline_form.changed_data:
                        withheld[inline_form.instance.pk] = bool(data.get("withheld"))
        data = form.cleaned_data
        moderation.submission_moderate(
            submission=form.instance,
            actor=request.user,
            expected_version=data["seen_version"],
            status=data.get("decision") or form.instance.status,
            reason=data.get("reason", ""),
            note=(data.get("note") or "").strip(),
            safeguarding_flag=data.get("flag"),
            answers=answers,
            ideas=ideas,
            withheld=withheld,
        )

    # Bulk actions --------------------------------------------------------------------------------------

    def _bulk(self, request, queryset, service, done, **kwargs):
        count = 0
        for submission in queryset.select_related(None).only("pk"):
            service(submission=submission, actor=request.user, **kwargs)
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


class SafeguardingQueueAdmin(SubmissionAdmin):
    """The safeguarding leads' list: flagged responses only; they change the flag and the note, nothing else."""

    form = SafeguardingForm
    actions = []
    list_filter = ["call", "status", "respondent_type", ("submitted_at", admin.DateFieldListFilter)]
    moderation_fields = ["flag", "note", "seen_version"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(safeguarding_flag=True)

    def get_inlines(self, request, obj):
        if obj is not None and not obj.call.is_ideas:
            return [ReadOnlyAnswerInline, AttachmentInline]
        return [ReadOnlyAnswerInline, ReadOnlyIdeaInline, AttachmentInline]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_related(self, request, form, formsets, change):
        data = form.cleaned_data
        if not data.get("flag") and not request.user.has_perm(UNFLAG_PERMISSION):
            raise PermissionDenied
        moderation.submission_moderate(
            submission=form.instance,
            actor=request.user,
            expected_version=data["seen_version"],
            status=form.instance.status,
            note=(data.get("note") or "").strip(),
            safeguarding_flag=data.get("flag"),
        )

    def response_change(self, request, obj):
        if not Submission.objects.filter(pk=obj.pk, safeguarding_flag=True).exists():
            # Unflagged: it has left the queue, so "save and continue" would find nothing.
            self.message_user(request, f"{obj.reference} is no longer flagged and has left the queue.")
            return HttpResponseRedirect(reverse("admin:submissions_safeguardingqueue_changelist"))
        return super().response_change(request, obj)


class ReadOnlyAnswerInline(AnswerInline):
    fields = ["what_they_wrote", "redacted_text"]
    readonly_fields = fields

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyIdeaInline(IdeaInline):
    fields = ["position", "title", "idea_as_sent", "redacted_body", "withheld"]
    readonly_fields = fields

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(Submission, SubmissionAdmin)
admin.site.register(SafeguardingQueue, SafeguardingQueueAdmin)
