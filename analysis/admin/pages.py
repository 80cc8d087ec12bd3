"""What we heard pages in the staff console: the words, whether the page is ready, and its quotes (chosen from the
coding screen, where only publishable items can be quoted; here they are ordered or taken off)."""

from django.contrib import admin
from django.utils.html import format_html

from ..models import Quote, WhatWeHeard


class QuoteInline(admin.TabularInline):
    model = Quote
    fields = ["position", "quoted", "theme", "chosen_by", "created_at"]
    readonly_fields = ["quoted", "chosen_by", "created_at"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False  # chosen on the coding screen, which checks that each is publishable

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("idea", "answer")  # what quoted() shows, in one query

    @admin.display(description="Quote (as the public will read it, while its response may be published)")
    def quoted(self, quote):
        if quote.idea_id:
            return format_html("<strong>{}</strong>: {}", quote.idea.public_title, quote.idea.public_body[:300])
        return quote.answer.public_text[:300] if quote.answer_id else ""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "theme" and getattr(request, "_what_we_heard_call", None):
            kwargs["queryset"] = db_field.related_model.objects.filter(call=request._what_we_heard_call)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(WhatWeHeard)
class WhatWeHeardAdmin(admin.ModelAdmin):
    list_display = ["title", "call", "published", "updated_at"]
    fields = ["call", "title", "summary", "body", "top_themes", "published"]
    inlines = [QuoteInline]
    view_on_site = True

    def get_object(self, request, object_id, from_field=None):
        page = super().get_object(request, object_id, from_field)
        if page is not None:
            request._what_we_heard_call = page.call
        return page

    def get_readonly_fields(self, request, obj=None):
        return ["call"] if obj else []
