"""Reads for publications: what the public may see, what staff may preview, and the Markdown shortcut's target."""

from django.db.models import Prefetch

from .models import Attachment, Publication


def published_publications(now=None):
    """Published and dated now or earlier, newest first, without their bodies (lists, feed, sitemap)."""
    return Publication.objects.published(now).defer("body", "attachment_titles")


def publication_for_reader(*, slug, user):
    """The publication at /publications/<slug>/ with its files in order, or None. Staff also see drafts and
    publications dated in the future (as previews); everyone else only what is published."""
    publications = Publication.objects.all() if user.is_staff else Publication.objects.published()
    files = Prefetch("attachments", queryset=Attachment.objects.order_by("position", "id"))
    return publications.prefetch_related(files).filter(slug=slug).first()


def attachment_for_download(*, slug, stored_name, user):
    """The file at /publications/<slug>/files/<stored_name>, or None: the public only gets published ones."""
    publications = Publication.objects.all() if user.is_staff else Publication.objects.published()
    return (
        Attachment.objects.select_related("publication")
        .filter(publication__in=publications, publication__slug=slug, stored_name=stored_name)
        .first()
    )


def shortcut_target(slug):
    """(address, title) of a published publication, for [[publication:<slug>]] in Markdown; None otherwise."""
    publication = Publication.objects.published().only("slug", "title").filter(slug=slug).first()
    if publication is None:
        return None
    return publication.get_absolute_url(), publication.title


def stored_name_in_use(stored_name):
    return Attachment.objects.filter(stored_name=stored_name).exists()
