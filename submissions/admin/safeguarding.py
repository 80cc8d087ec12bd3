"""The safeguarding leads' queue: flagged responses only; they change the flag and the note, nothing else."""

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import path, reverse

from ..models import SafeguardingQueue
from .moderation import ModerateView
from .responses import SubmissionAdmin


@admin.register(SafeguardingQueue)
class SafeguardingQueueAdmin(SubmissionAdmin):
    actions = []
    list_filter = ["call", "status", "respondent_type", ("submitted_at", admin.DateFieldListFilter)]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(safeguarding_flag=True)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = ModerateView.as_view(model_admin=self, safeguarding_only=True)
        urls = [
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(view),
                name="submissions_safeguardingqueue_review",
            )
        ]
        # Not SubmissionAdmin's extra screens (moderation, queue, dashboard): only the list and the review.
        return urls + admin.ModelAdmin.get_urls(self)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:submissions_safeguardingqueue_review", args=[object_id]))

    def changelist_view(self, request, extra_context=None):
        return admin.ModelAdmin.changelist_view(self, request, extra_context)
