"""Production: everything from the environment; refuses to start without a real SECRET_KEY."""

import copy

from .base import *  # noqa: F403
from .base import LOGGING, env, env_bool, env_int, require_secret_key

DEBUG = False
SECRET_KEY = require_secret_key(env("SECRET_KEY", ""))

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 63072000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# One JSON object per log line for the log service, unless LOG_FORMAT says otherwise (operations.py checks it).
LOG_FORMAT = env("LOG_FORMAT", "json")
LOGGING = copy.deepcopy(LOGGING)
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT
