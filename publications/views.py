from urllib.parse import quote, urlencode

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView

from . import selectors
from .storage import publication_storage

# A file's address holds the start of its SHA-256: what is at an address never changes, so it may be kept a year.
IMMUTABLE = "public, max-age=31536000, immutable"
# Shown in the browser; the others are downloaded.
INLINE_TYPES = {"application/pdf", "text/plain", "text/csv"}


class PublicationListView(ListView):
    """Published publications, newest first."""

    template_name = "publications/publication_list.html"
    context_object_name = "publications"
    paginate_by = 20

    def get_queryset(self):
        return selectors.published_publications()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context["page_range"] = page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
        context["breadcrumbs"] = [("Publications", None)]
        return context


class PublicationDetailView(DetailView):
    """A published publication; staff may also preview drafts and publications dated in the future."""

    template_name = "publications/publication_detail.html"
    context_object_name = "publication"

    def get_object(self, queryset=None):
        publication = selectors.publication_for_reader(slug=self.kwargs["slug"], user=self.request.user)
        if publication is None:
            raise Http404("No such publication")
        return publication

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        publication = self.object
        context["is_preview"] = not publication.is_published()
        context["attachments"] = list(publication.attachments.all())
        context["request_format_url"] = accessible_format_mailto(publication)
        context["breadcrumbs"] = [("Publications", reverse("publications:list")), (publication.title, None)]
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["is_preview"]:
            add_never_cache_headers(response)
            response["X-Robots-Tag"] = "noindex"
        return response


def accessible_format_mailto(publication):
    """A mailto: link to the review's contact address, naming the publication, to ask for another format."""
    subject = f"Request for an accessible format: {publication.title}"
    body = (
        f"I would like the publication ‘{publication.title}’ in another format.\n\n"
        "The format I need (for example large print, easy read, audio or braille):\n\n"
        "The assistive technology I use, if any:\n"
    )
    return f"mailto:{settings.CONTACT_EMAIL}?" + urlencode({"subject": subject, "body": body}, quote_via=quote)


def attachment_file(request, slug, key, filename):
    """A publication's file, from publication storage (a folder or a bucket), with a year's cache for the public.

    Only files of published publications are served to the public; staff also get a draft's, never cached.
    """
    attachment = selectors.attachment_for_download(slug=slug, stored_name=f"{key}/{filename}", user=request.user)
    if attachment is None:
        raise Http404("No such file")
    public = attachment.publication.is_published()
    etag = f'"{attachment.sha256}"'
    if public and etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
        response["ETag"] = etag
        response["Cache-Control"] = IMMUTABLE
        return response
    storage = publication_storage()
    try:
        handle = storage.open(attachment.stored_name, "rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage") from None
    response = FileResponse(
        handle,
        content_type=attachment.content_type,
        as_attachment=attachment.content_type not in INLINE_TYPES,
        filename=attachment.filename,
    )
    response["Content-Length"] = str(attachment.size)
    if public:
        response["Cache-Control"] = IMMUTABLE
        response["ETag"] = etag
    else:
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex"
    return response
