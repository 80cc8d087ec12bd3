"""Test settings for scheduler processes a test starts (test_scheduler.py): the jobs come from the environment, as
JSON in SCHEDULED_JOBS_JSON, so each process runs the jobs the test declared."""

import json

from review_site.settings.test import *  # noqa: F403
from review_site.settings.test import env

SCHEDULED_JOBS = json.loads(env("SCHEDULED_JOBS_JSON", "{}"))
