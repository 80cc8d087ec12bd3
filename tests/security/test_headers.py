"""Security headers on every kind of response, and production settings that pass Django's deploy checks."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError

from tests.factories import CallFactory, PageFactory, PostFactory

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_KEY = "a-test-only-production-key-" + "x7Qp2Lm9Rt4Vb8Nc1Zd6Hs3Jk5Wf0Ye" * 2


def csp_directives(response):
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return header, directives


def assert_secure_headers(response, where):
    header, csp = csp_directives(response)
    assert header, f"{where}: no Content-Security-Policy"
    assert "unsafe-inline" not in header and "unsafe-eval" not in header, f"{where}: {header}"
    assert "default-src" in csp, f"{where}: {header}"
    assert csp.get("object-src") == ["'none'"], f"{where}: {header}"
    assert csp.get("base-uri") == ["'none'"], f"{where}: {header}"
    assert csp.get("form-action") == ["'self'"], f"{where}: {header}"
    assert csp.get("frame-ancestors") == ["'none'"], f"{where}: {header}"
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") in {
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    }, where
    assert response.headers.get("Cross-Origin-Opener-Policy") == "same-origin", where
    assert response.headers.get("Cross-Origin-Resource-Policy") == "same-origin", where
    assert "camera=()" in response.headers.get("Permissions-Policy", ""), where
    assert response.headers.get("X-Frame-Options") == "DENY", where


@pytest.fixture
def content(db):
    PageFactory(slug="about", title="About the review")
    post = PostFactory(slug="final-report")
    call = CallFactory(slug="call-for-evidence")
    return {"post": post, "call": call}


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/faqs/", 200),
        ("/news/", 200),
        ("/news/final-report/", 200),
        ("/about/", 200),
        ("/get-involved/", 200),
        ("/calls/call-for-evidence/", 200),
        ("/news/feed/", 200),
        ("/sitemap.xml", 200),
        ("/robots.txt", 200),
        ("/healthz", 200),
        ("/no-such-page/", 404),
        ("/news/no-such-post/", 404),
        ("/admin/login/", 200),
        ("/admin/", 302),
    ],
)
def test_every_response_carries_the_security_headers(client, content, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert_secure_headers(response, path)


def test_a_refused_form_post_carries_the_security_headers(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert_secure_headers(response, "CSRF failure")


def test_static_files_carry_the_security_headers(settings):
    from django.test import Client

    # As in production, WhiteNoise answers (here straight from the source folders, without collectstatic).
    settings.WHITENOISE_USE_FINDERS = True
    response = Client().get("/static/site.css")
    assert response.status_code == 200
    assert_secure_headers(response, "/static/site.css")


def test_a_page_served_from_the_page_cache_keeps_its_headers(client, content, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    first = client.get("/faqs/")
    again = client.get("/faqs/")
    assert again.headers.get("X-Page-Cache") == "hit", "the second request should come from the page cache"
    assert first.headers["Content-Security-Policy"] == again.headers["Content-Security-Policy"]
    assert_secure_headers(again, "cached /faqs/")


def test_staff_pages_carry_the_security_headers(client, db):
    staff = get_user_model().objects.create_superuser("admin", "admin@example.org", "a-long-staff-password")
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert_secure_headers(response, "/admin/")


# Production settings, in a fresh interpreter: they are read once at start-up.


def production_env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "SESSION_", "CSRF_", "DATABASE_URL"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "review_site.settings.production",
            "SECRET_KEY": PRODUCTION_KEY,
            "ALLOWED_HOSTS": "review.example.org,testserver",
            "DATABASE_URL": "sqlite://:memory:",
            **extra,
        }
    )
    return env


def test_production_settings_pass_the_deploy_checks_with_nothing_silenced():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    settings_dump = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SILENCED_SYSTEM_CHECKS)"],
        cwd=BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert settings_dump.stdout.strip() == "[]"


def test_production_refuses_to_start_without_a_real_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=production_env(SECRET_KEY="short"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


PROBE = r"""
import json
import django
django.setup()
from django.core.management import call_command
from django.test import Client

