"""The codebook (a call's themes) in the staff console, and the analysis screens it mounts (get_urls): a call's
overview, coding screen, export and suggested themes, and the import of offline responses."""

from django.contrib import admin, messages
from django.db.models import Count
from django.urls import path
from django.utils.html import format_html

from consultations.models import Call

from ..forms import ThemeForm
from ..models import Theme
from ..services.codebook import theme_merge
from .base import screen_url
from .imports import ImportView
from .screens import ExportView, ItemsView, OverviewView
from .suggestions import SuggestionsView

SWATCH = (
    '<svg width="14" height="14" aria-hidden="true" focusable="false"><rect width="14" height="14" fill="{}"/></svg>'
)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    form = ThemeForm
    list_display = ["theme", "parent", "call", "codings_count", "created_by", "created_at"]
    list_filter = ["call"]
    search_fields = ["name", "description"]
    list_select_related = ["call", "parent", "created_by"]
    actions = ["merge_into_first"]
    change_list_template = "admin/analysis/theme/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(codings_total=Count("codings"))

    @admin.display(description="Theme", ordering="name")
    def theme(self, obj):
        return format_html(SWATCH + " {}", obj.hex_colour, obj.name)

    @admin.display(description="Coded items", ordering="codings_total")
    def codings_count(self, obj):
        return obj.codings_total

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(permissions=["change"], description="Merge the selected themes into the first (by name)")
    def merge_into_first(self, request, queryset):
        themes = list(queryset.order_by("name", "pk"))
        if len({theme.call_id for theme in themes}) != 1 or len(themes) < 2:
            messages.error(request, "Choose two or more themes of the same call.")
            return
        target, moved = themes[0], 0
        for source in themes[1:]:
            moved += theme_merge(source=source, target=target)
        messages.success(request, f"Merged {len(themes) - 1} themes into “{target.name}” ({moved:,} items moved).")

    def changelist_view(self, request, extra_context=None):
        calls = Call.objects.order_by("-opens_at").only("pk", "title")
        extra_context = {
            **(extra_context or {}),
            "analysis_calls": [(call.title, screen_url("overview", call)) for call in calls],
            "can_import": request.user.has_perm("submissions.add_submission"),
            "import_url": screen_url("import"),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def get_urls(self):
        def mount(view_class):
            return self.admin_site.admin_view(view_class.as_view(model_admin=self))

        urls = [
            path("call/<int:call_id>/", mount(OverviewView), name="analysis_theme_overview"),
            path("call/<int:call_id>/items/", mount(ItemsView), name="analysis_theme_items"),
            path("call/<int:call_id>/export/", mount(ExportView), name="analysis_theme_export"),
            path("call/<int:call_id>/suggestions/", mount(SuggestionsView), name="analysis_theme_suggestions"),
            path("import/", mount(ImportView), name="analysis_theme_import"),
        ]
        return urls + super().get_urls()
