from django.template.response import TemplateResponse

from .closure import active_closure_notice, site_is_closed

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class ClosedSiteRefusalMixin:
    """Refuse public input once the site is in archive mode (see core.closure.site_is_closed).

    Put it first in the bases of any view whose form accepts something from the public::

        class ResponseFormView(ClosedSiteRefusalMixin, FormView):
            closed_title = "This call has closed"
            closed_message = "The website no longer accepts responses."

    When the site is closed, dispatch() answers every method itself, before the view's own
    get()/post() can run, so nothing is stored and no email is sent: GET (and HEAD, OPTIONS)
    get an explanatory page with status 200; POST and every other unsafe method get the same
    page with status 403. The page is templates/includes/site_closed.html; it links to the archive.
    """

    closed_template_name = "includes/site_closed.html"
    closed_title = "This website has closed"
    closed_message = "The website no longer accepts anything from the public."

    def dispatch(self, request, *args, **kwargs):
        if site_is_closed():
            return self.site_closed_response(request)
        return super().dispatch(request, *args, **kwargs)

    def site_closed_response(self, request):
        context = {
            "closed_title": self.closed_title,
            "closed_message": self.closed_message,
            "notice": active_closure_notice(),
        }
        status = 200 if request.method in SAFE_METHODS else 403
        return TemplateResponse(request, self.closed_template_name, context, status=status)
