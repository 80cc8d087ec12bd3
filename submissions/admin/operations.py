"""Staff console pages for operations: read-only audit logs of data-rights work and of exports."""

from django.contrib import admin

from ..models import DataRightsEvent, ExportRecord


@admin.register(DataRightsEvent)
class DataRightsEventAdmin(admin.ModelAdmin):
    """Written only by the retention and data-rights commands; staff may read it, never change it."""

    list_display = ["created_at", "action", "actor", "records_affected", "dry_run", "short_hash"]
    list_filter = ["action", "dry_run"]
    search_fields = ["=email_hash", "actor"]
    search_help_text = "Search by actor, or by the SHA-256 of a lower-cased email address."
    readonly_fields = ["action", "actor", "created_at", "email_hash", "records_affected", "dry_run", "detail"]
    fields = readonly_fields
    date_hierarchy = "created_at"

    @admin.display(description="Email hash")
    def short_hash(self, event):
        return f"{event.email_hash[:12]}…" if event.email_hash else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExportRecord)
class ExportRecordAdmin(admin.ModelAdmin):
    """Every export of responses: who, when, which filters, how many rows, and whether it held personal data."""

    list_display = ["created_at", "actor", "personal", "file_format", "rows", "details_replaced", "filters"]
    list_filter = ["personal", "file_format"]
    readonly_fields = ["created_at", "actor", "personal", "file_format", "filters", "rows", "details_replaced"]
    fields = readonly_fields
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
