"""How long export_archive takes for a site with many published responses. Not a test.

python bench/archive_bench.py                   -> 10,000 published responses (target: under a minute on 2 cores)
python bench/archive_bench.py --responses 2000  -> fewer

Builds a database of its own (SQLite in a temporary folder, or ARCHIVE_BENCH_DATABASE_URL), loads the demo
content, bulk-creates the responses (approved, publishable, five answers each) to one closed call, then runs the
export with its zip, as `manage.py export_archive` does. The last line printed is JSON:
{"responses", "pages", "files", "bytes", "zip_bytes", "seconds": {phase: s}, "export_seconds",
"export_cpu_seconds", "target_seconds", "cores"}.
"""

import argparse
import datetime
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_SECONDS = 60
ANSWER_TEXT = (
    "Having the same social worker for longer made the biggest difference. Meetings were easier when someone "
    "explained what would happen next and listened to what I wanted. "
)


def setup_django(folder):
    os.environ["DJANGO_SETTINGS_MODULE"] = "review_site.settings.test"
    os.environ["DATABASE_URL"] = os.environ.get("ARCHIVE_BENCH_DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite3'}")
    os.environ["PRIVATE_STORAGE_ROOT"] = str(folder / "private")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("load_demo_content", stdout=io.StringIO())


def seed(count):
    from django.db import transaction
    from django.utils import timezone

    from consultations.models import Call, Question, ReviewPhase
    from submissions.models import Answer, Submission

    now = timezone.now()
    call = Call.objects.create(
        kind=Call.Kind.EVIDENCE,
        title="Bench: Call for Evidence",
        slug="bench-call-for-evidence",
        summary="Made-up responses for measuring the archive export.",
        body="Made-up responses.",
        audience="Nobody: bench data.",
        phase=ReviewPhase.DISCOVERY,
        opens_at=now - datetime.timedelta(days=120),
        closes_at=now - datetime.timedelta(days=30),
        outcome="We heard from many people.",
    )
    prompts = [
        ("What is working well for children in care?", Question.AnswerType.LONG_TEXT, ""),
        ("What should change first?", Question.AnswerType.LONG_TEXT, ""),
        ("Which services have you used?", Question.AnswerType.MANY_CHOICES, "Social work\nFostering\nAdvocacy"),
        ("How long have you been involved?", Question.AnswerType.ONE_CHOICE, "Under a year\nOver a year"),
        ("Anything else?", Question.AnswerType.SHORT_TEXT, ""),
    ]
    questions = Question.objects.bulk_create(
        Question(call=call, position=n, prompt=prompt, answer_type=kind, choices=choices)
        for n, (prompt, kind, choices) in enumerate(prompts, start=1)
    )
    publications = [Submission.Publication.WITH_NAME, Submission.Publication.ANONYMOUS]
    batch = 2000
    for start in range(0, count, batch):
        numbers = range(start, min(start + batch, count))
        with transaction.atomic():
            submissions = Submission.objects.bulk_create(
                Submission(
                    call=call,
                    reference=f"ARCHIVE-{n:07d}",
                    status=Submission.Status.APPROVED,
                    respondent_type=Submission.RespondentType.CARE_EXPERIENCED_ADULT,
                    name=f"Respondent {n}",
                    email=f"respondent{n}@example.org",
                    publication=publications[n % 2],
                    consented_at=call.opens_at,
                    submitted_at=call.opens_at + datetime.timedelta(minutes=n),
                )
                for n in numbers
            )
            answers = []
            for n, submission in zip(numbers, submissions, strict=True):
                answers += [
                    Answer(submission=submission, question=questions[0], text=ANSWER_TEXT * (1 + n % 3)),
                    Answer(submission=submission, question=questions[1], text=ANSWER_TEXT),
                    Answer(submission=submission, question=questions[2], selected=["Social work", "Advocacy"]),
                    Answer(submission=submission, question=questions[3], selected=["Over a year"]),
                    Answer(submission=submission, question=questions[4], text=f"Short answer {n}"),
                ]
            Answer.objects.bulk_create(answers, batch_size=batch)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="archive-bench-") as tmp:
        folder = Path(tmp)
        started = time.monotonic()
        setup_django(folder)
        seed(args.responses)
        print(f"database ready with {args.responses:,} published responses in {time.monotonic() - started:.1f} s")

        from review_site.archive import export_site

        started, cpu_started = time.monotonic(), time.process_time()
        report = export_site(folder / "site", zip_path=folder / "site.zip")
        elapsed, cpu = time.monotonic() - started, time.process_time() - cpu_started
        result = {
            "responses": args.responses,
            "pages": report.pages,
            "files": report.pages + report.other_files + report.static_files,
            "bytes": report.total_bytes,
            "zip_bytes": report.zip_bytes,
            "seconds": {phase: round(seconds, 1) for phase, seconds in report.seconds.items()},
            "export_seconds": round(elapsed, 1),
            # Wall time counts whatever else the machine is doing; CPU time is this export's own work.
            "export_cpu_seconds": round(cpu, 1),
            "target_seconds": TARGET_SECONDS,
            "cores": os.cpu_count(),
        }
        verdict = "within" if elapsed < TARGET_SECONDS else "OVER"
        print(f"export_archive: {report.pages:,} pages, {report.total_bytes:,} bytes")
        print(f"export_archive: {elapsed:.1f} s ({cpu:.1f} s CPU), {verdict} the {TARGET_SECONDS} s target")
        print(json.dumps(result))


def archive_part(responses=10_000):
    """For bench/run.py: `run_part(results, "archive", archive_bench.archive_part)`. Runs in a process of its own."""
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--responses", str(responses)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"archive_bench.py failed: {proc.stderr[-2000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["target_met"] = result["export_seconds"] < TARGET_SECONDS
    return result


if __name__ == "__main__":
    main()
