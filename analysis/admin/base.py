"""What every analysis screen shares: its call, its permission, rendering inside the admin, and its addresses."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.views import View

from consultations.models import Call

VIEW = "analysis.view_coding"
CODE = "analysis.add_coding"
UNCODE = "analysis.delete_coding"
MODERATE = "submissions.view_submission"


def screen_url(name: str, call: Call | None = None, **query) -> str:
    url = reverse(f"admin:analysis_theme_{name}", kwargs={"call_id": call.pk} if call is not None else None)
    query = {key: value for key, value in query.items() if value not in (None, "", False)}
    return f"{url}?{urlencode(query, doseq=True)}" if query else url


class CallScreen(View):
    """A screen about one call, for staff with `permission`."""

    model_admin = None
    permission = VIEW
    template_name = ""
    title = ""

    def dispatch(self, request, call_id, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        self.call = get_object_or_404(Call, pk=call_id)
        return super().dispatch(request, call_id, *args, **kwargs)

    def render(self, **context):
        base = {
            **self.model_admin.admin_site.each_context(self.request),
            "opts": self.model_admin.model._meta,
            "call": self.call,
            "title": f"{self.title}: {self.call.title}",
            "links": self.links(),
        }
        return TemplateResponse(self.request, self.template_name, {**base, **context})

    def links(self):
        """The screens of this call, for the navigation at the top of each."""
        return [
            ("Overview", screen_url("overview", self.call)),
            ("Code items", screen_url("items", self.call)),
            ("Suggested themes", screen_url("suggestions", self.call)),
            ("Codebook", reverse("admin:analysis_theme_changelist") + f"?call__id__exact={self.call.pk}"),
        ]
