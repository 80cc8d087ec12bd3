"""Tools say something only when there is something to say: no django-axes banner on every manage.py command, and no
Sass deprecation warning from our own stylesheet (GOV.UK Frontend's own @import is its business: --quiet-deps)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_a_management_command_prints_no_axes_banner():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "review_site.settings.test"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "AXES" not in result.stdout + result.stderr
    assert result.stderr == ""


def test_the_stylesheet_builds_without_a_warning(tmp_path):
    sass = ROOT / "node_modules" / ".bin" / "sass"
    if not sass.exists() or shutil.which("node") is None:
        pytest.fail("node_modules is missing: `make install` runs npm ci before the tests")
    script = json.loads((ROOT / "package.json").read_text())["scripts"]["build:css"]
    assert "--silence-deprecation" not in script, "our own deprecations are fixed, not silenced"
    command = script.replace("static/build/site.css", str(tmp_path / "site.css")).split()
    command[0] = str(sass)
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and result.stdout == ""
    assert (tmp_path / "site.css").stat().st_size > 100_000
