from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from .models import Call, Question
from .templatetags.calls_tags import uk_datetime


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    ordering = ["position", "id"]
    fields = [("position", "required"), "prompt", "hint", ("answer_type", "word_limit"), "choices", "history_link"]
    readonly_fields = ["history_link"]

    @admin.display(description="History")
    def history_link(self, question):
        if question.pk is None:
            return "-"
        url = reverse("admin:consultations_question_history", args=[question.pk])
        return format_html('<a href="{}">Changes to this question</a>', url)


class CallStatusFilter(admin.SimpleListFilter):
    """Upcoming, open or closed right now, by the same QuerySet methods the public pages use."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Call.Status.choices

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == Call.Status.UPCOMING:
            return queryset.upcoming(now)
        if self.value() == Call.Status.OPEN:
            return queryset.open(now)
        if self.value() == Call.Status.CLOSED:
            return queryset.closed(now)
        return queryset


@admin.register(Call)
class CallAdmin(SimpleHistoryAdmin):  # History: who changed what, and when, with revert
    list_display = ["title", "kind", "phase", "opens", "closes", "status"]
    list_filter = [CallStatusFilter, "kind", "phase"]
    search_fields = ["title", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "opens_at"
    readonly_fields = ["status", "created_at", "updated_at"]
    inlines = [QuestionInline]
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "phase", "summary", "audience", "body"]}),
        ("When it is open", {"fields": ["opens_at", "closes_at", "status"]}),
        (
            "Responses",
            {
                "fields": [
                    "accepts_attachments",
                    ("max_ideas", "idea_word_limit"),
                    "responses_may_be_published",
                    "retention_days",
                ]
            },
        ),
        ("After it closes", {"fields": ["outcome"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description="opens", ordering="opens_at")
    def opens(self, obj):
        return uk_datetime(obj.opens_at)

    @admin.display(description="closes", ordering="closes_at")
    def closes(self, obj):
        return uk_datetime(obj.closes_at)

    @admin.display(description="status")
    def status(self, obj):
        """Worked out from the clock: nobody has to remember to open or close a call."""
        if obj.pk is None or obj.opens_at is None or obj.closes_at is None:
            return "-"
        return obj.status().label


@admin.register(Question)
class QuestionAdmin(SimpleHistoryAdmin):
    """Questions are edited on their call's page; this admin only gives each its history (and revert), reached from
    the question's "Changes to this question" link, so it is left out of the admin's index."""

    fields = [("position", "required"), "prompt", "hint", ("answer_type", "word_limit"), "choices"]

    def get_model_perms(self, request):
        return {}

    def has_add_permission(self, request):
        return False  # a question belongs to a call: added on the call's page (this form has no call to give it)
