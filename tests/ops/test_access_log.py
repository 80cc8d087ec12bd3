"""gunicorn's access log, written beside the site's own: one line a request, nothing a person typed in it."""

import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_gunicorns_access_log_keeps_no_query_string_referrer_or_browser_but_the_request_id():
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    line = config["access_log_format"]
    assert "%({x-request-id}o)s" in line and "%(U)s" in line
    assert not [part for part in ("%(r)s", "%(q)s", "%(f)s", "%(a)s", "%(h)s") if part in line]
