"""The response journey's forms: one per step, every message in the GOV.UK voice."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import HTML, ConditionalQuestion, ConditionalRadios, Field, Fieldset, Layout, Size
from django import forms
from django.utils.html import format_html

from consultations.models import Question
from core.forms import BaseForm

from .models import Submission

SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 20_000
IDEA_TITLE_MAX = 150
HONEYPOT_FIELD = "website"

NULL_MESSAGE = "{} must not contain hidden control characters"


def count_words(text):
    """Words as the GOV.UK character count counts them: runs of non-space characters."""
    return len((text or "").split())


class JourneyForm(BaseForm):
    """No form tag, CSRF token or button from crispy: the templates place them (some steps have several buttons)."""

    submit_label = None

    def __init__(self, *args, **kwargs):
        # GOV.UK labels have no suffix, and Django's default (a translated ":") cost a quarter of building a form.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.helper.form_tag = False
        # crispy adds a token whenever the method is POST, even with no form tag: the template's own is the one.
        self.helper.disable_csrf = True
        self.drop_maxlength()

    def drop_maxlength(self):
        """GOV.UK advice: no maxlength attribute, which cuts text off silently; the server says what is too long."""
        for field in self.fields.values():
            field.widget.attrs.pop("maxlength", None)

    def first_input_id(self, name):
        """Where an error summary link must point: radios and checkboxes have no element with the field's id."""
        field = self.fields[name]
        if isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            return f"id_{self.add_prefix(name)}_{self.choice_id_start}"
        return self[name].auto_id

    choice_id_start = 1

    def error_links(self):
        links = []
        for message in self.non_field_errors():
            links.append(("", message))
        for name in self.fields:
            for message in self.errors.get(name, []):
                links.append((self.first_input_id(name), message))
        return links


def _no_nul_messages(label):
    return {"null_characters_not_allowed": NULL_MESSAGE.format(label)}


