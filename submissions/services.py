"""Writes to responses. Views, admin actions and commands all go through these functions."""

import dataclasses
import datetime
import hashlib
import logging
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from consultations.models import Call
from core.closure import site_is_closed
from pages.models import Subscriber
from submissions.outbox.models import EmailJob
from submissions.outbox.services import email_job_claim, email_job_enqueue, email_job_run, worker_name

from . import uploads
from .models import Answer, Attachment, DataRightsEvent, Idea, ModerationEvent, Submission

logger = logging.getLogger(__name__)

# Moderation ------------------------------------------------------------------------------------------------

SAFEGUARDING_GROUP = "Safeguarding leads"
STALE_MESSAGE = "Someone else changed this response while you were looking at it. Reload it to see their change."


class StaleModeration(Exception):
    """The response changed after the moderator loaded it; acting now would overwrite someone else's work."""

    def __init__(self, message=STALE_MESSAGE):
        super().__init__(message)


class ModerationError(ValueError):
    """A moderation request that cannot be carried out as asked, with a message for the moderator."""


def _lock(submission, expected_version):
    """Lock the row for this transaction and refuse to act on a version other than the one the moderator saw."""
    locked = Submission.objects.select_for_update().select_related("call").get(pk=submission.pk)
    if expected_version is not None and int(expected_version) != locked.version:
        raise StaleModeration()
    return locked


def _record(locked, *, actor, action, from_status, from_flag, note=""):
    """Save the locked row with a new version and write the audit entry for the change."""
    locked.version += 1
    locked.save()
    ModerationEvent.objects.create(
        submission=locked,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        from_status=from_status,
        to_status=locked.status,
        from_flag=from_flag,
        to_flag=locked.safeguarding_flag,
        note=note,
    )


def _refresh(submission, locked):
    """Copy the saved state back onto the caller's instance, so it does not hold a stale version."""
    for field in ("status", "rejection_reason", "moderation_note", "safeguarding_flag", "version"):
        setattr(submission, field, getattr(locked, field))
    return submission


def _set_status(*, submission, actor, status, action, expected_version, note, reason=""):
    with transaction.atomic():
        locked = _lock(submission, expected_version)
        from_status, from_flag = locked.status, locked.safeguarding_flag
        locked.status = status
        # The reason belongs to a rejection; it goes when the response is approved or set aside as spam.
        locked.rejection_reason = reason
        if note:
            locked.moderation_note = note
        history_note = f"Reason: {reason}\n{note}".strip() if reason else note
        _record(locked, actor=actor, action=action, from_status=from_status, from_flag=from_flag, note=history_note)
    return _refresh(submission, locked)


def submission_approve(*, submission, actor, expected_version=None, note=""):
    """Approve a response. It is published only if it is also publishable (not flagged, the respondent agreed)."""
    return _set_status(
        submission=submission,
        actor=actor,
        status=Submission.Status.APPROVED,
        action=ModerationEvent.Action.APPROVED,
        expected_version=expected_version,
        note=note,
    )


def submission_reject(*, submission, actor, reason, expected_version=None, note=""):
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError("Enter the reason for rejecting this response")
    return _set_status(
        submission=submission,
        actor=actor,
        status=Submission.Status.REJECTED,
        action=ModerationEvent.Action.REJECTED,
        expected_version=expected_version,
        note=note,
        reason=reason,
    )


def submission_mark_spam(*, submission, actor, expected_version=None, note=""):
    return _set_status(
        submission=submission,
        actor=actor,
        status=Submission.Status.SPAM,
        action=ModerationEvent.Action.SPAM,
        expected_version=expected_version,
        note=note,
    )


def _set_safeguarding_flag(*, submission, actor, note, expected_version, flagged):
    with transaction.atomic():
        locked = _lock(submission, expected_version)
        if locked.safeguarding_flag == flagged:
            return _refresh(submission, locked)
        from_status = locked.status
        locked.safeguarding_flag = flagged
        if note:
            locked.moderation_note = note
        _record(
            locked,
            actor=actor,
            action=ModerationEvent.Action.FLAGGED if flagged else ModerationEvent.Action.UNFLAGGED,
            from_status=from_status,
            from_flag=not flagged,
            note=note,
        )
        if flagged:
            # Queued with the flag, sent by the worker (outbox): a mail server that is down cannot undo the flag,
            # and a flag that rolls back sends no alert.
            email_job_enqueue(kind=EmailJob.Kind.SAFEGUARDING_ALERT, submission_id=locked.pk)
    return _refresh(submission, locked)


