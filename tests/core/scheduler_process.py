"""A scheduler started at a signal: `python -m tests.core.scheduler_process READY GO [run_scheduler options]`.

Sets Django up and connects to the database, touches READY, waits for GO to exist, then runs
`manage.py run_scheduler` itself: a test starts two this way, so both are running before either claims a job.
"""

import sys
import time
from pathlib import Path

if __name__ == "__main__":
    ready, go, options = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    connection.ensure_connection()
    ready.touch()
    while not go.exists():
        time.sleep(0.01)
    call_command("run_scheduler", *options)
