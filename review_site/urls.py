from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from analysis.sitemaps import WhatWeHeardSitemap
from consultations.sitemaps import CallSitemap
from core import views as core_views
from pages.sitemaps import SITEMAPS as PAGE_SITEMAPS
from publications.sitemaps import SITEMAPS as PUBLICATION_SITEMAPS

admin.site.site_header = "Children's Social Care Review: staff"
admin.site.site_title = "Review staff"
admin.site.index_title = "Moderation and content"
# The side menu took a quarter of a 1280px screen and pushed the responses list's last columns out of sight.
admin.site.enable_nav_sidebar = False

SITEMAPS = {**PAGE_SITEMAPS, "calls": CallSitemap, **PUBLICATION_SITEMAPS, "what_we_heard": WhatWeHeardSitemap}

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    # Moved under the responses admin (SubmissionAdmin.get_urls); before admin.site.urls, whose catch-all would take it.
    path("admin/submissions/dashboard/", RedirectView.as_view(url="/admin/submissions/submission/dashboard/")),
    # The closure notice moved from pages to core: staff bookmarks keep working.
    re_path(
        r"^admin/pages/closurenotice/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/core/closurenotice/%(rest)s", permanent=True),
    ),
    path("admin/", admin.site.urls),
    path("", include("consultations.urls")),
    path("", include("submissions.urls")),
    path("", include("analysis.urls")),
    path("", include("publications.urls")),
    # pages last: it owns the catch-all /<slug>/ for content pages.
    path("", include("pages.urls")),
]

handler400 = "core.views.bad_request"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
