from django import forms

from core.forms import BaseForm


class SubscribeForm(BaseForm):
    """Ask for an email address to send updates to; the address counts once its owner confirms it."""

    submit_label = "Sign up"

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We will send you a link to confirm it is your address.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Email address must be 254 characters or fewer",
            "null_characters_not_allowed": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The GOV.UK error summary, not the browser's own bubble, explains a mistake.
        self.helper.attrs = {"novalidate": ""}
