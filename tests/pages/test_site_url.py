"""`PORT=9000 make run` writes http://127.0.0.1:9000 in the emails it sends (sign-up links, receipts)."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_gives_every_process_a_site_url_on_its_own_port():
    # -n prints the commands without running them.
    result = subprocess.run(
        ["make", "-n", "run", "PORT=9123"], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    [start] = [line for line in result.stdout.splitlines() if "honcho start" in line]

    # Set for honcho itself, so the worker (which honcho gives PORT 9223) links to the web server's port too.
    assert start.startswith("SITE_URL=http://127.0.0.1:9123 ")
    assert "-p 9123" in start