def submission_flag_safeguarding(*, submission, actor, note, expected_version=None):
    """Flag a response for the safeguarding leads: it leaves public view and the leads are emailed."""
    return _set_safeguarding_flag(
        submission=submission, actor=actor, note=note, expected_version=expected_version, flagged=True
    )


def submission_unflag_safeguarding(*, submission, actor, note, expected_version=None):
    return _set_safeguarding_flag(
        submission=submission, actor=actor, note=note, expected_version=expected_version, flagged=False
    )


def submission_redact(*, submission, actor, answers=None, ideas=None, expected_version=None, note=""):
    """Set the public text of answers ({answer id: text}) and ideas ({idea id: text}); the originals stay as sent.

    An empty text means the original is shown. Nothing is written, and no entry recorded, if nothing changed.
    """
    answers = {int(key): (value or "").strip() for key, value in (answers or {}).items()}
    ideas = {int(key): (value or "").strip() for key, value in (ideas or {}).items()}
    with transaction.atomic():
        locked = _lock(submission, expected_version)
        changed = []
        for answer in locked.answers.filter(pk__in=answers):
            if answer.redacted_text != answers[answer.pk]:
                answer.redacted_text = answers[answer.pk]
                answer.save(update_fields=["redacted_text"])
                changed.append(f"answer to “{answer.question.prompt}”")
        for idea in locked.ideas.filter(pk__in=ideas):
            if idea.redacted_body != ideas[idea.pk]:
                idea.redacted_body = ideas[idea.pk]
                idea.save(update_fields=["redacted_body"])
                changed.append(f"idea “{idea.title}”")
        if changed:
            detail = "Public text edited: " + "; ".join(changed) + "."
            _record(
                locked,
                actor=actor,
                action=ModerationEvent.Action.REDACTED,
                from_status=locked.status,
                from_flag=locked.safeguarding_flag,
                note=f"{detail} {note}".strip(),
            )
    return _refresh(submission, locked)


def idea_set_withheld(*, idea, actor, withheld, expected_version=None, note=""):
    """Withhold one idea from the public page (or show it again); the rest of the response is unaffected."""
    with transaction.atomic():
        locked = _lock(idea.submission, expected_version)
        current = Idea.objects.select_for_update().get(pk=idea.pk, submission=locked)
        if current.withheld == bool(withheld):
            idea.withheld = current.withheld
            return idea
        current.withheld = bool(withheld)
        current.save(update_fields=["withheld"])
        action = ModerationEvent.Action.IDEA_WITHHELD if withheld else ModerationEvent.Action.IDEA_RELEASED
        _record(
            locked,
            actor=actor,
            action=action,
            from_status=locked.status,
            from_flag=locked.safeguarding_flag,
            note=f"Idea “{current.title}”. {note}".strip(),
        )
    idea.withheld = current.withheld
    _refresh(idea.submission, locked)
    return idea


def submission_moderate(
    *,
    submission,
    actor,
    expected_version,
    status,
    reason="",
    note="",
    safeguarding_flag=None,
    answers=None,
    ideas=None,
    withheld=None,
):
    """Everything the moderation panel can change, in one transaction checked against one version.

    Only what differs from the stored response is changed, each through its own service, so every change
    has its own audit entry. `withheld` maps idea id to True/False.
    """
    with transaction.atomic():
        locked = _lock(submission, expected_version)
        if answers or ideas:
            submission_redact(submission=locked, actor=actor, answers=answers, ideas=ideas)
        for idea in locked.ideas.filter(pk__in=list(withheld or {})):
            if idea.withheld != bool(withheld[idea.pk]):
                idea_set_withheld(idea=idea, actor=actor, withheld=withheld[idea.pk])
        if safeguarding_flag is not None and bool(safeguarding_flag) != locked.safeguarding_flag:
            service = submission_flag_safeguarding if safeguarding_flag else submission_unflag_safeguarding
            service(submission=locked, actor=actor, note=note)
        reason = (reason or "").strip()
        status_changed = status != locked.status or (
            status == Submission.Status.REJECTED and reason != locked.rejection_reason
        )
        if status_changed:
            if status == Submission.Status.APPROVED:
                submission_approve(submission=locked, actor=actor, note=note)
            elif status == Submission.Status.REJECTED:
                submission_reject(submission=locked, actor=actor, reason=reason, note=note)
            elif status == Submission.Status.SPAM:
                submission_mark_spam(submission=locked, actor=actor, note=note)
            else:
                raise ModerationError("A response cannot be put back to pending")
        elif note and note != locked.moderation_note:
            Submission.objects.filter(pk=locked.pk).update(moderation_note=note, version=F("version") + 1)
        # Withholding an idea saved through the idea's own copy of the row: read the final state back.
        locked.refresh_from_db()
    return _refresh(submission, locked)


