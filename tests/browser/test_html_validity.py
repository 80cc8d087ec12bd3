"""Every public page, and every step and error state of the response journey, is valid HTML according to the
Nu Html Checker (vnu-jar, from npm), errors only.

The pages are fetched with the test client, saved to a folder and checked in one java run (the JVM's start is
most of the cost). A known-bad document goes into the same run, to prove the checker is really checking.
"""

import datetime
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from consultations.models import Call
from core.models import ClosureNotice
from tests.factories import CallFactory, ClosureNoticeFactory, QuestionFactory

from .support import BASE_DIR

VNU_JAR = BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
BAD_DOCUMENT = (
    '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><p id="a"></p><p id="a"></div></body></html>'
)


@pytest.fixture(scope="session")
def java():
    """The java that runs vnu; installed with apt (as root, like CI) when missing, and a failure otherwise."""
    found = shutil.which("java")
    if found:
        return found
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        ["apt-get", "update"],
        ["apt-get", "install", "-y", "--no-install-recommends", "default-jre-headless"],
    ):
        result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        if result.returncode != 0:
            pytest.fail(f"java is missing and `{' '.join(command)}` failed:\n{result.stderr[-2000:]}")
    found = shutil.which("java")
    if not found:
        pytest.fail("default-jre-headless installed but no java on PATH.")
    return found


