"""Settings shared by every environment. Values that differ between machines come from the environment."""

import base64
import hashlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from review_site.storage import private_storage_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SITE_NAME = "Independent Review of Children's Social Care"

SECRET_KEY = env("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_forms_gds",
    "csp",
    "simple_history",
    "core",
    "pages",
    "consultations",
    "submissions",
    "outbox",
    "publications",
    "analysis",
    "archive",
    "axes",
]

MIDDLEWARE = [
    # Outermost of all: each log line written while serving a request, by any layer, carries its id (core/logging.py),
    # and every response carries it as X-Request-ID.
    "core.request_id.RequestIdMiddleware",
    # Outermost: whatever an inner layer answers, even a 400 for a bad Host header, carries the security headers.
    "core.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # WhiteNoise, adding the same security headers to static files, which it answers before the rest runs.
    "core.middleware.StaticFilesMiddleware",
    # Before anything reads a cookie, the query string or a header: NUL and control characters stop here.
    "core.middleware.RequestSanityMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    "core.closure.ClosureNoticeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Content history records which staff member made each change (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.cache.PublicPageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.StaffSessionIdleMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "review_site.urls"
WSGI_APPLICATION = "review_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several processes on one SQLite file (gunicorn workers, the email worker): a transaction takes the write
    # lock when it begins and waits its turn, instead of failing with "database is locked" when it first writes.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
    # Write-ahead logging: readers (every page reads the session and the cache) no longer hold up a writer's commit,
    # which under fifty respondents waited past the 5 s busy timeout ("database is locked"); the timeout itself is
    # raised below gunicorn's, so a busy moment is slow rather than an error.
    DATABASES["default"]["OPTIONS"].update(init_command="PRAGMA journal_mode=WAL;", timeout=20)
if DATABASES["default"]["ENGINE"].endswith("postgresql") and env_bool(
    "DB_PREPARED_STATEMENTS", DATABASES["default"]["CONN_MAX_AGE"] != 0
):
    # Only queries that ask for it are prepared (core/db.py: site search); Django's own are never prepared.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 2**31 - 1
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache (and so rate limits) shared by every worker: Redis when REDIS_URL is set, else the database,
# never per-process memory, where a limit counted per worker would let spam through.
REDIS_URL = env("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "core.redis_cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
            # Past MAX_ENTRIES (Django's default is only 300) a write deletes 1/CULL_FREQUENCY of all entries,
            # rate-limit counters included: keep the ceiling far above what the site stores, and cull a tenth.
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 100_000), "CULL_FREQUENCY": 10},
        }
    }
# Sites (or test runs) sharing one Redis keep apart by prefix.
CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", "")
# Sessions hold the journey's answers until Submit: written to the database (so no answer is lost when Redis
# restarts or evicts) and read through the cache (so most requests cost no query).
SESSION_ENGINE = "core.sessions"  # cached_db, noting what each request read (core/sessions.py)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static" / "build", BASE_DIR / "static" / "public"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Private files (attachments) live outside the static and media paths and are never served directly.
PRIVATE_STORAGE_ROOT = Path(env("PRIVATE_STORAGE_ROOT", str(BASE_DIR / "var" / "private")))
# Attachments and pending uploads go through storages["private"] (review_site/storage.py): the folder above, or a
# private bucket in S3-compatible object storage when ATTACHMENTS_S3_BUCKET is set.
ATTACHMENTS_S3_BUCKET = env("ATTACHMENTS_S3_BUCKET", "")
STORAGES["private"] = private_storage_config(
    bucket=ATTACHMENTS_S3_BUCKET,
    endpoint_url=env("AWS_S3_ENDPOINT_URL", ""),
    region_name=env("AWS_S3_REGION_NAME", ""),
    access_key=env("AWS_ACCESS_KEY_ID", ""),
    secret_key=env("AWS_SECRET_ACCESS_KEY", ""),
    location=env("ATTACHMENTS_S3_PREFIX", ""),
)
# Publication files editors upload (publications/storage.py): MEDIA_ROOT/publications, or, when a bucket is named
# (PUBLICATIONS_S3_BUCKET, else the attachments bucket), that bucket under PUBLICATIONS_S3_PREFIX. Either way they
# are served by publications.views.attachment_file (drafts stay hidden), under names holding their SHA-256, with
# Cache-Control: public, max-age=31536000, immutable; a CDN or nginx in front keeps them off gunicorn.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
PUBLICATIONS_S3_BUCKET = env("PUBLICATIONS_S3_BUCKET", "") or ATTACHMENTS_S3_BUCKET
if PUBLICATIONS_S3_BUCKET:
    STORAGES["publications"] = private_storage_config(
        bucket=PUBLICATIONS_S3_BUCKET,
        endpoint_url=env("AWS_S3_ENDPOINT_URL", ""),
        region_name=env("AWS_S3_REGION_NAME", ""),
        access_key=env("AWS_ACCESS_KEY_ID", ""),
        secret_key=env("AWS_SECRET_ACCESS_KEY", ""),
        location=env("PUBLICATIONS_S3_PREFIX", "publications"),
    )