def safeguarding_recipients():
    """The safeguarding leads with an email address, and the addresses in settings.SAFEGUARDING_EMAILS."""
    users = get_user_model().objects.filter(groups__name=SAFEGUARDING_GROUP, is_active=True).exclude(email="")
    addresses = {email.strip().lower(): email.strip() for email in users.values_list("email", flat=True)}
    for email in getattr(settings, "SAFEGUARDING_EMAILS", []):
        addresses.setdefault(email.strip().lower(), email.strip())
    return sorted(addresses.values(), key=str.lower)


def safeguarding_alert_send(*, submission_id):
    """Tell the leads a response needs attention. Only a link: the response and its respondent stay in the console."""
    recipients = safeguarding_recipients()
    if not recipients:
        logger.warning("Response %s was flagged for safeguarding but no one is set up to be told", submission_id)
        return 0
    submission = Submission.objects.only("reference").get(pk=submission_id)
    link = settings.SITE_URL + reverse("admin:submissions_safeguardingqueue_change", args=[submission_id])
    body = (
        "A response to the review has been flagged for safeguarding and needs your attention.\n\n"
        f"Reference: {submission.reference}\n\n"
        f"Open it in the staff console (you will need to sign in):\n{link}\n\n"
        "This email does not include what the respondent wrote or their details. Please read them in the "
        "console rather than forwarding this message.\n"
    )
    return send_mail(
        "A response needs safeguarding attention",
        body,
        settings.DEFAULT_FROM_EMAIL,
        recipients,
        fail_silently=False,
    )


# --- Retention and data rights --------------------------------------------------------------------------------------
# Names, email addresses, organisation names and attachments go; answers and ideas stay, so what people said still
# counts. Every run, dry or real, leaves a DataRightsEvent that names the person only by a hash of their address.

REMOVED_ORGANISATION = "[removed]"


def email_hash(email):
    """SHA-256 of the lower-cased address: lets an audit entry be matched to a later request, without the address."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _delete_attachments(submissions):
    """Delete the attachment rows of these responses now, and their files once the transaction commits."""
    attachments = Attachment.objects.filter(submission__in=submissions)
    stored_names = list(attachments.values_list("stored_name", flat=True))
    attachments.delete()

    def delete_files():
        for stored_name in stored_names:
            uploads.delete_stored(stored_name)

    transaction.on_commit(delete_files)
    return len(stored_names)


def _blank_personal_data(submissions, *, now):
    """Blank the contact details of these responses; an organisation keeps a placeholder name (a constraint)."""
    return submissions.update(
        name="",
        email="",
        organisation_name=Case(
            When(respondent_type=Submission.RespondentType.ORGANISATION, then=Value(REMOVED_ORGANISATION)),
            default=Value(""),
        ),
        # A failed send can quote the address back.
        receipt_last_error="",
        personal_data_removed_at=now,
    )


@transaction.atomic
def submission_remove_personal_data(*, submission, now):
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


def retention_due_calls(*, now):
    """Calls with a retention period that closed more than retention_days ago."""
    calls = Call.objects.closed(now).filter(retention_days__isnull=False).order_by("closes_at", "id")
    return [call for call in calls if call.closes_at + datetime.timedelta(days=call.retention_days) <= now]


@transaction.atomic
def retention_apply(*, now, dry_run, actor):
    """Remove personal data from every response whose call's retention period has ended."""
    result = DataRightsResult(dry_run=dry_run)
    for call in retention_due_calls(now=now):
        due = Submission.objects.filter(call=call, personal_data_removed_at__isnull=True)
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


def _responses_for(email):
    return Submission.objects.filter(email__iexact=email.strip())


