"""Demo responses: a few fictional responses to each call, in every moderation state. Safe to run again.

`load_demo_content` calls load() after the calls exist. Each response has a fixed journey token and
reference, so a second run finds the same rows and changes nothing. Everything here is made up.
"""

import datetime
import hashlib
import uuid

from django.db import transaction
from django.utils import timezone

from consultations.models import Call

from .models import Answer, Idea, Submission
from .services.responses import REFERENCE_ALPHABET

DEMO_NAMESPACE = uuid.UUID("5b0f6c1e-3f7a-4c55-9d2e-7d1a2b9e4c10")

# (respondent type, name, organisation, publication, status, rejection reason)
RESPONDENTS = [
    ("care_experienced_adult", "Jordan Ashby", "", "with_name", "approved", ""),
    ("young_person", "", "", "anonymous", "approved", ""),
    ("carer", "Priya Nandra", "", "anonymous", "pending", ""),
    ("organisation", "Morgan Ellis", "Riverside Kinship Carers Network", "with_name", "pending", ""),
    (
        "practitioner",
        "Chris Hale",
        "",
        "anonymous",
        "rejected",
        "The response names a child and their school, so it cannot be published as written.",
    ),
    ("other", "", "", "do_not_publish", "spam", ""),
]

# Made-up answers, used in turn for the long and short text questions.
TEXTS = [
    "Let children keep the same social worker for longer. Every time mine changed I had to tell my story again "
    "from the start, and after a while I stopped telling it.",
    "Foster carers need someone they can ring at the weekend. Most problems do not happen between nine and five.",
    "Ask young people what they think before decisions are made, not afterwards, and explain the reasons in "
    "plain words.",
    "Brothers and sisters should be placed together, or at least close enough to see each other every week.",
    "Family members who step in to look after a child should get the same training and support as foster carers.",
    "Cheap watches, cheap pills, click this link now.",
]
SHORT_TEXTS = ["Keeping in touch", "Stability", "Being listened to", "Family first", "Support at night", "Spam"]

IDEAS = [
    ("One worker, many years", "Give every child in care one named worker who stays with them until they are 25."),
    ("Sibling time", "Pay travel costs so brothers and sisters who live apart can spend a weekend together monthly."),
    ("Help at any hour", "Run a phone line for kinship and foster carers that answers at night and at weekends."),
    ("Say it plainly", "Write every care plan so the child it is about can read and understand it."),
    ("Keep the room", "Let care leavers keep their bedroom with their foster family until they turn 21."),
    ("Win a prize", "Visit our website for free money."),
]


def _reference(call, n):
    """A fixed reference in the usual format, from the call's slug and the response's number."""
    digest = hashlib.sha256(f"{call.slug}-{n}".encode()).digest()
    chars = "".join(REFERENCE_ALPHABET[b % len(REFERENCE_ALPHABET)] for b in digest[:8])
    return f"{call.reference_prefix}-{chars[:4]}-{chars[4:]}"


def _submitted_at(call, n, now):
    """Spread over the call's window so far, never in the future (up to the start of today, so that runs on the
    same day agree)."""
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    end = max(call.opens_at, min(call.closes_at, today))
    span = end - call.opens_at
    return call.opens_at + span * (n + 1) / (len(RESPONDENTS) + 1)


def _answers(submission, call, n):
    answers = []
    for position, question in enumerate(call.questions.all()):
        if question.has_choices:
            choices = question.choice_list
            if not choices:
                continue
            picked = [choices[(n + position) % len(choices)]]
            if question.answer_type == question.AnswerType.MANY_CHOICES and len(choices) > 1:
                picked.append(choices[(n + position + 1) % len(choices)])
            answers.append(Answer(submission=submission, question=question, selected=picked))
        elif question.answer_type == question.AnswerType.SHORT_TEXT:
            answers.append(Answer(submission=submission, question=question, text=SHORT_TEXTS[n % len(SHORT_TEXTS)]))
        elif question.required or (n + position) % 2 == 0:
            text = TEXTS[(n + position) % len(TEXTS)] if n != len(RESPONDENTS) - 1 else TEXTS[-1]
            answers.append(Answer(submission=submission, question=question, text=text))
    Answer.objects.bulk_create(answers)


def _ideas(submission, n):
    spam = n == len(RESPONDENTS) - 1
    chosen = [IDEAS[-1]] if spam else [IDEAS[n % 5], IDEAS[(n + 1) % 5]][: 1 + n % 2]
    Idea.objects.bulk_create(
        Idea(submission=submission, position=position, title=title, body=body)
        for position, (title, body) in enumerate(chosen, start=1)
    )


def load(stdout):
    """Add the demo responses to every call that has opened. Safe to run again."""
    now = timezone.now()
    for call in Call.objects.filter(opens_at__lte=now).prefetch_related("questions"):
        created = 0
        for n, (kind, name, organisation, publication, status, reason) in enumerate(RESPONDENTS):
            token = uuid.uuid5(DEMO_NAMESPACE, f"{call.slug}-{n}")
            submitted_at = _submitted_at(call, n, now)
            existing = Submission.objects.filter(journey_token=token)
            if existing.exists():
                # The calls move with the demo's day (load_demo_content --archived or not): keep each demo
                # response inside its call's dates.
                existing.exclude(submitted_at=submitted_at).update(
                    submitted_at=submitted_at,
                    consented_at=submitted_at,
                    receipt_sent_at=submitted_at + datetime.timedelta(seconds=5) if name else None,
                )
                continue
            if not call.responses_may_be_published and publication != "do_not_publish":
                publication = "do_not_publish"
            with transaction.atomic():
                submission = Submission.objects.create(
                    call=call,
                    reference=_reference(call, n),
                    journey_token=token,
                    status=status,
                    rejection_reason=reason,
                    respondent_type=kind,
                    organisation_name=organisation,
                    name=name,
                    email=f"demo-respondent-{n}@example.org" if name else "",
                    publication=publication,
                    consented_at=submitted_at,
                    submitted_at=submitted_at,
                    # Demo addresses are not real: mark the receipts sent so send_receipts leaves them alone.
                    receipt_sent_at=submitted_at + datetime.timedelta(seconds=5) if name else None,
                )
                _answers(submission, call, n)
                if call.is_ideas:
                    _ideas(submission, n)
            created += 1
        stdout.write(f"{call.title}: {created} demo responses added\n")
