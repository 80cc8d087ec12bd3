"""The staff screens for updates to subscribers: write, preview, send a test to yourself, send to everyone, watch it go.

Registered from pages/admin.py. Writes go through pages/updates.py; counts come from pages/selectors.py.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from core.markdown import render_markdown
from outbox.models import EmailJob

from . import selectors, updates
from .emails import UPDATE
from .models import SubscriberUpdate

SEND_PERMISSION = "pages.send_subscriberupdate"


@admin.register(SubscriberUpdate)
class SubscriberUpdateAdmin(admin.ModelAdmin):
    change_form_template = "admin/pages/subscriberupdate/change_form.html"
    list_display = ["subject", "status", "recipients", "send_requested_at", "created_at"]
    list_filter = ["status"]
    search_fields = ["subject", "body"]
    readonly_fields = ["status", "send_requested_at", "send_requested_by", "recipients", "post_link"]

    def get_fields(self, request, obj=None):
        if obj is None or obj.is_draft():
            return ["subject", "body"]
        return ["subject", "body", "status", "send_requested_at", "send_requested_by", "recipients", "post_link"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None or obj.is_draft():
            return []
        return ["subject", "body", *self.readonly_fields]  # what was sent stays as it was sent

    # What was sent stays as it was sent: a sent update can be looked at (with its counts), not changed or deleted.
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_draft())

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_draft())

    @admin.display(description="News post")
    def post_link(self, update):
        if update.post is None:
            return "None"
        return format_html('<a href="{}">{}</a>', update.post.get_absolute_url(), update.post.title)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        extra = [
            ("<int:pk>/preview/", self.preview_view, "pages_subscriberupdate_preview"),
            ("<int:pk>/test/", require_POST(self.test_view), "pages_subscriberupdate_test"),
            ("<int:pk>/send/", self.send_view, "pages_subscriberupdate_send"),
        ]
        ours = [path(route, self.admin_site.admin_view(view), name=name) for route, view, name in extra]
        return ours + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        update = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if update is not None:
            extra_context["can_send"] = request.user.has_perm(SEND_PERMISSION) and update.is_draft()
            extra_context["per_minute"] = settings.UPDATES_SEND_PER_MINUTE
            if not update.is_draft():
                extra_context["progress"] = selectors.update_progress(update)
                extra_context["failed_jobs_url"] = (
                    reverse("admin:outbox_emailjob_changelist") + f"?kind={UPDATE}&status={EmailJob.Status.FAILED}"
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def _update(self, request, pk, permission="change"):
        update = get_object_or_404(SubscriberUpdate, pk=pk)
        if not getattr(self, f"has_{permission}_permission")(request, update):
            raise PermissionDenied
        return update

    def _context(self, request, update, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "update": update,
            "title": update.subject,
            **extra,
        }

    def preview_view(self, request, pk):
        """The update as subscribers will get it (HTML and plain text), with the test and send buttons."""
        update = self._update(request, pk, "view")
        message = updates.update_message(update=update, to=request.user.email or "you@example.org", preview=True)
        context = self._context(
            request,
            update,
            html=updates.absolute_links(str(render_markdown(update.body))),
            text=message.body,
            recipients=selectors.confirmed_subscriber_count(),
            can_send=request.user.has_perm(SEND_PERMISSION) and update.is_draft(),
            can_test=self.has_change_permission(request, update),
        )
        return TemplateResponse(request, "admin/pages/subscriberupdate/preview.html", context)

    def test_view(self, request, pk):
        update = self._update(request, pk)
        try:
            test = updates.update_send_test(update=update, user=request.user)
        except ValueError:
            self.message_user(
                request, "Add an email address to your account first: the test goes there.", messages.ERROR
            )
        else:
            self.message_user(request, f"A test is on its way to {test.to}. It can take a minute to arrive.")
        return redirect("admin:pages_subscriberupdate_preview", pk=update.pk)

    def send_view(self, request, pk):
        """Are you sure? (GET), then send to every confirmed subscriber (POST), once."""
        update = self._update(request, pk, "view")
        if not request.user.has_perm(SEND_PERMISSION):
            raise PermissionDenied
        change_url = reverse("admin:pages_subscriberupdate_change", args=[update.pk])
        if not update.is_draft():
            self.message_user(request, "This update has already been sent.", messages.WARNING)
            return redirect(change_url)
        if request.method == "POST":
            publish = request.POST.get("publish_post") == "on"
            if updates.update_request_send(update=update, user=request.user, publish_post=publish):
                self.message_user(request, "Sending has started. This page shows how far it has got.")
            else:
                self.message_user(request, "This update has already been sent.", messages.WARNING)
            return redirect(change_url)
        context = self._context(request, update, recipients=selectors.confirmed_subscriber_count())
        return TemplateResponse(request, "admin/pages/subscriberupdate/send.html", context)
