from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout
from django import forms


class GDSFormMixin:
    """Builds the crispy-forms-gds helper: GOV.UK markup, error summary, one primary button."""

    submit_label = "Continue"
    label_size = None
    legend_size = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        layout = self.get_layout()
        if layout is not None:
            self.helper.layout = layout
        if self.label_size:
            self.helper.label_size = self.label_size
        if self.legend_size:
            self.helper.legend_size = self.legend_size
        if self.submit_label:
            self.helper.layout.append(Button("submit", self.submit_label))

    def get_layout(self):
        """Override to lay out fields; None keeps the default layout of every field in order."""
        return None


class BaseForm(GDSFormMixin, forms.Form):
    pass


class BaseModelForm(GDSFormMixin, forms.ModelForm):
    pass


__all__ = ["BaseForm", "BaseModelForm", "Layout"]
