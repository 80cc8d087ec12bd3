"""Django-side helpers for the bench, run in a subprocess with the bench settings and database.

python bench/probe.py targets            -> the slugs of a published post and a call, as JSON
python bench/probe.py queries PATH...    -> SQL queries each page runs for an anonymous visitor
python bench/probe.py superuser NAME PW  -> create (or reset) a superuser for the admin timing
python bench/probe.py demo_calls         -> load the calls' demo content only
python bench/probe.py count              -> responses stored, and their references
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "review_site.settings.bench")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


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


def queries(paths):
    client = Client(HTTP_HOST="127.0.0.1")
    result = {}
    for path in paths:
        client.get(path)  # warm: the first request fills per-process caches (content types, templates)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        result[path] = {
            "status": response.status_code,
            "queries": len(ctx.captured_queries),
            "sql": [q["sql"][:200] for q in ctx.captured_queries],
        }
    return result


def demo_calls():
    """The calls' own demo content, for when the site-wide load_demo_content command is not there."""
    import io

    from consultations import demo

    out = io.StringIO()
    demo.load(out)
    return {"loaded": out.getvalue().splitlines()}


def superuser(username, password):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.org"})
    user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()
    return {"username": username}


def export_memory(call_id, file_format, username):
    """Export one call's responses as staff would, in this process: seconds, size and the rise in peak memory."""
    import resource
    import time

    from django.contrib.auth import get_user_model

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username))
    url = "/admin/submissions/submission/export/"
    client.get("/admin/submissions/submission/")  # load the admin and its templates before measuring
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    response = client.get(url, {"format": file_format, "personal": "1", "call__id__exact": call_id})
    size = 0
    if response.streaming:
        for piece in response.streaming_content:
            size += len(piece)
        response.close()
    else:
        size = len(response.content)
    seconds = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "status": response.status_code,
        "seconds": round(seconds, 1),
        "mb": round(size / 1e6, 1),
        "rise_mb": round((after - before) / 1024, 1),
        "peak_mb": round(after / 1024, 1),
    }


def count():
    from submissions.models import Submission

    refs = list(Submission.objects.values_list("reference", flat=True))
    return {"count": len(refs), "references": refs}


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "targets":
        out = targets()
    elif command == "queries":
        out = queries(args)
    elif command == "superuser":
        out = superuser(*args)
    elif command == "demo_calls":
        out = demo_calls()
    elif command == "export_memory":
        out = export_memory(*args)
    elif command == "count":
        out = count()
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(out))
