from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.html import format_html

from .models import FAQ, ClosureNotice, Page, Post


@admin.register(ClosureNotice)
class ClosureNoticeAdmin(admin.ModelAdmin):
    """Only one notice can be active; the model's clean() says so kindly, the database enforces it."""

    list_display = ["__str__", "closes_at", "is_active", "updated_at"]
    list_filter = ["is_active"]
    fields = ["message", "closes_at", "archive_url", "is_active"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
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
class FAQAdmin(admin.ModelAdmin):
    list_display = ["question", "position", "slug", "updated_at"]
    list_display_links = ["question"]
    list_editable = ["position"]
    search_fields = ["question", "answer"]
    prepopulated_fields = {"slug": ["question"]}


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
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
