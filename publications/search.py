"""Publications in site search, offered to pages (which may not import this app) by PublicationsConfig.search_sources.

On PostgreSQL the vector is stored in a column a trigger keeps current, with a GIN index on it (core/search_vector.py):
title first, then the summary and the files' titles, then the body (migrations/0005_stored_search_vector).
"""

from core.search_vector import StoredVector
from pages.search import Source

from .models import Publication

SOURCE = Source(
    queryset=lambda: Publication.objects.published(),
    vector=StoredVector,
    title_field="title",
    text_fields=("title", "summary", "attachment_titles", "body"),
    snippet_field="body",
    only=("title", "summary", "attachment_titles", "body", "slug"),
    kind_label="Publication",
)
