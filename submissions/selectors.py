"""Reads about responses that views, the admin, commands and services share. Writes are in services/."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, QuerySet
from django.db.models.functions import TruncDate

from consultations.models import Call
from outbox.models import EmailJob

from .emails import RECEIPT
from .models import Answer, Idea, Submission
from .privacy import Finding, find_personal_data, fingerprint

# What the public page never loads, so no template can show it by mistake.
PRIVATE_FIELDS = [
    "email",
    "journey_token",
    "rejection_reason",
    "moderation_note",
    "receipt_sent_at",
    "consented_at",
]


# What the public may see


def published_responses(*, call: Call) -> QuerySet[Submission]:
    """A call's responses the public may read (Submission.objects.publishable()), oldest first, without private
    fields and with only the answers and ideas that are shown."""
    if not call.responses_may_be_published:
        return Submission.objects.none()
    answers = Answer.objects.select_related("question").only(
        "id", "submission_id", "text", "selected", "redacted_text", "question__prompt", "question__position"
    )
    ideas = Idea.objects.filter(withheld=False).only(
        "id", "submission_id", "position", "title", "body", "redacted_title", "redacted_body", "withheld"
    )
    return (
        Submission.objects.publishable()
        .filter(call=call)
        .defer(*PRIVATE_FIELDS)
        .prefetch_related(Prefetch("answers", queryset=answers), Prefetch("ideas", queryset=ideas))
        .order_by("submitted_at", "id")
    )


# What is due for retention, and whose data a request is about


def retention_due_calls(*, now: datetime.datetime) -> list[Call]:
    """Calls with a retention period that closed more than retention_days ago."""
    calls = Call.objects.closed(now).filter(retention_days__isnull=False).order_by("closes_at", "id")
    return [call for call in calls if call.closes_at + datetime.timedelta(days=call.retention_days) <= now]


def retention_due_responses(*, call: Call) -> QuerySet[Submission]:
    """A due call's responses that still hold personal data."""
    return Submission.objects.filter(call=call, personal_data_removed_at__isnull=True)


def responses_from(*, email: str) -> QuerySet[Submission]:
    """Every response sent from this address, whatever its case."""
    return Submission.objects.filter(email__iexact=email.strip())


# What the dashboard counts: one aggregate query each, however many responses there are


def response_counts_by_status() -> QuerySet:
    """Rows of call_id, status and count."""
    return Submission.objects.order_by().values("call_id", "status").annotate(count=Count("id"))


def response_counts_by_type() -> QuerySet:
    """Rows of call_id, respondent_type and count."""
    return Submission.objects.order_by().values("call_id", "respondent_type").annotate(count=Count("id"))


def response_counts_by_day(*, tz: datetime.tzinfo) -> QuerySet:
    """Rows of call_id, day (the date in `tz`) and count."""
    return (
        Submission.objects.order_by()
        .annotate(day=TruncDate("submitted_at", tzinfo=tz))
        .values("call_id", "day")
        .annotate(count=Count("id"))
    )


def pending_counts() -> QuerySet:
    """Rows of call_id, count and oldest (when the oldest pending response arrived)."""
    return (
        Submission.objects.order_by()
        .filter(status=Submission.Status.PENDING)
        .values("call_id")
        .annotate(count=Count("id"), oldest=Min("submitted_at"))
    )


# Receipts


def receipts_never_queued() -> QuerySet[Submission]:
    """Responses with an address and no receipt sent or queued: stored before the outbox, or by hand."""
    jobs = EmailJob.objects.filter(kind=RECEIPT, subject_id=OuterRef("pk"))
    return Submission.objects.receipt_pending().filter(~Exists(jobs)).order_by("submitted_at", "pk")


def receipt_job(*, submission: Submission) -> EmailJob | None:
    """The receipt's job in the outbox, with its attempts and last error; None if it was never queued."""
    return EmailJob.objects.filter(kind=RECEIPT, subject_id=submission.pk).first()


# Publishing safely


@dataclass(frozen=True)
class PublicText:
    """One piece of a response the public could read, as sent and as it would be published."""

    key: str  # "answer-12", "idea-title-3", "idea-body-3": the moderation form's field for its public version
    where: str  # for people: "Answer to “What would you change?”", "Idea 2, title"
    original: str
    public: str


def public_texts(*, submission: Submission) -> list[PublicText]:
    """Every free-text answer, and the title and body of every idea not withheld, in the order the page shows them."""
    texts = []
    for answer in submission.answers.select_related("question").order_by("question__position", "question_id"):
        if answer.text:
            where = f"Answer to “{answer.question.prompt}”"
            texts.append(PublicText(f"answer-{answer.pk}", where, answer.text, answer.public_text))
    for idea in submission.ideas.filter(withheld=False).order_by("position"):
        texts.append(PublicText(f"idea-title-{idea.pk}", f"Idea {idea.position}, title", idea.title, idea.public_title))
        texts.append(PublicText(f"idea-body-{idea.pk}", f"Idea {idea.position}", idea.body, idea.public_body))
    return texts


def kept_details(*, submission: Submission) -> set[tuple[str, str]]:
    """(kind, fingerprint) of each possible personal detail a moderator chose to publish as written."""
    return set(submission.kept_personal_data.values_list("kind", "text_hash"))


def personal_data_unresolved(*, submission: Submission) -> list[tuple[PublicText, Finding]]:
    """Possible personal details still in what would be published, that no moderator has marked "keep"."""
    kept = kept_details(submission=submission)
    return [
        (text, finding)
        for text in public_texts(submission=submission)
        for finding in find_personal_data(text.public)
        if (finding.kind, fingerprint(finding.text)) not in kept
    ]


def next_pending(*, call_id: int | None = None, exclude: int | None = None) -> Submission | None:
    """The oldest response still waiting for a moderator, in one call if given: how a queue is walked."""
    pending = Submission.objects.filter(status=Submission.Status.PENDING)
    if call_id is not None:
        pending = pending.filter(call_id=call_id)
    if exclude is not None:
        pending = pending.exclude(pk=exclude)
    return pending.order_by("submitted_at", "id").only("pk").first()
