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


def for_staff(request):
    _ran("for_staff")
    return HttpResponse("<p>Draft for staff</p>" if request.user.is_staff else "<p>page</p>")


def reads_cookie(request):
    _ran("reads_cookie")
    return HttpResponse(f"<p>theme {request.COOKIES.get('theme', 'light')}</p>")


def reads_session(request):
    _ran("reads_session")
    journey = request.session.get("respond_journeys", {}).get("1", {})
    return HttpResponse(f"<p>Hello {journey.get('steps', {}).get('about', {}).get('name', ['there'])[0]}</p>")


def leave_message(request):
    messages.success(request, "Saved")
    return HttpResponse("<p>saved</p>")


def search_like(request):
    _ran("search_like")
    return HttpResponse(f"<p>results for {normalised(request)}</p>")


def normalised(request):
    return " ".join(request.GET.get("q", "").split())


search_like.page_cache_query = normalised


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
    path("for-staff/", for_staff, name="for_staff"),
    path("reads-cookie/", reads_cookie, name="reads_cookie"),
    path("leave-message/", leave_message, name="leave_message"),
    path("reads-session/", reads_session, name="reads_session"),
    path("search-like/", search_like, name="search_like"),
]
