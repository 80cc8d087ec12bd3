"""Store many responses fast, for measuring the admin responses list and the exports. Not a test.

python bench/seed_responses.py                    -> 100,000 responses to a bench call with 5 questions
python bench/seed_responses.py --count 5000       -> fewer
python bench/seed_responses.py --count 0          -> only the call and its questions

Uses DJANGO_SETTINGS_MODULE and DATABASE_URL from the environment (the developer settings when unset).
Rows go in with bulk_create, in batches, in one transaction per batch; run it again to add more.
The last line printed is JSON: {"call_id", "call_slug", "created", "total", "seconds"}.
"""

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "review_site.settings.local")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from consultations.models import Call, Question, ReviewPhase  # noqa: E402
from submissions.models import Answer, Submission  # noqa: E402

CALL_SLUG = "bench-call-for-evidence"
PROMPTS = [
    ("What is working well for children in care?", Question.AnswerType.LONG_TEXT, ""),
    ("What should change first?", Question.AnswerType.LONG_TEXT, ""),
    ("Which services have you used?", Question.AnswerType.MANY_CHOICES, "Social work\nFostering\nAdvocacy\nSchool"),
    ("How long have you been involved?", Question.AnswerType.ONE_CHOICE, "Under a year\n1 to 5 years\nOver 5 years"),
    ("Anything else?", Question.AnswerType.SHORT_TEXT, ""),
]
ANSWER_TEXT = (
    "Having the same social worker for longer made the biggest difference. Meetings were easier when someone "
    "explained what would happen next and listened to what I wanted. "
)
STATUSES = [Submission.Status.PENDING] * 5 + [Submission.Status.APPROVED] * 3 + [Submission.Status.SPAM]
TYPES = [value for value, _ in Submission.RespondentType.choices]


def bench_call():
    now = timezone.now()
    call, _ = Call.objects.get_or_create(
        slug=CALL_SLUG,
        defaults={
            "kind": Call.Kind.EVIDENCE,
            "title": "Bench: Call for Evidence",
            "summary": "Responses made up for measuring the staff console.",
            "body": "Made-up responses.",
            "audience": "Nobody: bench data.",
            "phase": ReviewPhase.DISCOVERY,
            "opens_at": now - datetime.timedelta(days=90),
            "closes_at": now + datetime.timedelta(days=30),
        },
    )
    if not call.questions.exists():
        Question.objects.bulk_create(
            Question(call=call, position=position, prompt=prompt, answer_type=answer_type, choices=choices)
            for position, (prompt, answer_type, choices) in enumerate(PROMPTS, start=1)
        )
    return call, list(call.questions.order_by("position"))


def answer_for(question, n):
    if question.answer_type == Question.AnswerType.MANY_CHOICES:
        choices = question.choice_list
        return Answer(question=question, selected=[choices[n % len(choices)], choices[(n + 1) % len(choices)]])
    if question.answer_type == Question.AnswerType.ONE_CHOICE:
        choices = question.choice_list
        return Answer(question=question, selected=[choices[n % len(choices)]])
    if question.answer_type == Question.AnswerType.SHORT_TEXT:
        return Answer(question=question, text=f"Short answer {n}")
    return Answer(question=question, text=ANSWER_TEXT * (1 + n % 4))


def submission_for(call, n, now):
    respondent_type = TYPES[n % len(TYPES)]
    status = STATUSES[n % len(STATUSES)]
    return Submission(
        call=call,
        reference=f"BENCH-{n:07d}",
        status=status,
        rejection_reason="",
        respondent_type=respondent_type,
        organisation_name=f"Organisation {n}" if respondent_type == Submission.RespondentType.ORGANISATION else "",
        name=f"Respondent {n}",
        email=f"respondent{n}@example.org",
        publication=Submission.Publication.ANONYMOUS,
        consented_at=now,
        # Spread over the last 60 days, so the dashboard's chart and the date filters have something to show.
        submitted_at=now - datetime.timedelta(minutes=(n * 37) % (60 * 24 * 60)),
    )


def seed(count, batch_size):
    call, questions = bench_call()
    start = Submission.objects.filter(call=call).count()
    now = timezone.now()
    created = 0
    while created < count:
        size = min(batch_size, count - created)
        numbers = range(start + created, start + created + size)
        with transaction.atomic():
            submissions = Submission.objects.bulk_create(submission_for(call, n, now) for n in numbers)
            answers = []
            for n, submission in zip(numbers, submissions, strict=True):
                for question in questions:
                    answer = answer_for(question, n)
                    answer.submission = submission
                    answers.append(answer)
            Answer.objects.bulk_create(answers, batch_size=batch_size)
        created += size
        print(f"{start + created:,} responses", file=sys.stderr, flush=True)
    return call, created


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="responses to add (default 100,000)")
    parser.add_argument("--batch-size", type=int, default=2_000, help="responses per insert (default 2,000)")
    args = parser.parse_args()
    began = time.perf_counter()
    call, created = seed(args.count, args.batch_size)
    print(
        json.dumps(
            {
                "call_id": call.pk,
                "call_slug": call.slug,
                "created": created,
                "total": Submission.objects.filter(call=call).count(),
                "seconds": round(time.perf_counter() - began, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
