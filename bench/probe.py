"""The bench's Django side, one command per process, with DJANGO_SETTINGS_MODULE and DATABASE_URL from the
environment (bench.settings when unset). Prints JSON as its last line.

python -m bench.probe targets                   -> slugs of a published post, a call and an open call
python -m bench.probe queries PATH...           -> SQL queries each page runs for an anonymous visitor (page cache
                                                   off), or for someone mid-response (page cache on)
python -m bench.probe superuser NAME PASSWORD   -> create (or reset) a superuser
python -m bench.probe export CALL_ID FORMAT NAME -> one admin export in this process: seconds, size, memory rise
python -m bench.probe seed COUNT                -> store COUNT more made-up responses to a bench call (bulk inserts)
python -m bench.probe archive COUNT FOLDER      -> a site with COUNT published responses, exported as a zip
"""

import datetime
import io
import json
import os
import resource
import sys
import time
from pathlib import Path

import django

ANSWER = (
    "Having the same social worker for longer made the biggest difference. Meetings were easier when someone "
    "explained what would happen next and listened to what I wanted. "
)


def targets():
    from consultations.models import Call
    from pages.models import Post

    post = Post.objects.published().first()
    # An open call is the busiest page while a call runs; any call will do when none is open.
    call = Call.objects.open().first() or Call.objects.order_by("pk").first()
    return {
        "post_slug": post.slug if post else None,
        "call_slug": call.slug if call else None,
        "open_call_slug": call.slug if call and call.is_open() else None,
    }


def queries(*paths):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # With the page cache on, someone mid-response asking for every page afresh (as a hard refresh does), so every
    # page is rendered: what a page costs when it is not served from the cache.
    client, result = Client(HTTP_HOST="127.0.0.1", headers={"Cache-Control": "no-cache"}), {}
    session = client.session
    session["respond_journeys"] = {"0": {"token": "bench", "steps": {}, "files": []}}
    session.save()
    for path in paths:
        client.get(path)  # warm: the first request fills per-process caches (content types, templates)
        with CaptureQueriesContext(connection) as ctx:
            status = client.get(path).status_code
        result[path] = {"status": status, "queries": len(ctx), "sql": [q["sql"][:200] for q in ctx.captured_queries]}
    return result


def superuser(username, password):
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username=username, defaults={"email": f"{username}@example.org"})
    user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()
    return {"username": username}


