"""The analysis bench's Django side, one command per process (so each measures its own memory), with
DJANGO_SETTINGS_MODULE and DATABASE_URL from the environment (bench.settings when unset). Prints JSON as its last line.

python -m bench.analysis_probe csv ROWS FILE            -> write an import file of ROWS offline responses (no Django)
python -m bench.analysis_probe import SLUG FILE          -> import_responses into a bench call (made if missing)
python -m bench.analysis_probe suggest IDEAS             -> suggested themes for a call with IDEAS made-up ideas
python -m bench.analysis_probe code SLUG                 -> nine themes, every idea of the call coded with one or two
"""

import csv
import datetime
import json
import os
import random
import resource
import sys
import time

import django

PROMPT = "What should change for children in care?"
TOPICS = {
    "Homes": "housing flat tenancy rent landlord council accommodation homeless deposit bills move",
    "School": "school teacher exams classroom education tutor homework college exclusion grades",
    "Health": "mental health counselling therapy anxiety depression camhs waiting wellbeing trauma",
    "Workers": "social worker caseload turnover visits relationship trust changed consistent manager",
    "Family": "family siblings contact grandparents kinship relatives brother sister parents reunite",
    "Money": "money allowance savings bank account budget debt benefits wages grant",
    "Leaving care": "leaving care eighteen independence support pathway adviser staying put transition",
    "Voice": "voice listened heard views advocacy meetings decisions involved say choice",
}
FILLER = str.split("we think it would be much better if there was more of this for young people in the system")


def _text(rng, words=40):
    topic = rng.choice(list(TOPICS))
    picked = rng.choices(TOPICS[topic].split(), k=words // 2) + rng.choices(FILLER, k=words // 2)
    rng.shuffle(picked)
    return topic, " ".join(picked)


def write_csv(rows, path):
    """An offline-responses file as staff would type it: the export's layout, one answer and one idea a row."""
    rng = random.Random(1)
    header = ["Call", "Respondent type", "Publication choice", PROMPT, "Idea 1 title", "Idea 1"]
    types = ["Care-experienced adult", "Foster or kinship carer", "Social worker or other practitioner", "Other"]
    with open(path, "w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for n in range(int(rows)):
            topic, answer = _text(rng)
            _, idea = _text(rng, 30)
            writer.writerow(["", types[n % len(types)], "", answer, f"{topic} idea {n}", idea])
    return {"rows": int(rows), "mb": round(os.path.getsize(path) / 1e6, 1)}


def _call(slug, kind="ideas"):
    from django.utils import timezone

    from consultations.models import Call, Question, ReviewPhase

    now = timezone.now()
    call, created = Call.objects.get_or_create(
        slug=slug,
        defaults={
            "kind": kind,
            "title": f"Bench: {slug}",
            "summary": "Made-up responses for measuring analysis.",
            "body": "Made-up.",
            "audience": "Nobody: bench data.",
            "phase": ReviewPhase.DISCOVERY,
            "opens_at": now - datetime.timedelta(days=90),
            "closes_at": now - datetime.timedelta(days=1),
            "idea_word_limit": 250,
        },
    )
    if created:
        Question.objects.create(call=call, position=1, prompt=PROMPT)
    return call


def import_file(slug, path):
    from submissions.services.imports import responses_import

    call = _call(slug)
    before, started = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, time.monotonic()
    cpu = time.process_time()
    with open(path, "rb") as binary:
        result = responses_import(call=call, binary=binary, channel="post")
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "call_id": call.pk,
        "rows": result.rows,
        "seconds": round(time.monotonic() - started, 1),
        "cpu_seconds": round(time.process_time() - cpu, 1),
        "rise_mb": round((after - before) / 1024, 1),
        "peak_mb": round(after / 1024, 1),
    }


def suggest(ideas):
    """A call with `ideas` made-up ideas (bulk inserted), then suggested themes as the job worker runs them."""
    from django.utils import timezone

    from analysis.services.suggestions import themes_suggest
    from submissions.models import Idea, Submission

    call, rng, now = _call(f"bench-suggest-{ideas}"), random.Random(2), timezone.now()
    if not Idea.objects.filter(submission__call=call).exists():
        submissions = Submission.objects.bulk_create(
            Submission(
                call=call,
                reference=f"BENCHS-{n:07d}",
                respondent_type="other",
                publication="do_not_publish",
                consented_at=now,
                submitted_at=now,
            )
            for n in range(int(ideas))
        )
        Idea.objects.bulk_create(
            (Idea(submission=s, position=1, title=f"Idea {n}", body=_text(rng)[1]) for n, s in enumerate(submissions)),
            batch_size=2000,
        )
    started, cpu = time.monotonic(), time.process_time()
    themes, items = themes_suggest(call=call)
    return {
        "items": items,
        "themes": len(themes),
        "seconds": round(time.monotonic() - started, 1),
        "cpu_seconds": round(time.process_time() - cpu, 1),
    }


def code(slug):
    """Nine themes: every idea of the call coded with the theme of its topic, every third idea with a second theme
    too (about 133,000 codings for 100,000 ideas)."""
    from analysis.models import Coding, Theme
    from analysis.services.coding import coding_apply
    from submissions.models import Idea

    call = _call(slug)
    themes = {name: Theme.objects.get_or_create(call=call, name=name)[0] for name in TOPICS}
    extra = Theme.objects.get_or_create(call=call, name="Said more than once")[0]
    started = time.monotonic()
    ideas = Idea.objects.filter(submission__call=call).values_list("pk", "submission_id", "title")
    by_topic = {name: [] for name in TOPICS}
    second = []
    for n, (pk, sid, title) in enumerate(ideas.iterator(chunk_size=5000)):
        by_topic[title.rsplit(" idea ", 1)[0]].append((pk, sid))
        if n % 3 == 0:
            second.append((pk, sid))
    for name, items in by_topic.items():
        coding_apply(theme=themes[name], kind=Coding.Kind.IDEA, items=items, coder=None)
    coding_apply(theme=extra, kind=Coding.Kind.IDEA, items=second, coder=None)
    return {
        "call_id": call.pk,
        "codings": Coding.objects.filter(theme__call=call).count(),
        "ideas": sum(len(items) for items in by_topic.values()),
        "seconds": round(time.monotonic() - started, 1),
    }


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "csv":
        print(json.dumps(write_csv(*args)))
        sys.exit(0)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    print(json.dumps({"import": import_file, "suggest": suggest, "code": code}[command](*args), default=str))
