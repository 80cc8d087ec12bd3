from django.urls import path

from . import downloads, published, views
from . import submit_views as end

app_name = "submissions"

urlpatterns = [
    path("calls/<slug:slug>/respond/", views.RespondStartView.as_view(), name="respond_start"),
    path("calls/<slug:slug>/respond/about-you/", views.AboutYouView.as_view(), name="respond_about"),
    path("calls/<slug:slug>/respond/your-answers/", views.AnswersView.as_view(), name="respond_answers"),
    path("calls/<slug:slug>/respond/files/", views.FilesView.as_view(), name="respond_files"),
    path("calls/<slug:slug>/respond/publishing/", views.PublicationView.as_view(), name="respond_publication"),
    path("calls/<slug:slug>/respond/check-your-answers/", end.CheckAnswersView.as_view(), name="respond_check"),
    path("calls/<slug:slug>/respond/submit/", end.SubmitView.as_view(), name="respond_submit"),
    path("calls/<slug:slug>/respond/confirmation/", end.ConfirmationView.as_view(), name="respond_confirmation"),
    path("calls/<slug:slug>/responses/", published.PublishedResponsesView.as_view(), name="published_responses"),
    path("admin-files/attachments/<int:pk>/", downloads.attachment_download, name="attachment_download"),
]