else:
    STORAGES["publications"] = {"BACKEND": "publications.storage.PublicationFileSystemStorage"}
PUBLICATION_MAX_FILE_BYTES = env_int("PUBLICATION_MAX_FILE_BYTES", 100 * 1024 * 1024)

# Email
# SMTP, handing each message over at the last moment (core/mail.py), so a worker that dies mid-send is told apart.
EMAIL_BACKEND = env("EMAIL_BACKEND", "core.mail.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "emails"))
# GOV.UK Notify instead of SMTP: EMAIL_BACKEND=core.notify.NotifyEmailBackend, an API key, and the id of one template
# whose subject is ((subject)) and body ((body)) (docs/operations.md, "Email"). NOTIFY_BASE_URL only for tests.
NOTIFY_API_KEY = env("NOTIFY_API_KEY", "")
NOTIFY_TEMPLATE_ID = env("NOTIFY_TEMPLATE_ID", "")
NOTIFY_REPLY_TO_ID = env("NOTIFY_REPLY_TO_ID", "")
NOTIFY_BASE_URL = env("NOTIFY_BASE_URL", "")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Children's Social Care Review <no-reply@localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
CONTACT_EMAIL = env("CONTACT_EMAIL", "review.childrenssocialcare@example.org")
# Told (with a link, never the response) whenever a response is flagged, besides the "Safeguarding leads" group.
SAFEGUARDING_EMAILS = env_list("SAFEGUARDING_EMAILS")
# Absolute address of the site, used in emails (links to confirm, unsubscribe).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Sessions and cookies
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
# A signed-in staff member's session ends after this long without a request.
STAFF_SESSION_IDLE_SECONDS = env_int("STAFF_SESSION_IDLE_SECONDS", 30 * 60)

# Staff sign-in: django-axes locks a username from one address out for an hour after 5 failed attempts.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes_lockout.html"
# The same client address as the Submit rate limit: REMOTE_ADDR unless trusted proxies are configured.
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_address"

# Security headers
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# GOV.UK's template marks the page as supporting GOV.UK Frontend before it is first painted: done later, by the module
# script, it moved the whole page once (a layout shift of 0.15). The one inline script is allowed by its hash alone.
FRONTEND_SUPPORTED_SCRIPT = (
    "document.body.className += ' js-enabled' + "
    "('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');"
)
_script_digest = base64.b64encode(hashlib.sha256(FRONTEND_SUPPORTED_SCRIPT.encode()).digest()).decode()
FRONTEND_SUPPORTED_SCRIPT_HASH = f"'sha256-{_script_digest}'"
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", FRONTEND_SUPPORTED_SCRIPT_HASH],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Forms
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Whole public pages kept for anonymous visitors (core/cache.py); edits show at once, dates within this.
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 60)
PUBLIC_PAGE_CACHE_VIEWS = [
    "pages:home",
    "pages:faqs",
    "pages:post_list",
    "pages:post_detail",
    "pages:page",
    "pages:get_involved",
    "consultations:call_detail",
    # Kept per cleaned query (pages.views.SearchView.page_cache_query).
    "pages:search",
    "publications:list",
    "publications:detail",
]

# Sign-up confirmation links expire after this many hours.
UPDATES_CONFIRM_MAX_AGE_HOURS = env_int("UPDATES_CONFIRM_MAX_AGE_HOURS", 72)
# At most one sign-up email per address in this many seconds, so the form cannot flood an inbox (0: no limit).
UPDATES_EMAIL_INTERVAL_SECONDS = env_int("UPDATES_EMAIL_INTERVAL_SECONDS", 120)
# Per client address, like RESPONSE_RATE_LIMIT: sign-ups sent, and sign-up emails they cause ("<count>/<s|m|h|d>").
UPDATES_SIGNUP_RATE_LIMIT = env("UPDATES_SIGNUP_RATE_LIMIT", "10/h")
UPDATES_EMAIL_RATE_LIMIT = env("UPDATES_EMAIL_RATE_LIMIT", "5/h")
# Updates staff send to subscribers (pages/updates.py): at most this many emails a minute, however many workers run.
UPDATES_SEND_PER_MINUTE = env_int("UPDATES_SEND_PER_MINUTE", 600)

