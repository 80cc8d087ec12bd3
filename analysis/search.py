"""What we heard pages in site search (pages.search). Pages may not import analysis, nor analysis pages: the
AnalysisConfig offers these fields (search_sources) and pages builds its Source from them at the first search.

On PostgreSQL only (AnalysisConfig.search_sources): there all sources are searched in one query. The queryset is the
same SQL every time but for the clock (pages compiles it once per worker on PostgreSQL): pages
marked ready of calls closed by now. A call cut short by the site's closure is left out of search, which an
archived site has none of anyway. The table holds a page per call, so no search index is needed.
"""

from django.contrib.postgres.search import SearchVector
from django.utils import timezone

CONFIG = "english"


def _queryset():
    from .models import WhatWeHeard

    return WhatWeHeard.objects.filter(published=True, call__closes_at__lte=timezone.now())


def _vector():
    return (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("summary", weight="B", config=CONFIG)
        + SearchVector("body", weight="C", config=CONFIG)
    )


SOURCES = [
    {
        "queryset": _queryset,
        "vector": _vector,
        "title_field": "title",
        "text_fields": ("title", "summary", "body"),
        "snippet_field": "body",
        # call_id, not the call: a result's address is its call's, looked up for the few results shown.
        "only": ("title", "summary", "body", "call_id"),
        "kind_label": "What we heard",
    }
]
