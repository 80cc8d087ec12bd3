"""The public "What we heard" page of a call."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView

from consultations.models import Call

from .charts import hbar_chart_svg
from .models import WhatWeHeard
from .published import cached_figures, public_quotes

PREVIEW_PERMISSION = "analysis.view_whatweheard"
# Drawn for the page's two-thirds column (about 640px wide): its text about the size of the page's own.
PUBLIC_CHART = {"width": 600, "font_size": 16}


class WhatWeHeardView(TemplateView):
    """Public once the call has closed (or the whole site has) and staff marked the page ready; before then, staff
    who may see it get a preview, marked as such, and everyone else the site's 404."""

    template_name = "analysis/what_we_heard.html"

    def dispatch(self, request, *args, **kwargs):
        self.call = get_object_or_404(Call, slug=kwargs["slug"])
        self.page = WhatWeHeard.objects.filter(call=self.call).first()
        self.preview = not (self.page and self.page.is_public())
        if self.page is None or self.preview and not request.user.has_perm(PREVIEW_PERMISSION):
            raise Http404("No What we heard page for this call yet")
        response = super().dispatch(request, *args, **kwargs)
        if self.preview:
            response["Cache-Control"] = "private, no-store"
            response["X-Robots-Tag"] = "noindex"
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        numbers = cached_figures(call=self.call, top=self.page.top_themes)
        context.update(
            call=self.call,
            page=self.page,
            preview=self.preview,
            figures=numbers,
            quotes=public_quotes(page=self.page),
            types_chart=hbar_chart_svg(
                numbers["types_chart"],
                chart_id="respondent-types-chart",
                title=f"Who responded to the {self.call.title}",
                desc="Responses by who they were from. The table that follows gives the same figures.",
                **PUBLIC_CHART,
            ),
            themes_chart=hbar_chart_svg(
                numbers["themes_chart"],
                chart_id="themes-chart",
                title=f"The themes we heard most often in the {self.call.title}",
                desc="Responses that raised each theme. The table that follows gives the same figures.",
                **PUBLIC_CHART,
            ),
            breadcrumbs=[
                ("Get involved", reverse("pages:get_involved")),
                (self.call.title, self.call.get_absolute_url()),
                (self.page.title, None),
            ],
        )
        return context
