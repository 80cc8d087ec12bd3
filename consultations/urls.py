from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("get-involved/", views.GetInvolvedView.as_view(), name="get_involved"),
    path("calls/<slug:slug>/", views.CallDetailView.as_view(), name="call_detail"),
]