def validate(java, documents, tmp_path):
    """Check {name: html} in one vnu run; return the errors as readable lines."""
    if not VNU_JAR.exists():
        pytest.fail(f"{VNU_JAR} is missing: run `npm ci` (make test does).")
    folder = tmp_path / "vnu"
    folder.mkdir(exist_ok=True)
    paths = []
    for name, html in documents.items():
        path = folder / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        paths.append(str(path))
    result = subprocess.run(
        [java, "-Xss2m", "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *paths],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    try:
        messages = json.loads(result.stderr or result.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu gave no JSON (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m['message']}\n    {m.get('extract', '').strip()}"
        for m in messages
        if m.get("type") in {"error", "non-document-error"}
    ]


def fetch(client, path, status=200, method="get", data=None, **extra):
    response = getattr(client, method)(path, data or {}, **extra)
    assert response.status_code == status, f"{method.upper()} {path} answered {response.status_code}"
    return response.content.decode()


def slug(path):
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


def demo_site_documents(client):
    call_command("load_demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
    sitemap = client.get("/sitemap.xml").content.decode()
    paths = [re.sub(r"^https?://[^/]+", "", loc) for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    paths += [call.get_responses_url() for call in Call.objects.all()]
    paths += ["/search/", "/search/?q=care+leavers", "/search/?q=%3Cscript%3E", "/updates/"]
    documents = {f"demo-{slug(path)}": fetch(client, path) for path in dict.fromkeys(paths)}
    documents["not-found"] = fetch(client, "/no-such-page/", status=404)
    return documents


def archive_documents(folder):
    """The archived copy (export_archive): every page as the archive will keep it, made from the demo as it is once
    the review has ended (load_demo_content --archived); the default demo is put back afterwards."""
    call_command("load_demo_content", "--archived", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("export_archive", str(folder), stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("load_demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
    pages = sorted(folder.rglob("*.html"))
    assert len(pages) > 20
    return {f"archive-{slug(str(page.relative_to(folder)))}": page.read_text(encoding="utf-8") for page in pages}


def ideas_journey_documents(client):
    """Every step of the demo Call for Ideas, each error state on the way, the check page and the confirmation."""
    call = Call.objects.get(slug="call-for-ideas")
    base = call.get_absolute_url() + "respond/"
    docs = {"ideas-about": fetch(client, base + "about-you/")}
    docs["ideas-about-error"] = fetch(client, base + "about-you/", method="post")
    docs["ideas-about-organisation-error"] = fetch(
        client, base + "about-you/", method="post", data={"respondent_type": "organisation"}
    )
    client.post(base + "about-you/", {"respondent_type": "organisation", "organisation_name": "Acorn <Trust>"})
    docs["ideas-answers"] = fetch(client, base + "your-answers/")
    docs["ideas-answers-error"] = fetch(client, base + "your-answers/", method="post", data={"action": "continue"})
    client.post(base + "your-answers/", {"action": "add_idea", "idea_title_1": "One worker"})
    docs["ideas-answers-two-ideas"] = fetch(client, base + "your-answers/")
    docs["ideas-answers-too-many-words"] = fetch(
        client,
        base + "your-answers/",
        method="post",
        data={"action": "continue", "idea_title_1": "One worker", "idea_body_1": "word " * 300},
    )
    client.post(
        base + "your-answers/",
        {"action": "continue", "idea_title_1": "One worker & <b>more</b>", "idea_body_1": "Keep the same worker."},
    )
    docs["ideas-publishing"] = fetch(client, base + "publishing/")
    docs["ideas-publishing-error"] = fetch(client, base + "publishing/", method="post")
    client.post(base + "publishing/", {"publication": "anonymous", "consent": "on"})
    docs["ideas-check"] = fetch(client, base + "check-your-answers/")
    token = re.search(r'name="journey_token" value="([^"]+)"', docs["ideas-check"]).group(1)
    client.post(base + "submit/", {"journey_token": token})
    docs["ideas-confirmation"] = fetch(client, base + "confirmation/")
    docs["call-closed-respond"] = fetch(
        client, Call.objects.get(slug="call-for-advice").get_absolute_url() + "respond/about-you/", status=410
    )
    return docs


def files_step_documents(client):
    call = CallFactory(slug="evidence-with-files", kind=Call.Kind.EVIDENCE, accepts_attachments=True)
    question = QuestionFactory(call=call, prompt="What evidence should the review see?", word_limit=30)
    base = call.get_absolute_url() + "respond/"
    client.post(base + "about-you/", {"respondent_type": "researcher"})
    client.post(base + "your-answers/", {"action": "continue", f"q_{question.pk}": "See the files."})
    docs = {"files": fetch(client, base + "files/")}
    program = ("report.pdf", b"MZ\x90\x00" + b"\x00" * 100, "application/pdf")
    from django.core.files.uploadedfile import SimpleUploadedFile

    docs["files-error"] = fetch(
        client, base + "files/", method="post", data={"action": "upload", "file": SimpleUploadedFile(*program)}
    )
    text = SimpleUploadedFile("notes <1>.txt", b"Plain notes.\n", "text/plain")
    client.post(base + "files/", {"action": "upload", "file": text})
    docs["files-uploaded"] = fetch(client, base + "files/")
    return docs


def refusal_documents(client, settings):
    """Too many responses, a bot caught by the honeypot, a stale form token, and a call not open yet."""
    call = CallFactory(slug="advice-refusals")
    question = QuestionFactory(call=call)
    base = call.get_absolute_url() + "respond/"
    client.post(base + "about-you/", {"respondent_type": "other"})
    client.post(base + "your-answers/", {"action": "continue", f"q_{question.pk}": "An answer."})
    client.post(base + "publishing/", {"publication": "anonymous", "consent": "on"})
    check = fetch(client, base + "check-your-answers/")
    token = re.search(r'name="journey_token" value="([^"]+)"', check).group(1)
    settings.RESPONSE_RATE_LIMIT = "0/h"
    docs = {
        "refused-too-many": fetch(client, base + "submit/", status=429, method="post", data={"journey_token": token})
    }
    settings.RESPONSE_RATE_LIMIT = "1000/h"
    docs["refused-not-sent"] = fetch(
        client, base + "submit/", status=400, method="post", data={"journey_token": token, "website": "spam"}
    )
    strict = Client(enforce_csrf_checks=True)
    docs["refused-csrf"] = fetch(strict, base + "about-you/", status=403, method="post", data={"name": "x"})
    upcoming = CallFactory(slug="upcoming-refusals", opens_at=timezone.now() + datetime.timedelta(days=2))
    docs["refused-upcoming"] = fetch(client, upcoming.get_absolute_url() + "respond/about-you/", status=403)
    return docs


def test_every_public_page_and_journey_state_is_valid_html(client, db, java, tmp_path, settings):
    settings.RESPONSE_RATE_LIMIT = "1000/h"
    documents = demo_site_documents(client)
    documents.update(archive_documents(tmp_path / "archive"))
    documents.update(ideas_journey_documents(client))
    documents.update(files_step_documents(client))
    documents.update(refusal_documents(client, settings))
    # Archive mode: the one active closure notice's date has passed.
    ClosureNotice.objects.update(is_active=False)
    ClosureNoticeFactory(closes_at=timezone.now() - datetime.timedelta(days=1))
    documents["site-closed-home"] = fetch(client, "/")
    documents["site-closed-respond"] = fetch(client, "/calls/call-for-ideas/respond/about-you/")
    documents["zz-known-bad"] = BAD_DOCUMENT
    assert len(documents) >= 49

    errors = validate(java, documents, tmp_path)
    bad = [e for e in errors if e.startswith("zz-known-bad.html")]
    assert any("Duplicate ID" in e for e in bad) and any("div" in e for e in bad), (
        "the checker did not report the known-bad document: it is not checking",
        errors,
    )
    errors = [e for e in errors if e not in bad]
    assert not errors, f"{len(errors)} HTML errors (Nu Html Checker):\n" + "\n".join(errors)
