from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from pages.sitemaps import SITEMAPS
from submissions.dashboard import dashboard as submissions_dashboard

from . import views

admin.site.site_header = "Children's Social Care Review: staff"
admin.site.site_title = "Review staff"
admin.site.index_title = "Moderation and content"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    # Before admin.site.urls, whose catch-all would otherwise take it.
    path("admin/submissions/dashboard/", submissions_dashboard, name="submissions_dashboard"),
    path("admin/", admin.site.urls),
    path("", include("consultations.urls")),
    path("", include("submissions.urls")),
    # pages last: it owns the catch-all /<slug>/ for content pages.
    path("", include("pages.urls")),
]

handler400 = "review_site.views.bad_request"
handler404 = "review_site.views.page_not_found"
handler500 = "review_site.views.server_error"