call_command("migrate", verbosity=0, run_syncdb=True)
call_command("createcachetable", verbosity=0)
# The manifest needs collectstatic; headers do not depend on how static addresses are spelled.
from django.test.utils import override_settings
override_settings(STORAGES={
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}).enable()
out = {}
client = Client()
plain = client.get("/faqs/", HTTP_HOST="review.example.org")
out["plain"] = {"status": plain.status_code, "location": plain.headers.get("Location", "")}
for path in ["/", "/faqs/", "/admin/login/", "/no-such-page/"]:
    response = client.get(path, secure=True, HTTP_HOST="review.example.org")
    out[path] = {
        "status": response.status_code,
        "headers": dict(response.headers),
        "cookies": {
            name: {"secure": bool(m["secure"]), "httponly": bool(m["httponly"]), "samesite": m["samesite"]}
            for name, m in response.cookies.items()
        },
    }
from django.conf import settings
out["settings"] = {
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "SESSION_COOKIE_HTTPONLY": settings.SESSION_COOKIE_HTTPONLY,
    "SESSION_COOKIE_SAMESITE": settings.SESSION_COOKIE_SAMESITE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "CSRF_COOKIE_HTTPONLY": settings.CSRF_COOKIE_HTTPONLY,
    "CSRF_COOKIE_SAMESITE": settings.CSRF_COOKIE_SAMESITE,
}
print("PROBE-RESULT " + json.dumps(out))
"""


@pytest.fixture(scope="module")
def production():
    """Requests made through the production settings (over https, as behind the proxy), as JSON."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("PROBE-RESULT ")]
    assert lines, f"the production probe failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return json.loads(lines[-1].removeprefix("PROBE-RESULT "))


def test_production_sends_plain_http_to_https(production):
    assert production["plain"]["status"] == 301
    assert production["plain"]["location"] == "https://review.example.org/faqs/"


@pytest.mark.parametrize("path", ["/", "/faqs/", "/admin/login/", "/no-such-page/"])
def test_production_responses_carry_hsts_for_at_least_a_year(production, path):
    response = production[path]
    assert response["status"] in {200, 404}, response
    hsts = response["headers"].get("Strict-Transport-Security", "")
    max_age = int(hsts.split("max-age=")[1].split(";")[0]) if "max-age=" in hsts else 0
    assert max_age >= 31536000, hsts
    assert "includeSubDomains" in hsts


def test_production_cookies_are_secure_httponly_and_samesite(production):
    cookies = production["/admin/login/"]["cookies"]
    assert "csrftoken" in cookies, "the sign-in form sets the CSRF cookie"
    for name, flags in cookies.items():
        assert flags == {"secure": True, "httponly": True, "samesite": "Lax"}, name
    configured = production["settings"]
    assert configured["SESSION_COOKIE_SECURE"] and configured["CSRF_COOKIE_SECURE"]
    assert configured["SESSION_COOKIE_HTTPONLY"] and configured["CSRF_COOKIE_HTTPONLY"]
    assert configured["SESSION_COOKIE_SAMESITE"] in {"Lax", "Strict"}
    assert configured["CSRF_COOKIE_SAMESITE"] in {"Lax", "Strict"}


@pytest.mark.parametrize(
    ("error", "status"),
    [(RuntimeError("a bug"), 500), (OperationalError("database gone"), 503)],
    ids=["server-error", "database-unavailable"],
)
def test_error_pages_carry_the_security_headers(db, monkeypatch, error, status):
    from django.test import Client

    from pages import views

    def broken(self):
        raise error

    monkeypatch.setattr(views.FAQListView, "get_queryset", broken)
    client = Client(raise_request_exception=False)
    response = client.get("/faqs/")
    assert response.status_code == status
    assert_secure_headers(response, f"{status} page")