class AboutYouForm(JourneyForm):
    # ConditionalRadios numbers its radios from 0, unlike plain radios.
    choice_id_start = 0
    legend_size = Size.MEDIUM

    respondent_type = forms.ChoiceField(
        label="Which of these best describes you?",
        choices=Submission.RespondentType.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select which of these best describes you",
            "invalid_choice": "Select which of these best describes you",
        },
    )
    organisation_name = forms.CharField(
        label="Name of the organisation",
        required=False,
        max_length=200,
        error_messages={
            "max_length": "The name of the organisation must be 200 characters or fewer",
            **_no_nul_messages("The name of the organisation"),
        },
    )
    name = forms.CharField(
        label="Your name (optional)",
        required=False,
        max_length=200,
        help_text="You do not have to give your name. If you do, we only publish it if you say we can.",
        error_messages={"max_length": "Your name must be 200 characters or fewer", **_no_nul_messages("Your name")},
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        max_length=254,
        help_text="We will send your reference number and a copy of your answers to this address. "
        "If you leave it empty, we cannot send you a receipt.",
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Your email address must be 254 characters or fewer",
            **_no_nul_messages("Your email address"),
        },
    )
    # The honeypot: people never see it (see includes/honeypot.html); some bots fill every field.
    website = forms.CharField(required=False, label="Leave this field empty")

    def get_layout(self):
        choices = []
        for value, label in Submission.RespondentType.choices:
            if value == Submission.RespondentType.ORGANISATION:
                choices.append(ConditionalQuestion(label, Field.text("organisation_name")))
            else:
                choices.append(label)
        return Layout(
            ConditionalRadios("respondent_type", *choices),
            Field.text("name", label_size=Size.MEDIUM),
            Field.text("email", label_size=Size.MEDIUM, spellcheck="false", autocomplete="email"),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("respondent_type") == Submission.RespondentType.ORGANISATION:
            if not cleaned.get("organisation_name") and "organisation_name" not in self.errors:
                self.add_error("organisation_name", "Enter the name of the organisation")
        else:
            # A name typed, then a different answer chosen: do not keep what no longer applies.
            cleaned["organisation_name"] = ""
        return cleaned


class AnswersForm(JourneyForm):
    """All of a call's questions on one page, and for the Call for Ideas one or more ideas."""

    def __init__(self, *args, call, questions, idea_slots=1, **kwargs):
        self.call = call
        self.questions = list(questions)
        self.idea_slots = max(1, min(idea_slots, call.max_ideas)) if call.is_ideas else 0
        super().__init__(*args, **kwargs)
        for number, question in enumerate(self.questions, start=1):
            self.fields[self.question_field(question)] = self._question_field(number, question)
        for i in range(1, self.idea_slots + 1):
            self.fields[f"idea_title_{i}"] = forms.CharField(
                label="Title",
                max_length=IDEA_TITLE_MAX,
                required=False,
                help_text="A few words that sum up the idea.",
                error_messages={
                    "max_length": f"The title of idea {i} must be {IDEA_TITLE_MAX} characters or fewer",
                    **_no_nul_messages(f"The title of idea {i}"),
                },
            )
            self.fields[f"idea_body_{i}"] = forms.CharField(
                label="Your idea",
                widget=forms.Textarea(attrs={"rows": 8}),
                max_length=LONG_TEXT_MAX,
                required=False,
                error_messages={
                    "max_length": f"Idea {i} must be {LONG_TEXT_MAX:,} characters or fewer",
                    **_no_nul_messages(f"Idea {i}"),
                },
            )
        for field in self.fields.values():
            # crispy-forms-gds reads this attribute on character-count fields whether or not there is a hint.
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.setdefault("aria-describedby", "")
        self.drop_maxlength()
        # The layout needs the fields, so it is built again now they exist.
        self.helper.layout = self.get_layout()

    @staticmethod
    def question_field(question):
        return f"q_{question.pk}"

    def _question_field(self, number, question):
        label = format_html(
            '<span class="govuk-caption-m">Question {}</span>{}{}',
            number,
            question.prompt,
            "" if question.required else " (optional)",
        )
        common = {"label": label, "required": question.required, "help_text": question.hint}
        what = f"Your answer to question {number}"
        kind = question.answer_type
        if kind == Question.AnswerType.SHORT_TEXT:
            return forms.CharField(
                max_length=SHORT_TEXT_MAX,
                error_messages={
                    "required": f"Enter your answer to question {number}",
                    "max_length": f"{what} must be {SHORT_TEXT_MAX} characters or fewer",
                    **_no_nul_messages(what),
                },
                **common,
            )
        if kind == Question.AnswerType.ONE_CHOICE:
            return forms.ChoiceField(
                choices=[(c, c) for c in question.choice_list],
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Select an answer to question {number}",
                    "invalid_choice": f"Select one of the answers given for question {number}",
                },
                **common,
            )
        if kind == Question.AnswerType.MANY_CHOICES:
            return forms.MultipleChoiceField(
                choices=[(c, c) for c in question.choice_list],
                widget=forms.CheckboxSelectMultiple,
                error_messages={
                    "required": f"Select at least one answer to question {number}",
                    "invalid_choice": f"Select only the answers given for question {number}",
                },
                **common,
            )
        field = forms.CharField(
            widget=forms.Textarea(attrs={"rows": 8}),
            max_length=LONG_TEXT_MAX,
            error_messages={
                "required": f"Enter your answer to question {number}",
                "max_length": f"{what} must be {LONG_TEXT_MAX:,} characters or fewer",
                **_no_nul_messages(what),
            },
            **common,
        )
        field.word_limit = question.word_limit
        field.word_message = f"{what} must be {question.word_limit} words or fewer"
        return field

    def get_layout(self):
        if not hasattr(self, "questions"):
            return Layout()
        items = []
        for question in self.questions:
            name = self.question_field(question)
            if question.answer_type == Question.AnswerType.LONG_TEXT:
                if question.word_limit:
                    items.append(Field.textarea(name, label_size=Size.SMALL, max_words=question.word_limit))
                else:
                    items.append(Field.textarea(name, label_size=Size.SMALL))
            elif question.has_choices:
                items.append(
                    Field.radios(name, legend_size=Size.SMALL)
                    if question.answer_type == "one_choice"
                    else Field.checkboxes(name, legend_size=Size.SMALL)
                )
            else:
                items.append(Field.text(name, label_size=Size.SMALL))
        for i in range(1, self.idea_slots + 1):
            parts = [
                Field.text(f"idea_title_{i}", label_size=Size.SMALL),
                Field.textarea(f"idea_body_{i}", label_size=Size.SMALL, max_words=self.call.idea_word_limit),
            ]
            if i > 1:
                parts.append(
                    HTML(
                        format_html(
                            '<button type="submit" name="action" value="remove_idea_{}" '
                            'class="govuk-button govuk-button--secondary" data-module="govuk-button">'
                            'Remove<span class="govuk-visually-hidden"> idea {}</span></button>',
                            i,
                            i,
                        )
                    )
                )
            items.append(Fieldset(*parts, legend=f"Idea {i}", legend_size=Size.MEDIUM, css_id=f"idea-{i}"))
        return Layout(*items)

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            limit = getattr(field, "word_limit", None)
            if limit and name in cleaned and count_words(cleaned[name]) > limit:
                self.add_error(name, field.word_message)
        if self.call.is_ideas:
            self._clean_ideas(cleaned)
        return cleaned

    def _clean_ideas(self, cleaned):
        limit = self.call.idea_word_limit
        ideas = []
        for i in range(1, self.idea_slots + 1):
            title_name, body_name = f"idea_title_{i}", f"idea_body_{i}"
            title_bad, body_bad = title_name in self.errors, body_name in self.errors
            title, body = cleaned.get(title_name, ""), cleaned.get(body_name, "")
            if i > 1 and not (title or body or title_bad or body_bad):
                continue  # an extra idea left empty: nothing to keep
            if not title and not title_bad:
                self.add_error(title_name, f"Enter a title for idea {i}")
            if not body and not body_bad:
                self.add_error(body_name, f"Describe idea {i}")
            elif body and count_words(body) > limit:
                self.add_error(body_name, f"Idea {i} must be {limit} words or fewer")
            if title and body:
                ideas.append({"title": title, "body": body})
        cleaned["ideas"] = ideas

    def answers(self):
        """Question pk -> text or list of choices, for the questions answered."""
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(self.question_field(question))
            if value:
                result[question.pk] = value
        return result


