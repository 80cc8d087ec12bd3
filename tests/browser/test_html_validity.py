"""Every public page is valid HTML according to the Nu Html Checker (vnu-jar, from npm), errors only.

The pages are fetched with the test client, saved to a folder and checked in one java run (the JVM's start is
most of the cost).
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .support import BASE_DIR, make_public_content

VNU_JAR = BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


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
    paths = []
    for name, html in documents.items():
        path = tmp_path / f"{name}.html"
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


def fetch(client, path, status=200, method="get", data=None):
    response = getattr(client, method)(path, data or {})
    assert response.status_code == status, f"{method.upper()} {path} answered {response.status_code}"
    return response.content.decode()


def test_every_public_page_is_valid_html(client, db, java, tmp_path):
    content = make_public_content()
    calls = content["calls"]
    documents = {
        "home": fetch(client, "/"),
        "faqs": fetch(client, "/faqs/"),
        "news": fetch(client, "/news/"),
        "post": fetch(client, content["posts"][0].get_absolute_url()),
        "blog": fetch(client, content["posts"][1].get_absolute_url()),
        "about": fetch(client, "/about/"),
        "get-involved": fetch(client, "/get-involved/"),
        "call-open": fetch(client, calls["open"].get_absolute_url()),
        "call-upcoming": fetch(client, calls["upcoming"].get_absolute_url()),
        "call-closed": fetch(client, calls["closed"].get_absolute_url()),
        "not-found": fetch(client, "/no-such-page/", status=404),
    }
    errors = validate(java, documents, tmp_path)
    assert not errors, f"{len(errors)} HTML errors (Nu Html Checker):\n" + "\n".join(errors)


def test_the_checker_finds_invalid_html(java, tmp_path):
    """The check above can fail: a page with a stray end tag and a duplicate id is reported."""
    bad = (
        '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><p id="a"></p><p id="a"></div></body></html>'
    )
    errors = validate(java, {"bad": bad}, tmp_path)
    assert any("Duplicate ID" in e for e in errors), errors
    assert any("div" in e for e in errors), errors
