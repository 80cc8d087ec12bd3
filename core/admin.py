from django.contrib import admin
from django.db import models

from .models import ClosureNotice


@admin.register(ClosureNotice)
class ClosureNoticeAdmin(admin.ModelAdmin):
    """Only one notice can be active; the model's clean() says so kindly, the database enforces it."""

    list_display = ["__str__", "closes_at", "is_active", "updated_at"]
    list_filter = ["is_active"]
    fields = ["message", "closes_at", "archive_url", "is_active"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