class AttachmentForm(JourneyForm):
    file = forms.FileField(
        label="Upload a file",
        required=False,
        error_messages={
            "invalid": "The selected file could not be uploaded. Try again",
            "missing": "The selected file could not be uploaded. Try again",
            "empty": "The selected file is empty",
            "max_length": "The name of the selected file is too long",
            "contradiction": "Select a file",
        },
    )

    def get_layout(self):
        return Layout(Field("file", context={"label_size": Size.for_label(Size.MEDIUM)}))


class PublicationForm(JourneyForm):
    publication = forms.ChoiceField(
        label="Can we publish your response?",
        widget=forms.RadioSelect,
        choices=[
            Choice(
                Submission.Publication.WITH_NAME,
                "Yes, with my name",
                hint="We show your name, or your organisation's name, next to your response.",
            ),
            Choice(
                Submission.Publication.ANONYMOUS,
                "Yes, without my name",
                hint="We publish what you wrote but not who you are.",
            ),
            Choice(
                Submission.Publication.DO_NOT_PUBLISH,
                "No, do not publish it",
                hint="Only the review team will read it.",
            ),
        ],
        error_messages={
            "required": "Select whether we can publish your response",
            "invalid_choice": "Select whether we can publish your response",
        },
    )
    consent = forms.BooleanField(
        label="I have read the privacy notice and I agree to the review keeping my response as it explains",
        error_messages={"required": "Confirm that you have read the privacy notice and agree to it"},
    )

    def __init__(self, *args, call, **kwargs):
        self.call = call
        super().__init__(*args, **kwargs)
        if not call.responses_may_be_published:
            del self.fields["publication"]
        self.helper.layout = self.get_layout()

    def get_layout(self):
        if not hasattr(self, "call"):
            return Layout()
        items = []
        if "publication" in self.fields:
            items.append(Field.radios("publication", legend_size=Size.MEDIUM))
        items.append(Field.checkbox("consent"))
        return Layout(*items)

    def clean(self):
        cleaned = super().clean()
        if "publication" not in self.fields:
            cleaned["publication"] = Submission.Publication.DO_NOT_PUBLISH
        return cleaned


class SubmitForm(JourneyForm):
    """The Submit button on the check answers page: the journey's token and the second honeypot."""

    journey_token = forms.UUIDField(
        widget=forms.HiddenInput, error_messages={"required": "Try again", "invalid": "Try again"}
    )
    website = forms.CharField(required=False)

    def get_layout(self):
        return Layout()
