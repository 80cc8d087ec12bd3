"""Moderation: a response's status, safeguarding flag and public text, each change checked and recorded.

Every change locks the row, refuses a version other than the one the moderator saw, bumps the version and writes
a ModerationEvent, so two moderators cannot silently overwrite each other and every decision has an author.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import F

from ..models import Idea, ModerationEvent, PersonalDataKept, Submission
from ..privacy import LABELS, fingerprint
from ..selectors import personal_data_unresolved
from .safeguarding import safeguarding_alert_enqueue

STALE_MESSAGE = "Someone else changed this response while you were looking at it. Reload it to see their change."

Actor = AbstractBaseUser | None


class StaleModeration(Exception):
    """The response changed after the moderator loaded it; acting now would overwrite someone else's work."""

    def __init__(self, message=STALE_MESSAGE):
        super().__init__(message)


class ModerationError(ValueError):
    """A moderation request that cannot be carried out as asked, with a message for the moderator."""


def _lock(submission: Submission, expected_version: int | str | None) -> Submission:
    """Lock the row for this transaction and refuse to act on a version other than the one the moderator saw."""
    locked = Submission.objects.select_for_update().select_related("call").get(pk=submission.pk)
    if expected_version is not None and int(expected_version) != locked.version:
        raise StaleModeration()
    return locked


def _record(locked: Submission, *, actor: Actor, action: str, from_status: str, from_flag: bool, note: str = ""):
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


def _refresh(submission: Submission, locked: Submission) -> Submission:
    """Copy the saved state back onto the caller's instance, so it does not hold a stale version."""
    for field in ("status", "rejection_reason", "moderation_note", "safeguarding_flag", "version"):
        setattr(submission, field, getattr(locked, field))
    return submission


def _set_status(
    *,
    submission: Submission,
    actor: Actor,
    status: str,
    action: str,
    expected_version: int | str | None,
    note: str,
    reason: str = "",
) -> Submission:
    with transaction.atomic():
        locked = _lock(submission, expected_version)
        if status == Submission.Status.APPROVED:
            _refuse_unresolved_personal_data(locked)
        from_status, from_flag = locked.status, locked.safeguarding_flag
        locked.status = status
        # The reason belongs to a rejection; it goes when the response is approved or set aside as spam.
        locked.rejection_reason = reason
        if note:
            locked.moderation_note = note
        history_note = f"Reason: {reason}\n{note}".strip() if reason else note
        _record(locked, actor=actor, action=action, from_status=from_status, from_flag=from_flag, note=history_note)
    return _refresh(submission, locked)


def _refuse_unresolved_personal_data(locked: Submission) -> None:
    """A response that would be published cannot be approved while a possible personal detail in its public text is
    neither removed nor marked "keep" by a moderator."""
    will_be_public = (
        locked.publication != Submission.Publication.DO_NOT_PUBLISH and locked.call.responses_may_be_published
    )
    if not will_be_public:
        return
    unresolved = personal_data_unresolved(submission=locked)
    if unresolved:
        count = len(unresolved)
        kinds = ", ".join(sorted({LABELS[finding.kind].lower() for _, finding in unresolved}))
        raise ModerationError(
            f"{locked.reference} was not approved: {count} possible personal detail{'s' if count != 1 else ''} "
            f"({kinds}) still in the public version. Remove each one, or mark it “Keep as written”."
        )


def personal_data_keep(
    *,
    submission: Submission,
    actor: Actor,
    keep: list[tuple[str, str]] | None = None,
    release: list[tuple[str, str]] | None = None,
    note: str = "",
) -> Submission:
    """Record that these (kind, text) details may be published as written, or no longer; who decided is audited.

    Only changes are written; the text itself is never stored, only its fingerprint.
    """
    with transaction.atomic():
        locked = _lock(submission, None)
        existing = set(locked.kept_personal_data.values_list("kind", "text_hash"))
        added = sorted({(kind, fingerprint(text)) for kind, text in keep or []} - existing)
        removed = sorted({(kind, fingerprint(text)) for kind, text in release or []} & existing)
        if not added and not removed:
            return submission
        real_actor = actor if getattr(actor, "pk", None) else None
        PersonalDataKept.objects.bulk_create(
            PersonalDataKept(submission=locked, kind=kind, text_hash=digest, actor=real_actor) for kind, digest in added
        )
        for kind, digest in removed:
            locked.kept_personal_data.filter(kind=kind, text_hash=digest).delete()
        parts = []
        if added:
            parts.append(f"{len(added)} kept as written ({_kinds(added)})")
        if removed:
            parts.append(f"{len(removed)} no longer kept ({_kinds(removed)})")
        _record(
            locked,
            actor=actor,
            action=ModerationEvent.Action.KEPT,
            from_status=locked.status,
            from_flag=locked.safeguarding_flag,
            note=f"Possible personal details: {'; '.join(parts)}. {note}".strip(),
        )
    return _refresh(submission, locked)


