from django.contrib.sitemaps import Sitemap

from .models import WhatWeHeard


class WhatWeHeardSitemap(Sitemap):
    """Each call's What we heard page, once the public may read it."""

    changefreq = "monthly"

    def items(self):
        return (
            WhatWeHeard.objects.public()
            .select_related("call")
            .only("updated_at", "call__slug")
            .order_by("call__opens_at")
        )

    def lastmod(self, item):
        return item.updated_at