def export(call_id, file_format, username):
    """Export one call's responses as staff would: seconds, size, and the rise in this process's peak memory."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username))
    client.get("/admin/submissions/submission/")  # load the admin and its templates before measuring
    before, started = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, time.monotonic()
    query = {"format": file_format, "personal": "1", "call__id__exact": call_id}
    response = client.get("/admin/submissions/submission/export/", query)
    size = sum(len(piece) for piece in response.streaming_content) if response.streaming else len(response.content)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "status": response.status_code,
        "seconds": round(time.monotonic() - started, 1),
        "mb": round(size / 1e6, 1),
        "rise_mb": round((after - before) / 1024, 1),
    }


def seed(count, slug="bench-call-for-evidence", published=False, batch=2000):
    """Bulk-insert `count` more responses, five answers each, to a bench call (made if missing; closed and all
    approved and publishable when `published`, for the archive)."""
    from django.db import transaction
    from django.utils import timezone

    from consultations.models import Call, Question, ReviewPhase
    from submissions.models import Answer, Submission

    began, now = time.monotonic(), timezone.now()
    call, _ = Call.objects.get_or_create(
        slug=slug,
        defaults={
            "kind": Call.Kind.EVIDENCE,
            "title": "Bench: Call for Evidence",
            "summary": "Responses made up for measuring the staff console and the archive.",
            "body": "Made-up responses.",
            "audience": "Nobody: bench data.",
            "phase": ReviewPhase.DISCOVERY,
            "opens_at": now - datetime.timedelta(days=120),
            "closes_at": now + datetime.timedelta(days=-30 if published else 30),
            "outcome": "We heard from many people." if published else "",
        },
    )
    kinds = Question.AnswerType
    prompts = [
        ("What is working well for children in care?", kinds.LONG_TEXT, ""),
        ("What should change first?", kinds.LONG_TEXT, ""),
        ("Which services have you used?", kinds.MANY_CHOICES, "Social work\nFostering\nAdvocacy\nSchool"),
        ("How long have you been involved?", kinds.ONE_CHOICE, "Under a year\n1 to 5 years\nOver 5 years"),
        ("Anything else?", kinds.SHORT_TEXT, ""),
    ]
    if not call.questions.exists():
        Question.objects.bulk_create(
            Question(call=call, position=n, prompt=prompt, answer_type=kind, choices=choices)
            for n, (prompt, kind, choices) in enumerate(prompts, start=1)
        )
    questions = list(call.questions.order_by("position"))
    statuses = [Submission.Status.PENDING] * 5 + [Submission.Status.APPROVED] * 3 + [Submission.Status.SPAM]
    types = [Submission.RespondentType.CARE_EXPERIENCED_ADULT] if published else Submission.RespondentType.values
    publications = [Submission.Publication.WITH_NAME, Submission.Publication.ANONYMOUS]

    def answer(submission, question, n):
        choices = question.choice_list
        if question.answer_type == kinds.MANY_CHOICES:
            return Answer(
                submission=submission,
                question=question,
                selected=[choices[n % len(choices)], choices[(n + 1) % len(choices)]],
            )
        if question.answer_type == kinds.ONE_CHOICE:
            return Answer(submission=submission, question=question, selected=[choices[n % len(choices)]])
        text = f"Short answer {n}" if question.answer_type == kinds.SHORT_TEXT else ANSWER * (1 + n % 4)
        return Answer(submission=submission, question=question, text=text)

    def submission(n):
        kind = types[n % len(types)]
        # Within the call's dates when published; else over the last 60 days, for the dashboard's chart and filters.
        offset = datetime.timedelta(minutes=(n * 37) % (60 * 24 * 60))
        return Submission(
            call=call,
            reference=f"BENCH-{n:07d}",
            status=Submission.Status.APPROVED if published else statuses[n % len(statuses)],
            respondent_type=kind,
            organisation_name=f"Organisation {n}" if kind == Submission.RespondentType.ORGANISATION else "",
            name=f"Respondent {n}",
            email=f"respondent{n}@example.org",
            publication=publications[n % 2] if published else Submission.Publication.ANONYMOUS,
            consented_at=now,
            submitted_at=call.opens_at + offset if published else now - offset,
        )

    start = Submission.objects.filter(call=call).count()
    for first in range(start, start + count, batch):
        numbers = range(first, min(first + batch, start + count))
        with transaction.atomic():
            stored = Submission.objects.bulk_create(submission(n) for n in numbers)
            Answer.objects.bulk_create(
                (answer(s, q, n) for n, s in zip(numbers, stored, strict=True) for q in questions), batch_size=batch
            )
        print(f"{first + len(numbers):,} responses", file=sys.stderr, flush=True)
    total = Submission.objects.filter(call=call).count()
    return {"call_id": call.pk, "created": count, "total": total, "seconds": round(time.monotonic() - began, 1)}


def archive(count, folder):
    """export_archive of the demo content plus `count` published responses: wall and CPU time, by phase."""
    from django.core.management import call_command

    from archive.export import export_site

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("load_demo_content", stdout=io.StringIO())
    seed(int(count), slug="bench-archive-call", published=True)
    started, cpu = time.monotonic(), time.process_time()
    report = export_site(Path(folder) / "site", zip_path=Path(folder) / "site.zip")
    return {
        "responses": int(count),
        "pages": report.pages,
        "files": report.pages + report.other_files + report.static_files,
        "bytes": report.total_bytes,
        "zip_bytes": report.zip_bytes,
        "seconds": {phase: round(seconds, 1) for phase, seconds in report.seconds.items()},
        "export_seconds": round(time.monotonic() - started, 1),
        # Wall time counts whatever else the machine is doing; CPU time is this export's own work.
        "export_cpu_seconds": round(time.process_time() - cpu, 1),
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    command, args = sys.argv[1], sys.argv[2:]
    if command not in ("targets", "queries", "superuser", "export", "seed", "archive"):
        raise SystemExit(__doc__)
    if command == "seed":
        args = [int(args[0])]
    print(json.dumps(globals()[command](*args), default=str))
