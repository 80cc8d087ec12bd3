"""Storing a response: the whole journey in one transaction, under a reference the respondent can quote."""

import datetime
import logging
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from consultations.models import Call
from core.closure import site_is_closed

from .. import uploads
from ..journey import JourneyData
from ..models import Answer, Attachment, Idea, Submission
from .receipts import receipt_enqueue

logger = logging.getLogger(__name__)

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


def reference_generate(*, call: Call) -> str:
    """`<PREFIX>-XXXX-XXXX`, e.g. IDEAS-7K3Q-9XPD; uniqueness is the database's job."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{call.reference_prefix}-{chars[:4]}-{chars[4:]}"


def submission_create(
    *, call: Call, journey: JourneyData, now: datetime.datetime | None = None
) -> tuple[Submission, bool]:
    """Store a whole journey in one transaction, its receipt queued with it; return (submission, created).

    The same journey token twice (double click, Back then Submit, two tabs) returns the first
    submission with created=False.
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
                    receipt_enqueue(submission=submission, now=now)
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
        reference=reference_generate(call=call),
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
