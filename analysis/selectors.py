"""Reads for analysis: the items analysts code, and the figures made from their coding.

Items are ideas, free-text answers, and whole responses, of a call's responses that are not spam or rejected (pending
ones count: coding may start before moderation ends). Analysts read what respondents sent, as sent; no read here
loads a respondent's name, email or organisation, so no analysis screen or export can show one by mistake.

Every figure is one aggregate query, whatever the number of items.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from consultations.models import Call, Question
from submissions.models import Answer, Idea, Submission

from .models import Coding, Theme

EXCLUDED = [Submission.Status.SPAM, Submission.Status.REJECTED]
TEXT_TYPES = [Question.AnswerType.SHORT_TEXT, Question.AnswerType.LONG_TEXT]
# The fields of a response any analysis read may load: never name, email or organisation.
RESPONSE_FIELDS = ("id", "reference", "respondent_type", "channel", "status", "submitted_at", "call_id")


def analysable_responses(*, call: Call) -> QuerySet[Submission]:
    return Submission.objects.filter(call=call).exclude(status__in=EXCLUDED).only(*RESPONSE_FIELDS)


def call_ideas(*, call: Call) -> QuerySet[Idea]:
    return Idea.objects.filter(submission__call=call).exclude(submission__status__in=EXCLUDED)


def call_answers(*, call: Call, question: Question | None = None) -> QuerySet[Answer]:
    """Free-text answers with text (choice answers are counted, not coded)."""
    answers = Answer.objects.filter(submission__call=call, question__answer_type__in=TEXT_TYPES).exclude(text="")
    if question is not None:
        answers = answers.filter(question=question)
    return answers.exclude(submission__status__in=EXCLUDED)


def text_questions(*, call: Call) -> list[Question]:
    return list(call.questions.filter(answer_type__in=TEXT_TYPES).order_by("position", "id"))


def codebook(*, call: Call) -> list[Theme]:
    """The call's themes, each top-level theme followed by its sub-themes."""
    themes = list(Theme.objects.filter(call=call).select_related("parent").order_by("name", "id"))
    children = defaultdict(list)
    for theme in themes:
        if theme.parent_id:
            children[theme.parent_id].append(theme)
    ordered = []
    for theme in themes:
        if not theme.parent_id:
            ordered += [theme, *children.pop(theme.pk, [])]
    return ordered + [theme for group in children.values() for theme in group]


# Items to code


@dataclass
class Item:
    kind: str  # Coding.Kind
    pk: int
    submission_id: int
    reference: str
    respondent_type: str
    title: str
    text: str
    codings: list = field(default_factory=list)
    moderate_url: str = ""  # only for staff who may open the moderation screen

    @property
    def key(self):
        return f"{self.kind}-{self.pk}"


def item_queryset(*, call: Call, kind: str, question: Question | None = None) -> QuerySet:
    if kind == Coding.Kind.IDEA:
        return call_ideas(call=call)
    if kind == Coding.Kind.ANSWER:
        return call_answers(call=call, question=question)
    return analysable_responses(call=call)


def filter_items(
    queryset: QuerySet, *, kind: str, search: str = "", theme: Theme | None = None, uncoded: bool = False, **filters
) -> QuerySet:
    """Items matching a search (every word, any case, in the text) and filters; on whole responses the search looks in
    every answer and idea."""
    prefix = "" if kind == Coding.Kind.RESPONSE else "submission__"
    for word in search.split()[:10]:
        if kind == Coding.Kind.IDEA:
            queryset = queryset.filter(Q(title__icontains=word) | Q(body__icontains=word))
        elif kind == Coding.Kind.ANSWER:
            queryset = queryset.filter(text__icontains=word)
        else:
            queryset = queryset.filter(
                Exists(Answer.objects.filter(submission=OuterRef("pk"), text__icontains=word))
                | Exists(
                    Idea.objects.filter(submission=OuterRef("pk")).filter(
                        Q(title__icontains=word) | Q(body__icontains=word)
                    )
                )
            )
    if filters.get("respondent_type"):
        queryset = queryset.filter(**{f"{prefix}respondent_type": filters["respondent_type"]})
    if filters.get("channel"):
        queryset = queryset.filter(**{f"{prefix}channel": filters["channel"]})
    own = _own_codings(kind)
    if theme is not None:
        queryset = queryset.filter(Exists(own.filter(theme=theme)))
    if uncoded:
        queryset = queryset.exclude(Exists(own))
    return queryset


