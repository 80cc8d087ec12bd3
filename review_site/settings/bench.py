"""Settings for `make bench`: production settings, served over plain http on 127.0.0.1 only.

Never deploy with these: the secret key is fixed and public, and the rate limit is raised so one
machine can play fifty respondents.
"""

import os

# production.py refuses to import without a real key, so the bench's own key must be in place first.
BENCH_SECRET_KEY = "bench-only-fixed-key-never-used-anywhere-else-7c1e9a4f2b8d6e3a5c0f9b7d2e4a6c8f1b3d5e7a"
os.environ["SECRET_KEY"] = BENCH_SECRET_KEY

from .production import *  # noqa: E402, F403

DEBUG = False
SECRET_KEY = BENCH_SECRET_KEY
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "review_site.bench_urls"

# The bench speaks plain http to 127.0.0.1: no redirect to https, no secure-only cookies, no HSTS.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# Every simulated respondent comes from 127.0.0.1: a per-address limit meant for one person would stop them.
RESPONSE_RATE_LIMIT = "1000000/h"

# Receipts go to files, not to an SMTP server the bench machine does not have.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = str(BASE_DIR / "bench" / "results" / "emails")
