"""Writes to calls and their questions."""

from django.db import transaction

from .models import Call, Question


def _apply(instance, values):
    """Set values on instance; True if any of them differed."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


@transaction.atomic
def call_sync(*, slug, fields, questions):
    """Make the call with this slug match `fields` and its questions match `questions` (dicts, in order).

    Saves only what differs, so running it twice with the same input writes nothing the second time.
    Questions are matched by position; a question beyond the list is removed unless someone has answered it.
    Returns (call, state), state being "created", "updated" or "unchanged".
    """
    call = Call.objects.filter(slug=slug).first()
    created = call is None
    if created:
        call = Call(slug=slug)
    changed = _apply(call, fields) or created
    if changed:
        call.full_clean()
        call.save()

    existing = {question.position: question for question in call.questions.all()}
    for position, values in enumerate(questions, start=1):
        question = existing.pop(position, None) or Question(call=call, position=position)
        if _apply(question, values) or question.pk is None:
            question.full_clean()
            question.save()
            changed = True
    leftover = Question.objects.filter(pk__in=[q.pk for q in existing.values()], answers__isnull=True)
    if leftover.exists():
        leftover.delete()
        changed = True
    if created:
        return call, "created"
    return call, "updated" if changed else "unchanged"
