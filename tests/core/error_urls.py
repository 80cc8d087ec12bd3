"""A view that fails with a respondent's details all around it, for the error report tests."""

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from review_site.urls import urlpatterns as site_urlpatterns
from tests.core.personal_data import ADDRESS


@csrf_exempt  # served through the WSGI handler too, where no test client turns the check off
def failing_view(request):
    answer = request.POST.get("answer", "")  # a local variable holding an answer: never in a report
    raise ValueError(f"Could not save the response from {ADDRESS} ({len(answer)} characters)")


# The site's own URLs beside it: the 500 page links to them.
urlpatterns = [path("fail/", failing_view), *site_urlpatterns]
handler500 = "core.views.server_error"