@transaction.atomic
def respondent_erase(*, email, actor, dry_run, delete_responses=False, now=None):
    """Erase one person's personal data from all their responses (or the responses themselves) and unsubscribe them."""
    now = now or timezone.now()
    responses = _responses_for(email)
    subscribers = Subscriber.objects.filter(email__iexact=email.strip())
    result = DataRightsResult(
        dry_run=dry_run,
        responses=responses.count(),
        attachments=Attachment.objects.filter(submission__in=responses).count(),
        subscribers=subscribers.count(),
    )
    if not dry_run:
        pks = list(responses.values_list("pk", flat=True))
        affected = Submission.objects.filter(pk__in=pks)
        _delete_attachments(affected)
        if delete_responses:
            affected.delete()
        else:
            _blank_personal_data(affected, now=now)
        subscribers.delete()
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
def respondent_export(*, email, actor, now=None):
    """Everything held about one email address, as plain data for a subject access request."""
    now = now or timezone.now()
    responses = (
        _responses_for(email)
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
        "subscriber": None,
    }
    subscriber = Subscriber.objects.filter(email__iexact=email.strip()).first()
    if subscriber is not None:
        data["subscriber"] = {
            "email": subscriber.email,
            "signed_up_at": _isoformat(subscriber.created_at),
            "confirmed_at": _isoformat(subscriber.confirmed_at),
            "unsubscribed_at": _isoformat(subscriber.unsubscribed_at),
        }
    DataRightsEvent.objects.create(
        action=DataRightsEvent.Action.ACCESS_EXPORT,
        actor=actor,
        created_at=now,
        email_hash=email_hash(email),
        records_affected=len(data["responses"]) + (subscriber is not None),
    )
    return data


# --- The response journey: storing a response, its receipt ---------------------------------------------------

# No 0/O, 1/I/L: a reference read aloud over the phone or copied by hand cannot be misread.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_ATTEMPTS = 10


class SubmissionRefused(Exception):
    """The journey cannot be stored; nothing was written."""


class CallNotOpen(SubmissionRefused):
    pass


class SiteClosed(SubmissionRefused):
    pass


class AttachmentMissing(SubmissionRefused):
    def __init__(self, files):
        super().__init__(", ".join(f.original_name for f in files))
        self.files = files


class _ReferenceTaken(Exception):
    pass


