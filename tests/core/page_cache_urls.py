"""Views for the page cache tests: each counts how often it really ran."""

from django.contrib import messages
from django.http import HttpResponse
from django.template import engines
from django.urls import path
from django.views.decorators.cache import never_cache

from pages.models import FAQ

RUNS = {}


def _ran(name):
    RUNS[name] = RUNS.get(name, 0) + 1


def plain(request):
    _ran("plain")
    return HttpResponse(f"<p>{FAQ.objects.count()} questions</p>")


def with_form(request):
    _ran("with_form")
    template = engines["django"].from_string('<form method="post">{% csrf_token %}</form>')
    return HttpResponse(template.render({}, request))


def with_message(request):
    _ran("with_message")
    messages.success(request, "Saved")
    return HttpResponse("<p>page</p>")


@never_cache
def not_cacheable(request):
    _ran("not_cacheable")
    return HttpResponse("<p>page</p>")


def not_listed(request):
    _ran("not_listed")
    return HttpResponse("<p>page</p>")


urlpatterns = [
    path("plain/", plain, name="plain"),
    path("with-form/", with_form, name="with_form"),
    path("with-message/", with_message, name="with_message"),
    path("not-cacheable/", not_cacheable, name="not_cacheable"),
    path("not-listed/", not_listed, name="not_listed"),
]
