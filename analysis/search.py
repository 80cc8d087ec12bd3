"""What we heard pages in site search (pages.search). Pages may not import analysis, nor analysis pages: the
AnalysisConfig offers these fields (search_sources) and pages builds its Source from them at the first search.

On PostgreSQL only (AnalysisConfig.search_sources): there all sources are searched in one query. The queryset is the
same SQL every time but for the clock (pages compiles it once per worker on PostgreSQL): pages
marked ready of calls closed by now. A call cut short by the site's closure is left out of search, which an
archived site has none of anyway. Each page's vector is stored beside it (migrations/0003_stored_search_vector.py).
"""

from django.utils import timezone

from core.search_vector import StoredVector


def _queryset():
    from .models import WhatWeHeard

    return WhatWeHeard.objects.filter(published=True, call__closes_at__lte=timezone.now())


SOURCES = [
    {
        "queryset": _queryset,
        "vector": StoredVector,  # migrations/0003_stored_search_vector.py
        "title_field": "title",
        "text_fields": ("title", "summary", "body"),
        "snippet_field": "body",
        # call_id, not the call: a result's address is its call's, looked up for the few results shown.
        "only": ("title", "summary", "body", "call_id"),
        "kind_label": "What we heard",
    }
]
