"""The Procfile (production) and Procfile.dev (`make run`) start the same three processes."""

import re
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]


def processes(name):
    """{process type: command} as honcho reads the file: `type: command` lines; comments skipped."""
    lines = (ROOT / name).read_text().splitlines()
    pairs = (line.split(":", 1) for line in lines if line.strip() and not line.startswith("#"))
    return {kind.strip(): command.strip() for kind, command in pairs}


def test_production_and_make_run_start_a_web_server_a_worker_and_a_scheduler_the_same_way():
    production, development = processes("Procfile"), processes("Procfile.dev")

    assert set(production) == set(development) == {"web", "worker", "scheduler"}
    assert production["web"] == "gunicorn -c gunicorn.conf.py review_site.wsgi"
    assert development["web"] == "python manage.py runserver 127.0.0.1:$PORT"
    assert production["worker"] == development["worker"] == "python manage.py run_worker"
    assert production["scheduler"] == development["scheduler"] == "python manage.py run_scheduler"


def test_make_run_starts_procfile_dev_on_its_port():
    makefile = (ROOT / "Makefile").read_text()
    run = re.search(r"^run:.*?(?=^\S)", makefile, re.M | re.S).group(0)

    assert "honcho start -f Procfile.dev -p $(PORT)" in run
    assert run.index("migrate") < run.index("load_demo_content") < run.index("honcho")


def test_every_process_runs_a_command_this_site_has():
    commands = get_commands()
    for name in ("Procfile", "Procfile.dev"):
        for command in processes(name).values():
            if command.startswith("python manage.py "):
                assert command.split()[2] in commands
