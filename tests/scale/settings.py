"""The test settings for the server and worker processes the scale tests start: emails written to files."""

from review_site.settings.test import *  # noqa: F403
from review_site.settings.test import env

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH")
