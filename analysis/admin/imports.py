"""Import offline responses (email, post, events) from a CSV laid out as the export: the upload form of
submissions.services.imports, for staff who may add responses. The file is capped in size (forms.IMPORT_MAX_BYTES)
and read as it streams from Django's temporary upload; nothing is stored unless every row is valid."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.views import View

from submissions.services.imports import ImportRefused, responses_import

from ..forms import IMPORT_MAX_BYTES, ImportForm

PERMISSION = "submissions.add_submission"


class ImportView(View):
    model_admin = None
    template_name = "admin/analysis/import.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render(self, form, problems=(), status=200):
        context = {
            **self.model_admin.admin_site.each_context(self.request),
            "opts": self.model_admin.model._meta,
            "title": "Import responses",
            "form": form,
            "problems": problems,
            "max_mb": IMPORT_MAX_BYTES // (1024 * 1024),
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request):
        return self.render(ImportForm())

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form, status=400)
        call, upload = form.cleaned_data["call"], form.cleaned_data["file"]
        try:
            upload.seek(0)
            # The file object itself (BytesIO or a temporary file): iterated by lines as they are, CR and all.
            result = responses_import(
                call=call,
                binary=upload.file,
                channel=form.cleaned_data["channel"],
                dry_run=form.cleaned_data["dry_run"],
            )
        except ImportRefused as exc:
            return self.render(form, problems=exc.messages, status=400)
        counts = f"{result.rows:,} responses ({result.answers:,} answers, {result.ideas:,} ideas)"
        if result.dry_run:
            messages.info(request, f"The file is valid: it would import {counts} to {call.title}. Nothing was stored.")
        else:
            messages.success(request, f"Imported {counts} to {call.title}. They wait for moderation.")
        return HttpResponseRedirect(request.path)
