"""Retention and data rights: removing personal data when a call's retention period ends, erasing one person's
data on request, and exporting everything held about them (a subject access request).

Names, email addresses, organisation names and attachments go; answers and ideas stay, so what people said still
counts. Every run, dry or real, leaves a DataRightsEvent that names the person only by a hash of their address.
"""

import dataclasses
import datetime
import hashlib

from django.db import transaction
from django.db.models import Case, QuerySet, Value, When
from django.utils import timezone

from core.data_rights import holders
from outbox.services import email_jobs_forget_errors

from .. import selectors, uploads
from ..emails import RECEIPT
from ..models import Attachment, DataRightsEvent, Submission

REMOVED_ORGANISATION = "[removed]"


def email_hash(email: str) -> str:
    """SHA-256 of the lower-cased address: lets an audit entry be matched to a later request, without the address."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _delete_attachments(submissions: QuerySet) -> int:
    """Delete the attachment rows of these responses now, and their files once the transaction commits."""
    attachments = Attachment.objects.filter(submission__in=submissions)
    stored_names = list(attachments.values_list("stored_name", flat=True))
    attachments.delete()

    def delete_files():
        for stored_name in stored_names:
            uploads.delete_stored(stored_name)

    transaction.on_commit(delete_files)
    return len(stored_names)


def _blank_personal_data(submissions: QuerySet, *, now: datetime.datetime) -> int:
    """Blank the contact details of these responses; an organisation keeps a placeholder name (a constraint)."""
    # A failed receipt's error can quote the address back.
    email_jobs_forget_errors(kind=RECEIPT, subject_ids=submissions.values("pk"))
    return submissions.update(
        name="",
        email="",
        organisation_name=Case(
            When(respondent_type=Submission.RespondentType.ORGANISATION, then=Value(REMOVED_ORGANISATION)),
            default=Value(""),
        ),
        personal_data_removed_at=now,
    )


@transaction.atomic
def submission_remove_personal_data(*, submission: Submission, now: datetime.datetime) -> int:
    """Remove one response's name, contact details and attachments; its answers and ideas stay."""
    one = Submission.objects.filter(pk=submission.pk)
    attachments = _delete_attachments(one)
    _blank_personal_data(one, now=now)
    submission.refresh_from_db()
    return attachments


@dataclasses.dataclass
class DataRightsResult:
    responses: int = 0
    attachments: int = 0
    subscribers: int = 0
    dry_run: bool = False
    calls: list = dataclasses.field(default_factory=list)
    event: DataRightsEvent | None = None


@transaction.atomic
def retention_apply(*, now: datetime.datetime, dry_run: bool, actor: str) -> DataRightsResult:
    """Remove personal data from every response whose call's retention period has ended."""
    result = DataRightsResult(dry_run=dry_run)
    for call in selectors.retention_due_calls(now=now):
        due = selectors.retention_due_responses(call=call)
        responses = due.count()
        attachments = Attachment.objects.filter(submission__in=due).count()
        if responses and not dry_run:
            attachments = _delete_attachments(due)
            _blank_personal_data(due, now=now)
        result.calls.append((call, responses, attachments))
        result.responses += responses
        result.attachments += attachments
    result.event = DataRightsEvent.objects.create(
        action=DataRightsEvent.Action.RETENTION,
        actor=actor,
        created_at=now,
        records_affected=result.responses,
        dry_run=dry_run,
        detail="; ".join(
            f"{call.title}: {responses} responses, {attachments} attachments"
            for call, responses, attachments in result.calls
        )
        or "No call is past its retention period.",
    )
    return result


@transaction.atomic
def respondent_erase(
    *,
    email: str,
    actor: str,
    dry_run: bool,
    delete_responses: bool = False,
    now: datetime.datetime | None = None,
) -> DataRightsResult:
    """Erase one person's personal data from all their responses (or the responses themselves) and unsubscribe them."""
    now = now or timezone.now()
    responses = selectors.responses_from(email=email)
    result = DataRightsResult(
        dry_run=dry_run,
        responses=responses.count(),
        attachments=Attachment.objects.filter(submission__in=responses).count(),
        # What other apps hold about the address (an email-updates subscription): core.data_rights.
        subscribers=sum(holder.count(email) for holder in holders()),
    )
    if not dry_run:
        pks = list(responses.values_list("pk", flat=True))
        affected = Submission.objects.filter(pk__in=pks)
        _delete_attachments(affected)
        if delete_responses:
            email_jobs_forget_errors(kind=RECEIPT, subject_ids=pks)
            affected.delete()
        else:
            _blank_personal_data(affected, now=now)
        for holder in holders():
            holder.erase(email)
    result.event = DataRightsEvent.objects.create(
        action=DataRightsEvent.Action.ERASURE,
        actor=actor,
        created_at=now,
        email_hash=email_hash(email),
        records_affected=result.responses,
        dry_run=dry_run,
        detail=(
            f"{result.responses} responses {'deleted' if delete_responses else 'kept without personal data'}, "
            f"{result.attachments} attachments deleted, {result.subscribers} email subscriptions deleted"
        ),
    )
    return result


def _isoformat(value):
    return timezone.localtime(value).isoformat() if value else None


@transaction.atomic
def respondent_export(*, email: str, actor: str, now: datetime.datetime | None = None) -> dict:
    """Everything held about one email address, as plain data for a subject access request."""
    now = now or timezone.now()
    responses = (
        selectors.responses_from(email=email)
        .select_related("call")
        .prefetch_related("answers__question", "ideas", "attachments")
        .order_by("submitted_at", "id")
    )
    data = {
        "email": email.strip(),
        "generated_at": _isoformat(now),
        "responses": [
            {
                "reference": response.reference,
                "call": response.call.title,
                "submitted_at": _isoformat(response.submitted_at),
                "consented_at": _isoformat(response.consented_at),
                "respondent_type": response.get_respondent_type_display(),
                "name": response.name,
                "organisation_name": response.organisation_name,
                "email": response.email,
                "publication": response.get_publication_display(),
                "status": response.get_status_display(),
                "rejection_reason": response.rejection_reason,
                # Staff's own notes: review before sending, as an exemption may apply.
                "staff_notes": {
                    "moderation_note": response.moderation_note,
                    "safeguarding_flag": response.safeguarding_flag,
                },
                "answers": [
                    {
                        "question": answer.question.prompt,
                        "answer": "; ".join(str(choice) for choice in answer.selected)
                        if answer.selected
                        else answer.text,
                    }
                    for answer in response.answers.all()
                ],
                "ideas": [
                    {"title": idea.title, "idea": idea.body, "withheld": idea.withheld} for idea in response.ideas.all()
                ],
                "attachments": [
                    {
                        "name": attachment.original_name,
                        "size": attachment.size,
                        "content_type": attachment.content_type,
                        "uploaded_at": _isoformat(attachment.created_at),
                    }
                    for attachment in response.attachments.all()
                ],
            }
            for response in responses
        ],
    }
    for holder in holders():
        data[holder.name] = holder.export(email)
    DataRightsEvent.objects.create(
        action=DataRightsEvent.Action.ACCESS_EXPORT,
        actor=actor,
        created_at=now,
        email_hash=email_hash(email),
        records_affected=len(data["responses"]) + sum(bool(data[holder.name]) for holder in holders()),
    )
    return data
