"""The moderation panel: a response's status and flag, and the public version of every text, built around the possible
personal details found in it.

Each free-text answer, idea title and idea body is a block: the original with every finding highlighted, a "Keep as
written" box per finding, and its public version, which starts as the original with each finding not kept replaced
by a placeholder ("[name removed]"). The moderator keeps or undoes them one by one, and edits the text freely.
"""

from dataclasses import dataclass, field

from django import forms
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from .models import Submission
from .privacy import Finding, find_personal_data, fingerprint, redact
from .selectors import kept_details
from .services.moderation import STALE_MESSAGE


@dataclass
class TextBlock:
    """One text a moderator publishes or not: its original, its findings, and the form fields that decide them."""

    key: str  # "answer-12", "idea-title-3", "idea-body-3"
    where: str
    original: str
    saved_public: str  # the stored public version; "" means "as sent"
    single_line: bool = False
    findings: list[Finding] = field(default_factory=list)
    kept: list[bool] = field(default_factory=list)

    @property
    def public_field(self):
        return f"public-{self.key}"

    def keep_field(self, index):
        return f"keep-{self.key}-{index}"

    def default_public(self, kept):
        """The original with every finding not kept replaced by its placeholder."""
        return redact(self.original, [f for f, keep in zip(self.findings, kept, strict=True) if not keep])

    def highlighted(self):
        """The original as safe HTML, each finding marked with its kind (everything the respondent wrote escaped)."""
        parts, position = [], 0
        for index, finding in enumerate(self.findings):
            parts.append(escape(self.original[position : finding.start]))
            parts.append(
                format_html(
                    '<mark class="pd" id="{}-finding-{}">{}<span class="pd-kind"> ({})</span></mark>',
                    self.key,
                    index,
                    finding.text,
                    finding.label.lower(),
                )
            )
            position = finding.end
        parts.append(escape(self.original[position:]))
        return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - every piece escaped above


