from django import forms
from django.conf import settings
from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html

from core.files import ALLOWED_LABELS, check_file, human_size

from . import services
from .models import Attachment, Publication


class AttachmentForm(forms.ModelForm):
    """An attachment's details, and its file: checked by content like a respondent's, stored under its hash."""

    upload = forms.FileField(
        label="File",
        required=False,
        help_text=f"A {ALLOWED_LABELS} file, up to {human_size(settings.PUBLICATION_MAX_FILE_BYTES)}. "
        "Choosing a file for an attachment that has one replaces it (its address changes).",
    )

    class Meta:
        model = Attachment
        fields = ["title", "upload", "page_count", "accessible", "position"]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is not None:
            self.checked_ext = check_file(upload, max_bytes=settings.PUBLICATION_MAX_FILE_BYTES)
        return upload

    def clean(self):
        cleaned = super().clean()
        new = self.has_changed() and not cleaned.get("DELETE") and not self.instance.stored_name
        if new and cleaned.get("upload") is None and "upload" not in self.errors:
            self.add_error("upload", "Choose a file to upload")
        return cleaned

    def save(self, commit=True):
        upload = self.cleaned_data.get("upload")
        if upload is not None:
            stored = services.attachment_file_store(upload=upload, checked_ext=self.checked_ext)
            typed = "page_count" in self.changed_data and self.cleaned_data.get("page_count") is not None
            if typed:  # a count the editor typed wins over the one read from the file
                stored = services.StoredFile(**{**stored.__dict__, "page_count": None})
            services.attachment_use_file(attachment=self.instance, stored=stored)
        return super().save(commit)


class AttachmentInline(admin.StackedInline):
    model = Attachment
    form = AttachmentForm
    extra = 1
    readonly_fields = ["current_file"]
    fields = ["title", "current_file", "upload", "page_count", "accessible", "position"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("publication")  # each file's address names it

    @admin.display(description="Current file")
    def current_file(self, attachment):
        if not attachment.pk:
            return "None yet"
        details = f"{attachment.file_type}, {human_size(attachment.size)}"
        if attachment.page_count:
            details += f", {attachment.page_count} page{'s' if attachment.page_count != 1 else ''}"
        return format_html(
            '<a href="{}">{}</a> ({}; uploaded as {})',
            attachment.get_absolute_url(),
            attachment.filename,
            details,
            attachment.original_name,
        )


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "published_at", "site_link"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "summary", "body", "attachment_titles"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at"]
    inlines = [AttachmentInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "summary", "body"]}),
        ("Publishing", {"fields": ["status", "published_at", "created_at", "updated_at"]}),
    ]

    @admin.display(description="On the site")
    def site_link(self, publication):
        label = "View on site" if publication.is_published(timezone.now()) else "Preview"
        return format_html('<a href="{}">{}</a>', publication.get_absolute_url(), label)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Attachment:
            return super().save_formset(request, form, formset, change)
        # The files in use before the save: any of them replaced or removed is deleted once nothing uses it.
        names = {f.instance.stored_name for f in formset.forms if f.instance.pk}
        super().save_formset(request, form, formset, change)
        services.publication_files_changed(publication=form.instance, names=names)

    def delete_model(self, request, obj):
        services.publication_delete(publication=obj)

    def delete_queryset(self, request, queryset):
        for publication in queryset:
            services.publication_delete(publication=publication)
