"""The public page of a call's published responses: only what Submission.objects.publishable() allows."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import ListView

from consultations.models import Call

from .selectors import published_responses


class PublishedResponsesView(ListView):
    template_name = "submissions/published_responses.html"
    context_object_name = "responses"
    paginate_by = 20

    def dispatch(self, request, *args, **kwargs):
        self.call = get_object_or_404(Call, slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return published_responses(call=self.call)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context.update(
            call=self.call,
            publishing_allowed=self.call.responses_may_be_published,
            page_range=page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            breadcrumbs=[
                ("Get involved", reverse("pages:get_involved")),
                (self.call.title, self.call.get_absolute_url()),
                ("Published responses", None),
            ],
        )
        return context