def reference_generate(call):
    """`<PREFIX>-XXXX-XXXX`, e.g. IDEAS-7K3Q-9XPD; uniqueness is the database's job."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{call.reference_prefix}-{chars[:4]}-{chars[4:]}"


def submission_create(*, call, journey, now=None):
    """Store a whole journey (a journey.JourneyData) in one transaction; return (submission, created).

    The same journey token twice (double click, Back then Submit, two tabs) returns the first
    submission with created=False. The receipt is sent after the transaction commits.
    """
    existing = Submission.objects.filter(journey_token=journey.token).first()
    if existing is not None:
        return existing, False
    now = now or timezone.now()
    if site_is_closed(now):
        raise SiteClosed
    if not call.is_open(now):
        raise CallNotOpen
    for _attempt in range(REFERENCE_ATTEMPTS):
        undo_moves = []
        try:
            with transaction.atomic():
                submission, created = _insert_submission(call, journey, now)
                if not created:
                    return submission, False
                # Checked after the insert: a double click's second request waits there for the first to
                # commit, and so never sees the first one's files half-moved.
                storage = uploads.private_storage()
                missing = [f for f in journey.files if not storage.exists(f.stored_name)]
                if missing:
                    raise AttachmentMissing(missing)
                _insert_parts(submission, journey, undo_moves)
                if submission.email:
                    # Queued in this transaction, sent by the worker: the respondent never waits for email.
                    email_job_enqueue(kind=EmailJob.Kind.RECEIPT, submission_id=submission.pk, now=now)
            return submission, True
        except _ReferenceTaken:
            continue
        except Exception:
            # The rows rolled back; put the files back where a retry (or clear_pending_uploads) finds them.
            for undo in reversed(undo_moves):
                try:
                    undo()
                except OSError:
                    logger.exception("Could not move an attachment back to pending storage")
            raise
    raise RuntimeError(f"No free reference after {REFERENCE_ATTEMPTS} attempts")


def _insert_submission(call, journey, now):
    """Insert the Submission row in a savepoint: (row, True), or (existing row, False) if the token was used."""
    submission = Submission(
        call=call,
        reference=reference_generate(call),
        journey_token=journey.token,
        status=Submission.Status.PENDING,
        respondent_type=journey.respondent_type,
        organisation_name=journey.organisation_name,
        name=journey.name,
        email=journey.email,
        publication=journey.publication,
        consented_at=now,
        submitted_at=now,
    )
    try:
        with transaction.atomic():
            submission.save(force_insert=True)
    except IntegrityError:
        existing = Submission.objects.filter(journey_token=journey.token).first()
        if existing is not None:
            return existing, False
        raise _ReferenceTaken from None
    return submission, True


def _insert_parts(submission, journey, undo_moves):
    questions = {q.pk: q for q in submission.call.questions.all()}
    answers = []
    for question_pk, value in journey.answers.items():
        question = questions.get(int(question_pk))
        if question is None:
            continue
        if question.has_choices:
            selected = [value] if isinstance(value, str) else list(value)
            answers.append(Answer(submission=submission, question=question, selected=selected))
        else:
            answers.append(Answer(submission=submission, question=question, text=value))
    Answer.objects.bulk_create(answers)
    Idea.objects.bulk_create(
        Idea(submission=submission, position=position, title=idea["title"], body=idea["body"])
        for position, idea in enumerate(journey.ideas, start=1)
    )
    for pending in journey.files:
        final_name, undo = uploads.move_to_final(pending.stored_name)
        undo_moves.append(undo)
        Attachment.objects.create(
            submission=submission,
            original_name=pending.original_name,
            stored_name=final_name,
            size=pending.size,
            content_type=pending.content_type,
            sha256=pending.sha256,
        )


# Receipts


def receipt_render(submission):
    """(subject, body) of the receipt: the reference and a copy of the answers."""
    context = {
        "submission": submission,
        "call": submission.call,
        "answers": submission.answers.select_related("question"),
        "ideas": submission.ideas.all(),
        "attachments": submission.attachments.all(),
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
    }
    subject = f"Your response to the {submission.call.title}: {submission.reference}"
    body = render_to_string("submissions/email/receipt.txt", context)
    return subject, body


def receipt_send(*, submission_id, now=None):
    """Send the receipt once; record a failure for staff and for send_receipts. True when sent."""
    submission = Submission.objects.select_related("call").filter(pk=submission_id).first()
    if submission is None or not submission.is_receipt_pending():
        return False
    now = now or timezone.now()
    try:
        subject, body = receipt_render(submission)
        send_mail(subject, body, None, [submission.email])
    except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried; the response is kept
        error = f"{type(exc).__name__}: {exc}"[:1000]
        Submission.objects.filter(pk=submission.pk).update(
            receipt_attempts=F("receipt_attempts") + 1, receipt_last_error=error, receipt_last_attempt_at=now
        )
        logger.warning("Receipt for %s not sent: %s", submission.reference, error)
        return False
    Submission.objects.filter(pk=submission.pk).update(
        receipt_sent_at=now,
        receipt_attempts=F("receipt_attempts") + 1,
        receipt_last_error="",
        receipt_last_attempt_at=now,
    )
    return True


def receipts_due(now=None):
    """Unsent receipts worth trying now: fewer than RECEIPT_MAX_ATTEMPTS tries, none in the last few minutes."""
    now = now or timezone.now()
    wait = datetime.timedelta(minutes=settings.RECEIPT_RETRY_AFTER_MINUTES)
    return (
        Submission.objects.receipt_pending()
        .filter(receipt_attempts__lt=settings.RECEIPT_MAX_ATTEMPTS)
        .filter(Q(receipt_last_attempt_at__isnull=True) | Q(receipt_last_attempt_at__lte=now - wait))
        .order_by("submitted_at", "pk")
    )


def receipts_retry(*, now=None):
    """Try every receipt due now, through the outbox; return (sent, failed, given_up).

    The retry and backfill behind `send_receipts`: it queues a receipt that has no job (a response stored before
    the outbox, or one given up on whose address staff corrected) and claims each job as a worker would, so it
    never sends a receipt a worker is sending.
    """
    now = now or timezone.now()
    worker = worker_name("send_receipts")
    sent = failed = given_up = 0
    for pk in receipts_due(now).values_list("pk", flat=True):
        with transaction.atomic():
            job = email_job_enqueue(kind=EmailJob.Kind.RECEIPT, submission_id=pk, now=now)
        job = email_job_claim(worker=worker, now=now, pk=job.pk)
        if job is None:  # a worker holds it right now
            continue
        if email_job_run(job=job, worker=worker, now=now):
            sent += 1
            continue
        failed += 1
        if job.status == EmailJob.Status.FAILED:
            given_up += 1
    return sent, failed, given_up
