"""The test settings for the server and worker processes the scale tests start: emails written to files, each send
timed (tests/scale/worker_process.py)."""

from review_site.settings.test import *  # noqa: F403
from review_site.settings.test import env

EMAIL_BACKEND = "tests.scale.worker_process.TimedFileBackend"
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH")
