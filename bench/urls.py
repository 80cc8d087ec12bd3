"""The site's URLs plus /bench/hello/, a hello-world view behind the same middleware: the baseline of throughput."""

from importlib import import_module

from django.conf import settings
from django.http import HttpResponse
from django.urls import path

site = import_module(settings.SITE_URLCONF)
handler400 = getattr(site, "handler400", None)
handler404 = getattr(site, "handler404", None)
handler500 = getattr(site, "handler500", None)


def hello(request):
    return HttpResponse("Hello, world")


urlpatterns = [path("bench/hello/", hello, name="bench_hello"), *site.urlpatterns]
