"""Suggested themes: a run asked for by staff, carried out by the job worker (analysis/jobs.py) or by the
suggest_themes command, and what staff then do with each suggestion: accept it into the codebook (its members coded
in the same step), rename it, merge it with others, or drop it.

Clustering reads what respondents sent (an idea's title and body, a free-text answer), never a name or an address:
the moderators' public versions are for publishing, and analysts analyse what was said.
"""

import datetime
from collections.abc import Callable

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from consultations.models import Call
from outbox.services import email_job_enqueue

from .. import clustering, selectors
from ..clustering import Document, NotEnoughText, SuggestedTheme
from ..models import Coding, Suggestion, SuggestionRun, Theme
from .codebook import theme_create
from .coding import coding_apply

SUGGEST_THEMES = "suggest_themes"  # the outbox job kind (registered in AnalysisConfig.ready)


class SuggestionError(ValueError):
    """A request about a suggestion that cannot be carried out; the message says why."""


def call_documents(*, call: Call) -> list[Document]:
    """The call's ideas (title and body) and long free-text answers, in a fixed order, as texts to cluster."""
    ideas = selectors.call_ideas(call=call).order_by("id").values_list("id", "title", "body")
    documents = [Document("idea", pk, f"{title}. {body}") for pk, title, body in ideas.iterator(chunk_size=5000)]
    answers = selectors.call_answers(call=call).order_by("id").values_list("id", "text")
    documents += [Document("answer", pk, text) for pk, text in answers.iterator(chunk_size=5000)]
    return documents


def call_boilerplate(*, call: Call) -> set[str]:
    """Words every response echoes: the call's title and its questions' prompts."""
    return clustering.boilerplate_words([call.title, *call.questions.values_list("prompt", flat=True)])


def themes_suggest(
    *, call: Call, count: int | None = None, progress: Callable[[int, str], None] | None = None
) -> tuple[list[SuggestedTheme], int]:
    """(suggested themes, texts read) for a call; NotEnoughText says plainly when there is too little."""
    documents = call_documents(call=call)
    themes = clustering.suggest_themes(
        documents, count=count, boilerplate=call_boilerplate(call=call), progress=progress
    )
    return themes, len(documents)


def suggestion_run_request(
    *, call: Call, actor: AbstractBaseUser | None, count: int | None = None, now: datetime.datetime | None = None
) -> SuggestionRun:
    """Queue a run for the job worker, in one transaction with its job."""
    with transaction.atomic():
        run = SuggestionRun.objects.create(
            call=call, requested_by=actor, requested_count=count, created_at=now or timezone.now()
        )
        email_job_enqueue(
            kind=SUGGEST_THEMES,
            subject_id=run.pk,
            about=f"Suggested themes: {call.title}"[:100],
            dedupe_key=f"{SUGGEST_THEMES}:{run.pk}",
        )
    return run


def suggestion_run_execute(*, run: SuggestionRun, heartbeat: Callable[[], None] | None = None) -> SuggestionRun:
    """Cluster and store the run's suggestions; progress is written as it goes, so the admin can show it.

    Too little to group is an outcome, not a failure: the run is done, with the reason as its message.
    """
    now = timezone.now()
    SuggestionRun.objects.filter(pk=run.pk).update(status=SuggestionRun.Status.RUNNING, started_at=now, progress=0)

    def progress(percent, stage):
        SuggestionRun.objects.filter(pk=run.pk).update(progress=min(percent, 99), stage=stage[:200])
        if heartbeat is not None:
            heartbeat()

    try:
        themes, items = themes_suggest(call=run.call, count=run.requested_count, progress=progress)
    except NotEnoughText as exc:
        themes, items, message = [], None, str(exc)
    else:
        message = f"Suggested {len(themes)} themes from {items:,} ideas and answers."
    with transaction.atomic():
        run.suggestions.all().delete()  # a run tried again after a worker died keeps only its last result
        Suggestion.objects.bulk_create(
            Suggestion(
                run=run,
                position=position,
                label=theme.label[:100],
                top_words=theme.top_words,
                idea_ids=theme.idea_ids,
                answer_ids=theme.answer_ids,
            )
            for position, theme in enumerate(themes, start=1)
        )
        run.status, run.progress, run.stage, run.message = SuggestionRun.Status.DONE, 100, "Done", message
        run.items = items if items is not None else len(call_documents(call=run.call))
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "progress", "stage", "message", "items", "finished_at"])
    return run