def text_blocks(submission: Submission) -> list[TextBlock]:
    """Every answer with text, then each idea's title and body (withheld ones too: they may be released)."""
    blocks = []
    for answer in submission.answers.select_related("question").order_by("question__position", "question_id"):
        if answer.text:
            where = f"Answer to “{answer.question.prompt}”"
            blocks.append(TextBlock(f"answer-{answer.pk}", where, answer.text, answer.redacted_text))
    for idea in submission.ideas.order_by("position"):
        where = f"Idea {idea.position}"
        blocks.append(TextBlock(f"idea-title-{idea.pk}", f"{where}, title", idea.title, idea.redacted_title, True))
        blocks.append(TextBlock(f"idea-body-{idea.pk}", where, idea.body, idea.redacted_body))
    kept = kept_details(submission=submission)
    for block in blocks:
        block.findings = find_personal_data(block.original)
        block.kept = [(finding.kind, fingerprint(finding.text)) in kept for finding in block.findings]
    return blocks


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(label="Status", choices=[])
    reason = forms.CharField(
        label="Reason for rejecting",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when the status is Rejected. Staff only: the respondent does not see it.",
    )
    note = forms.CharField(
        label="Moderation note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For other staff. Kept in the moderation history.",
    )
    flag = forms.BooleanField(
        label="Safeguarding concern",
        required=False,
        help_text="A flagged response is never published, and the safeguarding leads are emailed a link to it.",
    )
    seen_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, submission: Submission, can_unflag: bool, safeguarding_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.submission = submission
        self.safeguarding_only = safeguarding_only
        self.fields["note"].initial = submission.moderation_note
        self.fields["flag"].initial = submission.safeguarding_flag
        self.fields["seen_version"].initial = submission.version
        if submission.safeguarding_flag and not can_unflag:
            self.fields["flag"].disabled = True
            self.fields["flag"].help_text = "Only a safeguarding lead can remove the flag."
        if safeguarding_only:
            del self.fields["decision"], self.fields["reason"]
            self.blocks, self.ideas = [], []
            return
        statuses = [(value, label) for value, label in Submission.Status.choices if value != Submission.Status.PENDING]
        if submission.status == Submission.Status.PENDING:
            statuses.insert(0, (Submission.Status.PENDING, "Pending (not moderated yet)"))
        self.fields["decision"].choices = statuses
        self.fields["decision"].initial = submission.status
        self.fields["reason"].initial = submission.rejection_reason
        self.blocks = text_blocks(submission)
        for block in self.blocks:
            for index, kept in enumerate(block.kept):
                self.fields[block.keep_field(index)] = forms.BooleanField(
                    label="Keep as written", required=False, initial=kept
                )
            widget = forms.TextInput() if block.single_line else forms.Textarea(attrs={"rows": 4})
            widget.attrs.update({"data-original": block.original, "class": "moderation-public"})
            self.fields[block.public_field] = forms.CharField(
                label=f"Public version: {block.where.lower()}",
                required=False,
                strip=False,
                widget=widget,
                initial=block.saved_public or block.default_public(block.kept),
                max_length=150 if block.single_line else None,
            )
        self.ideas = list(submission.ideas.order_by("position"))
        for idea in self.ideas:
            self.fields[f"withheld-{idea.pk}"] = forms.BooleanField(
                label="Withhold this idea from the public page", required=False, initial=idea.withheld
            )

    def panel(self):
        """The status, reason, note and flag, as bound fields, for the panel at the end of the screen."""
        return [self[name] for name in ("decision", "reason", "note", "flag") if name in self.fields]

    def sections(self):
        """What the template shows, in order: each answer, then each idea, with its blocks' bound fields."""
        by_key = {block.key: block for block in self.blocks}

        def shown(block):
            findings = [
                {"finding": finding, "keep": self[block.keep_field(index)], "index": index}
                for index, finding in enumerate(block.findings)
            ]
            return {"block": block, "findings": findings, "public": self[block.public_field]}

        sections = []
        for answer in self.submission.answers.select_related("question").order_by("question__position"):
            block = by_key.get(f"answer-{answer.pk}")
            sections.append({"answer": answer, "blocks": [shown(block)] if block else []})
        for idea in self.ideas:
            blocks = [shown(by_key[f"idea-title-{idea.pk}"]), shown(by_key[f"idea-body-{idea.pk}"])]
            sections.append({"idea": idea, "blocks": blocks, "withheld": self[f"withheld-{idea.pk}"]})
        return sections

    def rebuilt_from_choices(self):
        """The posted data with every public version rebuilt from the Keep boxes (the no-JavaScript "update")."""
        data = self.data.copy()
        for block in self.blocks:
            kept = [bool(self.data.get(self.add_prefix(block.keep_field(i)))) for i in range(len(block.findings))]
            data[self.add_prefix(block.public_field)] = block.default_public(kept)
        return data

    def clean(self):
        cleaned = super().clean()
        current = Submission.objects.filter(pk=self.submission.pk).values_list("version", flat=True).first()
        if cleaned.get("seen_version") is not None and cleaned["seen_version"] != current:
            raise forms.ValidationError(STALE_MESSAGE, code="stale")
        if self.safeguarding_only:
            return cleaned
        if cleaned.get("decision") == Submission.Status.REJECTED and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Enter the reason for rejecting this response")
        pending = Submission.Status.PENDING
        if cleaned.get("decision") == pending and self.submission.status != pending:
            self.add_error("decision", "A moderated response cannot be put back to pending")
        return cleaned

    def changes(self) -> dict:
        """The cleaned form as arguments for services.moderation.submission_moderate."""
        data = self.cleaned_data
        changes = {
            "status": data.get("decision") or self.submission.status,
            "reason": data.get("reason", ""),
            "note": (data.get("note") or "").strip(),
            "safeguarding_flag": data.get("flag"),
        }
        if self.safeguarding_only:
            return changes
        answers, bodies, titles, keep, release = {}, {}, {}, [], []
        for block in self.blocks:
            public = data.get(block.public_field) or ""
            # The original itself is stored as "" (as sent), so a later fix of the original shows through.
            stored = "" if public.strip() == block.original.strip() else public.strip()
            kind, pk = block.key.rsplit("-", 1)
            {"answer": answers, "idea-body": bodies, "idea-title": titles}[kind][int(pk)] = stored
            for index, finding in enumerate(block.findings):
                wanted = bool(data.get(block.keep_field(index)))
                if wanted != block.kept[index]:
                    (keep if wanted else release).append((finding.kind, finding.text))
        withheld = {idea.pk: bool(data.get(f"withheld-{idea.pk}")) for idea in self.ideas}
        return changes | {
            "answers": answers,
            "ideas": bodies,
            "titles": titles,
            "withheld": withheld,
            "keep": keep,
            "release": release,
        }
