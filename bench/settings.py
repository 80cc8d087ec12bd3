"""Settings for `make bench`: the production settings over plain http on 127.0.0.1, plus a hello-world view.

Never deploy with these: the secret key is fixed and public, and the Submit limit is raised so one machine can play
fifty respondents. The environment still sets what production reads from it (DATABASE_URL, REDIS_URL,
RESPONSE_RATE_LIMIT, RESPONSE_TRUSTED_PROXY_COUNT, EMAIL_FILE_PATH, EMAIL_JOB_LEASE_SECONDS, ...).
"""

import os

# production.py refuses to import without a real key, so the bench's own key must be in place first.
BENCH_SECRET_KEY = "bench-only-fixed-key-never-used-anywhere-else-7c1e9a4f2b8d6e3a5c0f9b7d2e4a6c8f1b3d5e7a"
os.environ["SECRET_KEY"] = BENCH_SECRET_KEY

from review_site.settings.production import *  # noqa: E402, F403
from review_site.settings.production import BASE_DIR, ROOT_URLCONF, env, env_int  # noqa: E402

SECRET_KEY = BENCH_SECRET_KEY
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
# The site's own URLs, served by bench/urls.py beside /bench/hello/.
SITE_URLCONF = ROOT_URLCONF
ROOT_URLCONF = "bench.urls"

# Plain http to 127.0.0.1: no redirect to https, no secure-only cookies, no HSTS.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# Every simulated respondent comes from 127.0.0.1: a per-address limit meant for one person would stop them.
RESPONSE_RATE_LIMIT = env("RESPONSE_RATE_LIMIT", "1000000/h")
UPLOAD_RATE_LIMIT = env("UPLOAD_RATE_LIMIT", "1000000/h")
UPLOAD_PENDING_MAX_BYTES_PER_CLIENT = env_int("UPLOAD_PENDING_MAX_BYTES_PER_CLIENT", 100 * 1024**3)

# Receipts go to files, not to an SMTP server the bench machine does not have; the updates part starts its own
# SMTP server and sets EMAIL_BACKEND=core.mail.EmailBackend.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "bench" / "results" / "emails"))