def suggestion_run_fail(*, run: SuggestionRun, error: str) -> None:
    SuggestionRun.objects.filter(pk=run.pk).update(
        status=SuggestionRun.Status.FAILED, message=error[:1000], finished_at=timezone.now()
    )


def _open(suggestion):
    if suggestion.state != Suggestion.State.OPEN:
        raise SuggestionError(f"“{suggestion.label}” has already been {suggestion.get_state_display().lower()}.")


def suggestion_accept(
    *, suggestion: Suggestion, actor: AbstractBaseUser | None, name: str = "", parent: Theme | None = None
) -> tuple[Theme, int]:
    """Add the suggestion to the codebook as a theme (or to the theme of that name, if the codebook has one) and code
    its members with it, in one transaction. Returns (theme, items newly coded)."""
    call = suggestion.run.call
    name = (name or suggestion.label).strip()[:100]
    with transaction.atomic():
        suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
        _open(suggestion)
        theme = Theme.objects.filter(call=call, name__iexact=name).first()
        if theme is None:
            theme = theme_create(
                call=call,
                name=name,
                actor=actor,
                parent=parent,
                description="Top words: " + ", ".join(suggestion.top_words),
            )
        ideas = selectors.call_ideas(call=call).filter(pk__in=suggestion.idea_ids).values_list("pk", "submission_id")
        answers = selectors.call_answers(call=call).filter(pk__in=suggestion.answer_ids)
        coded = coding_apply(theme=theme, kind=Coding.Kind.IDEA, items=ideas, coder=actor)
        coded += coding_apply(
            theme=theme, kind=Coding.Kind.ANSWER, items=answers.values_list("pk", "submission_id"), coder=actor
        )
        suggestion.state, suggestion.theme = Suggestion.State.ACCEPTED, theme
        suggestion.save(update_fields=["state", "theme"])
    return theme, coded


def suggestion_rename(*, suggestion: Suggestion, label: str) -> Suggestion:
    label = label.strip()[:100]
    if not label:
        raise SuggestionError("Enter a name for the suggestion.")
    _open(suggestion)
    suggestion.label = label
    suggestion.save(update_fields=["label"])
    return suggestion


def suggestion_merge(*, into: Suggestion, others: list[Suggestion]) -> Suggestion:
    """Fold other open suggestions of the same run into one: their members join it, and they are marked merged."""
    others = [other for other in others if other.pk != into.pk]
    if not others:
        raise SuggestionError("Choose at least two suggestions to merge.")
    with transaction.atomic():
        for suggestion in [into, *others]:
            _open(suggestion)
            if suggestion.run_id != into.run_id:
                raise SuggestionError("Merge suggestions from the same run.")
        into.idea_ids = sorted({*into.idea_ids, *(pk for other in others for pk in other.idea_ids)})
        into.answer_ids = sorted({*into.answer_ids, *(pk for other in others for pk in other.answer_ids)})
        words = [*into.top_words, *(word for other in others for word in other.top_words)]
        into.top_words = list(dict.fromkeys(words))[: clustering.TOP_WORDS]
        into.save(update_fields=["idea_ids", "answer_ids", "top_words"])
        Suggestion.objects.filter(pk__in=[other.pk for other in others]).update(state=Suggestion.State.MERGED)
    return into


def suggestion_drop(*, suggestion: Suggestion) -> None:
    _open(suggestion)
    suggestion.state = Suggestion.State.DROPPED
    suggestion.save(update_fields=["state"])
