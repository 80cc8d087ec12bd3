"""The MDN HTTP Observatory scanner (npm @mdn/mdn-http-observatory) run against the site on loopback.

Its CLI takes a bare host name and fetches http://<host>/ and https://<host>/. Given "127.0.0.1:<port>" it
fetches http://127.0.0.1:<port>/ (the https attempt fails to connect and the scan carries on over http), so it
scans the live server as is. Two of its ten tests can only pass over https: "redirection" (http must redirect to
https) and "strict-transport-security" (HSTS is only read from an https response). Production does both;
tests/security/test_headers.py checks them through the production settings.
"""

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
OBSERVATORY = BASE_DIR / "node_modules" / "@mdn" / "mdn-http-observatory"
NEEDS_HTTPS = {"redirection", "strict-transport-security"}


@pytest.fixture(scope="module")
def observatory():
    scan = OBSERVATORY / "src" / "scan.js"
    if not scan.exists():
        pytest.fail(f"{scan} is missing: run `npm ci` (make test does).")
    if shutil.which("node") is None:
        pytest.fail("node is missing: it runs the HTTP Observatory scanner.")
    # The package's install script downloads Chromium's HSTS preload list, which cannot be fetched here (and
    # install scripts are off, see .npmrc). A loopback address is never on that list, so an empty one is true.
    preload = OBSERVATORY / "conf" / "hsts-preload.json"
    if not preload.exists():
        preload.write_text("{}\n")
    return scan


def run_scan(scan, host):
    result = subprocess.run(["node", str(scan), host], capture_output=True, text=True, timeout=60, check=False)
    try:
        return json.loads(result.stdout)
    except ValueError:
        pytest.fail(f"The scanner gave no JSON (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")


def test_the_observatory_passes_every_test_that_does_not_need_https(observatory, live_server, transactional_db):
    host = urlsplit(live_server.url).netloc
    # The scanner has no option for a path: it scans the home page (and /robots.txt for cookies).
    report = run_scan(observatory, host)
    assert "error" not in report or report["error"] is None, report
    tests = report["tests"]
    assert set(tests) >= NEEDS_HTTPS | {"content-security-policy", "x-content-type-options", "x-frame-options"}
    failed = {
        name: f"{test['result']}: {test.get('scoreDescription', '')}"
        for name, test in tests.items()
        if not test["pass"] and name not in NEEDS_HTTPS
    }
    assert not failed, json.dumps(failed, indent=2)
    assert tests["content-security-policy"]["result"] in {
        "csp-implemented-with-no-unsafe",
        "csp-implemented-with-no-unsafe-default-src-none",
    }
    assert tests["redirection"]["pass"] is False, "over plain http there is nothing to redirect to"
