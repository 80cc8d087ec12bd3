from django.contrib import admin, messages

from . import registry, services
from .models import EmailJob


@admin.register(EmailJob)
class EmailJobAdmin(admin.ModelAdmin):
    """Read-only: what the workers have sent, are sending, will retry and have given up on."""

    list_display = ["kind_label", "about", "status", "attempts", "run_after", "locked_by", "last_error"]
    list_filter = ["status", "kind"]
    search_fields = ["about"]
    search_help_text = "Search by what the email is about, e.g. a response's reference."
    readonly_fields = [f.name for f in EmailJob._meta.fields]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Kind", ordering="kind")
    def kind_label(self, job):
        return registry.label(job.kind)

    @admin.action(description="Try the selected emails again now", permissions=["change"])
    def retry_now(self, request, queryset):
        count = sum(services.email_job_retry_now(job=job) for job in queryset)
        self.message_user(request, f"{count} email(s) will be tried again within a few seconds.", messages.SUCCESS)
