from django.urls import path

from . import views

app_name = "analysis"

urlpatterns = [
    path("calls/<slug:slug>/what-we-heard/", views.WhatWeHeardView.as_view(), name="what_we_heard"),
]
