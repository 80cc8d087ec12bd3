"""Settings for the bench's scale part: the bench settings, with a per-address Submit limit behind a proxy.

Every simulated respondent comes from 127.0.0.1, so each sends its own X-Forwarded-For address, as a load
balancer in front of the two servers would (RESPONSE_TRUSTED_PROXY_COUNT = 1).
"""

from review_site.settings.base import env
from review_site.settings.bench import *  # noqa: F403

RESPONSE_RATE_LIMIT = env("RESPONSE_RATE_LIMIT", "3/h")
RESPONSE_TRUSTED_PROXY_COUNT = 1
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", EMAIL_FILE_PATH)  # noqa: F405
