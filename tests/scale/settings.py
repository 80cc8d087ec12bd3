"""The test settings for the server and worker processes the scale tests start: emails written to files, each send
timed (tests/scale/worker_process.py)."""

from review_site.settings.test import *  # noqa: F403
from review_site.settings.test import env

# A test may send through a real SMTP server instead (tests/smtp_sink.py): EMAIL_BACKEND=core.mail.EmailBackend.
EMAIL_BACKEND = env("EMAIL_BACKEND", "tests.scale.worker_process.TimedFileBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH")