def _own_codings(kind):
    """The codings of the item in the outer query (for Exists)."""
    if kind == Coding.Kind.IDEA:
        return Coding.objects.filter(idea=OuterRef("pk"))
    if kind == Coding.Kind.ANSWER:
        return Coding.objects.filter(answer=OuterRef("pk"))
    return Coding.objects.filter(submission=OuterRef("pk"), kind=Coding.Kind.RESPONSE)


def items_page(queryset: QuerySet, *, kind: str) -> list[Item]:
    """One page of items (a sliced queryset) as Items with their codings: three queries whatever the page's size."""
    types = dict(Submission.RespondentType.choices)
    items = []
    if kind == Coding.Kind.IDEA:
        rows = queryset.values_list(
            "pk", "submission_id", "submission__reference", "submission__respondent_type", "position", "title", "body"
        )
        for pk, sid, ref, rtype, position, title, body in rows:
            items.append(Item(kind, pk, sid, ref, types.get(rtype, rtype), f"Idea {position}: {title}", body))
    elif kind == Coding.Kind.ANSWER:
        rows = queryset.values_list(
            "pk", "submission_id", "submission__reference", "submission__respondent_type", "text"
        )
        for pk, sid, ref, rtype, text in rows:
            items.append(Item(kind, pk, sid, ref, types.get(rtype, rtype), "Answer", text))
    else:
        rows = list(queryset.values_list("pk", "reference", "respondent_type"))
        texts = _response_texts([row[0] for row in rows])
        for pk, ref, rtype in rows:
            items.append(Item(kind, pk, pk, ref, types.get(rtype, rtype), "Whole response", texts.get(pk, "")))
    _attach_codings(items, kind)
    return items


def _response_texts(ids, limit=600):
    """The start of each response's words: its ideas, then its free-text answers."""
    texts = defaultdict(list)
    for sid, title, body in Idea.objects.filter(submission_id__in=ids).values_list("submission_id", "title", "body"):
        texts[sid].append(f"{title}: {body}")
    answers = Answer.objects.filter(submission_id__in=ids, question__answer_type__in=TEXT_TYPES).exclude(text="")
    for sid, text in answers.values_list("submission_id", "text"):
        texts[sid].append(text)
    return {sid: " / ".join(parts)[:limit] for sid, parts in texts.items()}


def _attach_codings(items, kind):
    if not items:
        return
    field_name = {"idea": "idea_id", "answer": "answer_id", "response": "submission_id"}[kind]
    codings = Coding.objects.filter(**{f"{field_name}__in": [item.pk for item in items]}, kind=kind)
    by_item = defaultdict(list)
    for coding in codings.select_related("theme", "theme__parent", "coder").order_by("theme__name"):
        by_item[getattr(coding, field_name)].append(coding)
    for item in items:
        item.codings = by_item.get(item.pk, [])


def all_item_ids(queryset: QuerySet, *, kind: str) -> QuerySet:
    """(item id, response id) of every item a filter matches, for coding them all at once."""
    if kind == Coding.Kind.RESPONSE:
        return queryset.order_by().values_list("pk", "pk")
    return queryset.order_by().values_list("pk", "submission_id")


# Figures


def coding_rows(*, call: Call) -> list[tuple[int, int, str]]:
    """(response id, theme id, respondent type) of every coding of the call's analysable responses, in one query:
    the overview counts themes, respondent types, pairs and coded responses from these in one pass."""
    return list(
        Coding.objects.filter(theme__call=call)
        .exclude(submission__status__in=EXCLUDED)
        .order_by()
        .values_list("submission_id", "theme_id", "submission__respondent_type")
    )


def response_counts_by_type(*, call: Call, queryset: QuerySet | None = None) -> dict[str, int]:
    responses = analysable_responses(call=call) if queryset is None else queryset
    rows = responses.order_by().values("respondent_type").annotate(count=Count("id"))
    return {row["respondent_type"]: row["count"] for row in rows}


def item_counts(*, call: Call) -> dict[str, tuple[int, int]]:
    """{"ideas": (in all, with no theme of their own), "answers": (the same)}: one query each."""
    counts = {}
    for name, items, own in (
        ("ideas", call_ideas(call=call), Coding.objects.filter(idea=OuterRef("pk"))),
        ("answers", call_answers(call=call), Coding.objects.filter(answer=OuterRef("pk"))),
    ):
        found = items.aggregate(total=Count("id"), uncoded=Count("id", filter=~Q(Exists(own))))
        counts[name] = (found["total"], found["uncoded"])
    return counts
