"""Attachments are sent only to signed-in staff allowed to download them, always as a download, never shown inline."""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache

from .models import Attachment
from .uploads import private_storage

DOWNLOAD_PERMISSION = "submissions.download_attachment"
VIEW_RESPONSES = "submissions.view_submission"


@never_cache
@staff_member_required
def attachment_download(request, pk):
    if not request.user.has_perm(DOWNLOAD_PERMISSION):
        raise PermissionDenied
    attachment = get_object_or_404(Attachment.objects.select_related("submission"), pk=pk)
    # Safeguarding leads read flagged responses only, and so only the files sent with them.
    if not request.user.has_perm(VIEW_RESPONSES) and not attachment.submission.safeguarding_flag:
        raise PermissionDenied
    storage = private_storage()
    if not storage.exists(attachment.stored_name):
        raise Http404("The file for this attachment is missing.")
    # A generic type and "attachment": the browser saves the file and never renders what a respondent sent.
    response = FileResponse(
        storage.open(attachment.stored_name, "rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
