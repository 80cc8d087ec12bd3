"""Settings for the test suite: fast hashing, in-memory email, no compression step needed."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "dev-only-test-key-0123456789-0123456789-0123456789-0123456789"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # The folder (PRIVATE_STORAGE_ROOT, one per test), or the S3 bucket when ATTACHMENTS_S3_BUCKET is set.
    "private": STORAGES["private"],
    # MEDIA_ROOT/publications (MEDIA_ROOT is one per test), or the bucket as in base.py.
    "publications": STORAGES["publications"],
}
WHITENOISE_AUTOREFRESH = True
# Tests count queries and freeze time: pages are rendered afresh unless a test turns the cache on.
PUBLIC_PAGE_CACHE_SECONDS = 0
PRIVATE_STORAGE_ROOT = Path(env("PRIVATE_STORAGE_ROOT", tempfile.mkdtemp(prefix="review-private-")))