def _kinds(details):
    return ", ".join(sorted({LABELS.get(kind, kind).lower() for kind, _ in details}))


def submission_approve(
    *, submission: Submission, actor: Actor, expected_version: int | str | None = None, note: str = ""
) -> Submission:
    """Approve a response. It is published only if it is also publishable (not flagged, the respondent agreed)."""
    return _set_status(
        submission=submission,
        actor=actor,
        status=Submission.Status.APPROVED,
        action=ModerationEvent.Action.APPROVED,
        expected_version=expected_version,
        note=note,
    )


def submission_reject(
    *, submission: Submission, actor: Actor, reason: str, expected_version: int | str | None = None, note: str = ""
) -> Submission:
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


def submission_mark_spam(
    *, submission: Submission, actor: Actor, expected_version: int | str | None = None, note: str = ""
) -> Submission:
    return _set_status(
        submission=submission,
        actor=actor,
        status=Submission.Status.SPAM,
        action=ModerationEvent.Action.SPAM,
        expected_version=expected_version,
        note=note,
    )


def _set_safeguarding_flag(
    *, submission: Submission, actor: Actor, note: str, expected_version: int | str | None, flagged: bool
) -> Submission:
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
            safeguarding_alert_enqueue(submission=locked)
    return _refresh(submission, locked)


def submission_flag_safeguarding(
    *, submission: Submission, actor: Actor, note: str, expected_version: int | str | None = None
) -> Submission:
    """Flag a response for the safeguarding leads: it leaves public view and the leads are emailed."""
    return _set_safeguarding_flag(
        submission=submission, actor=actor, note=note, expected_version=expected_version, flagged=True
    )


def submission_unflag_safeguarding(
    *, submission: Submission, actor: Actor, note: str, expected_version: int | str | None = None
) -> Submission:
    return _set_safeguarding_flag(
        submission=submission, actor=actor, note=note, expected_version=expected_version, flagged=False
    )


def submission_redact(
    *,
    submission: Submission,
    actor: Actor,
    answers: dict | None = None,
    ideas: dict | None = None,
    titles: dict | None = None,
    expected_version: int | str | None = None,
    note: str = "",
) -> Submission:
    """Set the public text of answers ({answer id: text}), ideas' bodies ({idea id: text}) and ideas' titles; the
    originals stay as sent.

    An empty text means the original is shown. Nothing is written, and no entry recorded, if nothing changed.
    """
    answers = {int(key): (value or "").strip() for key, value in (answers or {}).items()}
    ideas = {int(key): (value or "").strip() for key, value in (ideas or {}).items()}
    titles = {int(key): (value or "").strip() for key, value in (titles or {}).items()}
    with transaction.atomic():
        locked = _lock(submission, expected_version)
        changed = []
        for answer in locked.answers.filter(pk__in=answers):
            if answer.redacted_text != answers[answer.pk]:
                answer.redacted_text = answers[answer.pk]
                answer.save(update_fields=["redacted_text"])
                changed.append(f"answer to “{answer.question.prompt}”")
        for idea in locked.ideas.filter(pk__in=set(ideas) | set(titles)):
            if idea.pk in ideas and idea.redacted_body != ideas[idea.pk]:
                idea.redacted_body = ideas[idea.pk]
                idea.save(update_fields=["redacted_body"])
                changed.append(f"idea {idea.position}")
            if idea.pk in titles and idea.redacted_title != titles[idea.pk]:
                idea.redacted_title = titles[idea.pk]
                idea.save(update_fields=["redacted_title"])
                changed.append(f"title of idea {idea.position}")
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


def idea_set_withheld(
    *, idea: Idea, actor: Actor, withheld: bool, expected_version: int | str | None = None, note: str = ""
) -> Idea:
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
    submission: Submission,
    actor: Actor,
    expected_version: int | str | None,
    status: str,
    reason: str = "",
    note: str = "",
    safeguarding_flag: bool | None = None,
    answers: dict | None = None,
    ideas: dict | None = None,
    titles: dict | None = None,
    withheld: dict | None = None,
    keep: list[tuple[str, str]] | None = None,
    release: list[tuple[str, str]] | None = None,
) -> Submission:
    """Everything the moderation panel can change, in one transaction checked against one version.

    Only what differs from the stored response is changed, each through its own service, so every change
    has its own audit entry. `withheld` maps idea id to True/False.
    """
    with transaction.atomic():
        locked = _lock(submission, expected_version)
        if answers or ideas or titles:
            submission_redact(submission=locked, actor=actor, answers=answers, ideas=ideas, titles=titles)
        if keep or release:
            personal_data_keep(submission=locked, actor=actor, keep=keep, release=release)
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
