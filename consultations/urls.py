from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("calls/<slug:slug>/", views.CallDetailView.as_view(), name="call_detail"),
]
