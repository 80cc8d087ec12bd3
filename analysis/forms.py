"""Forms of the analysis screens in the staff console."""

from django import forms
from django.conf import settings

from consultations.models import Call
from submissions.models import Submission
from submissions.services.imports import IMPORT_CHANNELS

from . import selectors
from .models import Theme

# The admin upload's limit: a 100,000-response export is about 60 MB. Settings may lower or raise it.
IMPORT_MAX_BYTES = getattr(settings, "RESPONSES_IMPORT_MAX_BYTES", 200 * 1024 * 1024)


def theme_choices(call, *, blank="Choose a theme"):
    choices = [("", blank)] if blank else []
    for theme in selectors.codebook(call=call):
        choices.append((str(theme.pk), f"{theme.parent.name} › {theme.name}" if theme.parent_id else theme.name))
    return choices


class ThemeForm(forms.ModelForm):
    """The codebook's add and change form: a parent only from the same call's top-level themes."""

    class Meta:
        model = Theme
        fields = ["call", "name", "description", "parent", "colour"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Theme.objects.filter(parent__isnull=True).select_related("call").order_by("call__opens_at", "name")
        if self.instance.pk:
            parents = parents.filter(call_id=self.instance.call_id).exclude(pk=self.instance.pk)
            self.fields["call"].disabled = True
        self.fields["parent"].queryset = parents
        self.fields["parent"].label_from_instance = lambda theme: f"{theme.call.title}: {theme.name}"


class ItemFilterForm(forms.Form):
    """The coding screen's search and filters (GET)."""

    q = forms.CharField(label="Search the text", required=False, max_length=200)
    theme = forms.TypedChoiceField(label="Coded with", required=False, coerce=int, empty_value=None)
    uncoded = forms.BooleanField(label="Only items with no theme yet", required=False)
    respondent_type = forms.ChoiceField(
        label="Respondent type", required=False, choices=[("", "Any"), *Submission.RespondentType.choices]
    )
    channel = forms.ChoiceField(label="Came by", required=False, choices=[("", "Any"), *Submission.Channel.choices])

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = theme_choices(call, blank="Any theme")

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].replace("\x00", " ").split())


class CodingForm(forms.Form):
    """The coding screen's action (POST): a theme and what to do with it; the ticked items are the view's to check
    (only items of the call and kind on screen are ever coded)."""

    ACTIONS = {
        "apply": "Apply to selected",
        "remove": "Remove from selected",
        "apply_all": "Apply to all matching",
        "remove_all": "Remove from all matching",
        "quote": "Quote selected on What we heard",
    }
    theme = forms.TypedChoiceField(label="Theme", required=False, coerce=int, empty_value=None)
    action = forms.ChoiceField(choices=list(ACTIONS.items()))

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = theme_choices(call)

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action and action != "quote" and not cleaned.get("theme"):
            self.add_error("theme", "Choose a theme")
        if action in {"apply", "remove", "quote"} and not self.data.getlist("item"):
            self.add_error(None, "Tick at least one item")
        return cleaned


class SuggestionRunForm(forms.Form):
    count = forms.IntegerField(
        label="How many themes (leave empty and the data decides, between 5 and 30)",
        required=False,
        min_value=2,
        max_value=30,
    )


class ImportForm(forms.Form):
    call = forms.ModelChoiceField(queryset=Call.objects.order_by("opens_at"), label="Call the responses answer")
    channel = forms.ChoiceField(
        label="How they reached the review",
        choices=[(value, label) for value, label in Submission.Channel.choices if value in IMPORT_CHANNELS],
    )
    file = forms.FileField(label="CSV file, laid out as the responses export")
    dry_run = forms.BooleanField(label="Check the file only; store nothing", required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1e6:,.0f} MB; the most this page takes is "
                f"{IMPORT_MAX_BYTES / 1e6:,.0f} MB. Split it, or import it with manage.py import_responses."
            )
        return upload
