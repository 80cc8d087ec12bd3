from django.urls import path

from . import views

app_name = "publications"

urlpatterns = [
    path("publications/", views.PublicationListView.as_view(), name="list"),
    path("publications/<slug:slug>/", views.PublicationDetailView.as_view(), name="detail"),
    path(
        "publications/<slug:slug>/files/<str:key>/<str:filename>",
        views.attachment_file,
        name="file",
    ),
]