# Responses to calls (submissions): attachment limits, the Submit rate limit and receipt retries.
RESPONSE_MAX_ATTACHMENTS = env_int("RESPONSE_MAX_ATTACHMENTS", 5)
RESPONSE_MAX_ATTACHMENT_BYTES = env_int("RESPONSE_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)
# Submits per address: "<count>/<s|m|h|d>", e.g. "10/h"; a bare number means per hour.
RESPONSE_RATE_LIMIT = env("RESPONSE_RATE_LIMIT", "10/h")
# How many proxies in front of the site append to X-Forwarded-For; 0 (the default) trusts REMOTE_ADDR only.
RESPONSE_TRUSTED_PROXY_COUNT = env_int("RESPONSE_TRUSTED_PROXY_COUNT", 0)
# Any email (receipt, alert, sign-up) is given up on after this many failed tries; staff can retry it in the admin.
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", env_int("RECEIPT_MAX_ATTEMPTS", 10))
PENDING_UPLOAD_MAX_AGE_HOURS = env_int("PENDING_UPLOAD_MAX_AGE_HOURS", 24)
# Uploads per address (every attempt counts, refused or kept), like RESPONSE_RATE_LIMIT: "<count>/<s|m|h|d>".
UPLOAD_RATE_LIMIT = env("UPLOAD_RATE_LIMIT", "30/h")
# Bytes waiting in private storage until Submit: per session (every call it is answering), and per address (counted
# in the cache until PENDING_UPLOAD_MAX_AGE_HOURS after its latest upload, when clear_pending_uploads deletes them).
UPLOAD_PENDING_MAX_BYTES_PER_SESSION = env_int("UPLOAD_PENDING_MAX_BYTES_PER_SESSION", 5 * 10 * 1024 * 1024)
UPLOAD_PENDING_MAX_BYTES_PER_CLIENT = env_int("UPLOAD_PENDING_MAX_BYTES_PER_CLIENT", 100 * 1024 * 1024)
# Receipts, safeguarding alerts and sign-up emails are queued in the outbox, sent by `manage.py run_worker`.
# A failed send waits EMAIL_RETRY_BACKOFF_SECONDS, doubled after each failure (6 hours at most).
EMAIL_RETRY_BACKOFF_SECONDS = env_int("EMAIL_RETRY_BACKOFF_SECONDS", 60)
# A worker that claimed an email and died loses it after this long; another worker then sends it.
EMAIL_JOB_LEASE_SECONDS = env_int("EMAIL_JOB_LEASE_SECONDS", 300)
EMAIL_WORKER_POLL_SECONDS = env_int("EMAIL_WORKER_POLL_SECONDS", 2)
# An SMTP server that hangs must fail the send well inside the lease, not hold it for ever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
CSRF_FAILURE_VIEW = "core.views.csrf_failure"

# Logging, error reports (ADMINS, Sentry), request ids and backups: review_site/settings/operations.py.
from .operations import *  # noqa: E402, F403


def require_secret_key(key):
    """Refuse to start with a missing, short or development key."""
    if not key or len(key) < 50 or key.startswith("django-insecure") or key.startswith("dev-only"):
        raise ImproperlyConfigured("Set SECRET_KEY to a long random value (at least 50 characters) before starting.")
    return key


# Scheduled jobs, run by `manage.py run_scheduler` (core/scheduler.py, docs/operations.md): each is a management
# command with its arguments ("args"), run either "every" so many minutes or hours ("15m", "1h": counted from
# midnight UTC, so "1h" runs on the hour) or "at" one or more times of day in TIME_ZONE ("03:15", ["03:15", "15:15"]).
# However many schedulers run, on however many machines, each run happens once. A run missed while no scheduler was
# running happens once when one starts, then the job keeps to its times.
SCHEDULED_JOBS = {
    "clear_pending_uploads": {"command": "clear_pending_uploads", "every": "1h"},
    "clearsessions": {"command": "clearsessions", "at": "02:30"},
    # Sign-ups nobody confirmed before their link expired.
    "clear_unconfirmed_subscribers": {"command": "clear_unconfirmed_subscribers", "every": "1h"},
    "apply_retention": {"command": "apply_retention", "args": ["--actor", "scheduler"], "at": "03:15"},
    # Queues a receipt for any response that has none (the email worker sends it).
    "send_receipts": {"command": "send_receipts", "at": "04:45"},
    # The database and every stored file in one archive, the newest BACKUP_KEEP kept (core/backup.py).
    "backup": {"command": "backup", "at": "01:30"},
}
# A scheduler renews its claim on the job it is running every third of this; if it dies, another scheduler runs
# the job again once this has passed since the last renewal.
SCHEDULER_LEASE_SECONDS = env_int("SCHEDULER_LEASE_SECONDS", 300)
# How often a waiting scheduler looks again (it also wakes when the next job is due): how soon "run now" runs.
SCHEDULER_POLL_SECONDS = env_int("SCHEDULER_POLL_SECONDS", 30)
# Each job's runs (outcome and end of output) are kept this many days for the admin.
SCHEDULER_HISTORY_DAYS = env_int("SCHEDULER_HISTORY_DAYS", 90)
