"""Running the site: logging, error reports and request ids (how it tells its operators what happened, with no
respondent's data), and backups. docs/operations.md explains each.

Imported by base.py (so every environment has it); production.py makes JSON the default log format.
"""

from email.utils import getaddresses

from django.core.exceptions import ImproperlyConfigured

from review_site.storage import private_storage_config

from .base import BASE_DIR, STORAGES, env, env_bool, env_int, env_list

# Logging (core/logging.py, docs/operations.md): every line has its time, level, logger, the request's id and, when a
# staff member made the request, their user id. LOG_FORMAT "json" (production's default: one object a line) or "text"
# (readable). Email addresses are replaced in every line; the code logs ids and references, never answers.
LOG_FORMAT = env("LOG_FORMAT", "text")
# Trust the X-Request-ID header a proxy in front sets (of a sane form), so its logs and ours share the id; otherwise
# every request gets a new one.
REQUEST_ID_TRUST_HEADER = env_bool("REQUEST_ID_TRUST_HEADER", False)
# Who is emailed a report of each server error (500), through EMAIL_BACKEND: "Name <address>, address, ...". The
# report has no POST data, cookies, query values or local variables (core/errors.py).
ADMINS = [(name or address, address) for name, address in getaddresses(env_list("ADMINS")) if address]
DEFAULT_EXCEPTION_REPORTER = "core.errors.NoPersonalDataReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "core.errors.NoPersonalDataFilter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "client_errors_as_warnings": {"()": "core.logging.ClientErrorsAsWarnings"},
        "request_context": {"()": "core.logging.RequestContext"},
        "server_errors_only": {"()": "core.logging.ServerErrorsOnly"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {"text": {"()": "core.logging.ReadableFormatter"}, "json": {"()": "core.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["client_errors_as_warnings", "request_context"],
            "formatter": LOG_FORMAT,
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "server_errors_only", "request_context"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # In place of Django's own: its lines in the one format (through the root), errors mailed to ADMINS.
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "django.request": {"level": "ERROR"},
        # django-axes announces itself on every start, management commands included; its lockouts still log.
        "axes.apps": {"level": "WARNING"},
    },
}
if LOG_FORMAT not in LOGGING["formatters"]:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")

# Error reports to Sentry (core/sentry.py, started by core's AppConfig) when SENTRY_DSN is set; nothing is sent
# without it.
SENTRY_DSN = env("SENTRY_DSN", "")
SENTRY_ENVIRONMENT = env("SENTRY_ENVIRONMENT", "")
SENTRY_RELEASE = env("SENTRY_RELEASE", "")

# Backups (`manage.py backup`, core/backup.py): archives go to BACKUP_DIR, or to a private bucket when
# BACKUPS_S3_BUCKET is set, and the newest BACKUP_KEEP are kept. `manage.py restore` refuses an archive that would
# unpack to more than RESTORE_MAX_BYTES.
BACKUP_DIR = env("BACKUP_DIR", str(BASE_DIR / "var" / "backups"))
BACKUP_KEEP = env_int("BACKUP_KEEP", 14)
RESTORE_MAX_BYTES = env_int("RESTORE_MAX_BYTES", 50 * 1024**3)
if env("BACKUPS_S3_BUCKET", ""):
    STORAGES["backups"] = private_storage_config(
        bucket=env("BACKUPS_S3_BUCKET", ""),
        endpoint_url=env("AWS_S3_ENDPOINT_URL", ""),
        region_name=env("AWS_S3_REGION_NAME", ""),
        access_key=env("AWS_ACCESS_KEY_ID", ""),
        secret_key=env("AWS_SECRET_ACCESS_KEY", ""),
        location=env("BACKUPS_S3_PREFIX", "backups"),
    )
