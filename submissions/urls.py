from django.urls import path

from . import downloads, published

app_name = "submissions"

urlpatterns = [
    path("calls/<slug:slug>/responses/", published.PublishedResponsesView.as_view(), name="published_responses"),
    path("admin-files/attachments/<int:pk>/", downloads.attachment_download, name="attachment_download"),
]
