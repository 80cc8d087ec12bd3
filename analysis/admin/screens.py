"""The overview of a call's coding, the coding screen, and the coded-data export (mounted by ThemeAdmin.get_urls)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse

from .. import selectors
from ..exports import coded_csv_response, coded_xlsx_response
from ..forms import CodingForm, ItemFilterForm
from ..models import Coding, Theme, WhatWeHeard
from ..report import cached_call_report
from ..services.coding import coding_apply, coding_remove
from ..services.what_we_heard import QuoteRefused, quote_add
from .base import CODE, MODERATE, UNCODE, CallScreen, screen_url

PER_PAGE = 50


class OverviewView(CallScreen):
    template_name = "admin/analysis/overview.html"
    title = "Analysis"

    def get(self, request, call_id):
        report = cached_call_report(call=self.call, refresh=request.GET.get("refresh") == "1")
        return self.render(
            report=report,
            count_chart=report.count_chart(),
            type_chart=report.type_chart(),
            items_url=screen_url("items", self.call),
            export_csv=screen_url("export", self.call, format="csv"),
            export_xlsx=screen_url("export", self.call, format="xlsx"),
            refresh_url=screen_url("overview", self.call, refresh="1"),
        )


class ExportView(CallScreen):
    def get(self, request, call_id):
        file_format = request.GET.get("format", "csv")
        if file_format == "csv":
            return coded_csv_response(request=request, call=self.call)
        if file_format == "xlsx":
            return coded_xlsx_response(request=request, call=self.call)
        return HttpResponseBadRequest("Choose a format: csv or xlsx.")


class ItemsView(CallScreen):
    """Items of one kind (ideas, the answers to one question, whole responses), searched and filtered, 50 a page,
    each with a checkbox; one theme and one button codes every ticked item, or every item the filters match."""

    template_name = "admin/analysis/items.html"
    title = "Code items"

    def tabs(self):
        tabs = [("ideas", "Ideas", Coding.Kind.IDEA, None)] if self.call.is_ideas else []
        for question in selectors.text_questions(call=self.call):
            tabs.append((f"q{question.pk}", f"Answers: {question.prompt}", Coding.Kind.ANSWER, question))
        return [*tabs, ("responses", "Whole responses", Coding.Kind.RESPONSE, None)]

    def select(self):
        tabs = self.tabs()
        wanted = self.request.GET.get("show")
        self.tab, _, self.kind, self.question = next((tab for tab in tabs if tab[0] == wanted), tabs[0])
        self.tab_links = [
            (label, screen_url("items", self.call, show=key), key == self.tab) for key, label, _, _ in tabs
        ]
        # Its own ids: the coding form below has a "theme" field too.
        self.filters = ItemFilterForm(self.request.GET, call=self.call, auto_id="filter-%s")
        found = self.filters.cleaned_data if self.filters.is_valid() else {}
        self.theme = Theme.objects.filter(call=self.call, pk=found.get("theme")).first() if found.get("theme") else None
        self.all_items = selectors.item_queryset(call=self.call, kind=self.kind, question=self.question)
        self.matching = selectors.filter_items(
            self.all_items,
            kind=self.kind,
            search=found.get("q", ""),
            theme=self.theme,
            uncoded=found.get("uncoded", False),
            respondent_type=found.get("respondent_type"),
            channel=found.get("channel"),
        )
        order = ["submitted_at", "id"] if self.kind == Coding.Kind.RESPONSE else ["submission__submitted_at", "id"]
        return self.matching.order_by(*order)

    def get(self, request, call_id):
        return self.show(CodingForm(call=self.call))

    def show(self, form, status=200):
        queryset = self.select()
        page = Paginator(queryset, PER_PAGE).get_page(self.request.GET.get("page"))
        items = selectors.items_page(page.object_list, kind=self.kind)
        if self.request.user.has_perm(MODERATE):
            for item in items:
                item.moderate_url = reverse("admin:submissions_submission_moderate", args=[item.submission_id])
        page_of_call = WhatWeHeard.objects.filter(call=self.call).first()
        query = self.request.GET.copy()
        query.pop("page", None)
        response = self.render(
            form=form,
            filters=self.filters,
            tab=self.tab,
            tab_links=self.tab_links,
            kind=self.kind,
            items=items,
            page=page,
            page_query=query.urlencode(),
            matching=page.paginator.count,
            can_code=self.request.user.has_perm(CODE),
            can_uncode=self.request.user.has_perm(UNCODE),
            can_quote=page_of_call is not None
            and self.kind != Coding.Kind.RESPONSE
            and self.request.user.has_perm("analysis.add_quote"),
        )
        response.status_code = status
        return response

    def post(self, request, call_id):
        self.select()
        form = CodingForm(request.POST, call=self.call)
        if not form.is_valid():
            return self.show(form, status=400)
        action, theme_id = form.cleaned_data["action"], form.cleaned_data["theme"]
        theme = Theme.objects.filter(call=self.call, pk=theme_id).first() if theme_id else None
        needed = {
            "apply": CODE,
            "apply_all": CODE,
            "remove": UNCODE,
            "remove_all": UNCODE,
            "quote": "analysis.add_quote",
        }
        if not request.user.has_perm(needed[action]):
            raise PermissionDenied
        if action.endswith("_all"):
            items = selectors.all_item_ids(self.matching, kind=self.kind)
        else:
            ticked = [int(pk) for pk in request.POST.getlist("item") if pk.isdigit()]
            # Only items of this call and kind: an id from elsewhere is ignored, never coded.
            items = selectors.all_item_ids(self.all_items.filter(pk__in=ticked), kind=self.kind)
        if action.startswith("apply"):
            coded = coding_apply(theme=theme, kind=self.kind, items=items, coder=request.user)
            messages.success(request, f"“{theme}” applied to {coded:,} items (items that had it already kept it).")
        elif action.startswith("remove"):
            removed = coding_remove(theme=theme, kind=self.kind, item_ids=[pk for pk, _ in items])
            messages.success(request, f"“{theme}” removed from {removed:,} items.")
        else:
            self.quote(items)
        return HttpResponseRedirect(request.get_full_path())

    def quote(self, items):
        page = WhatWeHeard.objects.get(call=self.call)
        added = 0
        for item_id, _ in items:
            try:
                quote_add(page=page, kind=self.kind, item_id=item_id, actor=self.request.user)
                added += 1
            except QuoteRefused as exc:
                messages.warning(self.request, str(exc))
        if added:
            messages.success(self.request, f"{added} quotes added to {page.title}.")
