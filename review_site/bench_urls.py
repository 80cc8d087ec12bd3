"""The site's URLs plus a hello-world view, the baseline `make bench` compares every page with."""

from django.http import HttpResponse
from django.urls import path

from review_site.urls import handler400, handler404, handler500  # noqa: F401
from review_site.urls import urlpatterns as site_urlpatterns


def hello(request):
    return HttpResponse("Hello, world")


urlpatterns = [path("bench/hello/", hello, name="bench_hello"), *site_urlpatterns]
