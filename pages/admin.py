from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from . import (
    admin_updates,  # noqa: F401 - registers the screens for updates to subscribers
    exports,
)
from .models import FAQ, Page, Post, Subscriber


@admin.register(Page)
class PageAdmin(SimpleHistoryAdmin):  # History: who changed what, and when, with revert
    list_display = ["title", "slug", "nav_location", "nav_order", "updated_at"]
    list_editable = ["nav_location", "nav_order"]
    list_filter = ["nav_location"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        ("Navigation", {"fields": ["nav_location", "nav_label", "nav_order"]}),
    ]


@admin.register(FAQ)
class FAQAdmin(SimpleHistoryAdmin):
    list_display = ["question", "position", "slug", "updated_at"]
    list_display_links = ["question"]
    list_editable = ["position"]
    search_fields = ["question", "answer"]
    prepopulated_fields = {"slug": ["question"]}


@admin.register(Post)
class PostAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "status", "published_at", "author_name", "site_link"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "summary", "body", "author_name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "summary", "body"]}),
        ("Author", {"fields": ["author_name", "author_role"]}),
        ("Publishing", {"fields": ["status", "published_at", "created_at", "updated_at"]}),
    ]

    @admin.display(description="On the site")
    def site_link(self, post):
        label = "View on site" if post.is_published(timezone.now()) else "Preview"
        return format_html('<a href="{}">{}</a>', post.get_absolute_url(), label)


class SubscriberStatusFilter(admin.SimpleListFilter):
    """Only confirmed addresses are subscribers; the others are shown as what they are."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("confirmed", "Confirmed: gets updates"),
            ("unconfirmed", "Not confirmed: gets nothing"),
            ("unsubscribed", "Unsubscribed"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "confirmed":
            return queryset.confirmed()
        if self.value() == "unconfirmed":
            return queryset.filter(confirmed_at__isnull=True, unsubscribed_at__isnull=True)
        if self.value() == "unsubscribed":
            return queryset.filter(unsubscribed_at__isnull=False)
        return queryset


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """Sign-ups happen only through the emailed link (double opt-in), so staff cannot add or edit them."""

    change_list_template = "admin/pages/subscriber/change_list.html"
    list_display = ["email", "status", "created_at", "confirmed_at", "unsubscribed_at"]
    list_filter = [SubscriberStatusFilter, "created_at", "confirmed_at"]
    search_fields = ["email"]
    readonly_fields = ["email", "created_at", "confirmed_at", "unsubscribed_at"]
    date_hierarchy = "created_at"
    actions = ["export_confirmed"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="Status")
    def status(self, subscriber):
        if subscriber.unsubscribed_at:
            return "Unsubscribed"
        return "Confirmed" if subscriber.confirmed_at else "Not confirmed"

    @admin.action(description="Export confirmed subscribers as CSV", permissions=["view"])
    def export_confirmed(self, request, queryset):
        return exports.confirmed_subscribers_csv(queryset, filename="selected-confirmed-subscribers.csv")

    def get_urls(self):
        export = path("export/", self.admin_site.admin_view(self.export_view), name="pages_subscriber_export")
        return [export, *super().get_urls()]

    def export_view(self, request):
        """Every confirmed subscriber, whatever the filters on the list."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        return exports.confirmed_subscribers_csv(Subscriber.objects.all())
