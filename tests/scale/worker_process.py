"""An email worker started at a signal: `python -m tests.scale.worker_process READY GO [run_worker options]`.

Sets Django up and connects to the database, touches READY, waits for GO to exist, then runs `manage.py run_worker`
itself. processes.Workers starts several this way, so all are running before any of them claims an email.

TimedFileBackend is Django's file backend taking EMAIL_SEND_SECONDS per send and noting, in EMAIL_SEND_TIMES, when
each send began and ended in which process: what shows two workers really sending at the same time.
"""

import os
import sys
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend


class TimedFileBackend(EmailBackend):
    def send_messages(self, email_messages):
        began = time.time()
        time.sleep(float(os.environ.get("EMAIL_SEND_SECONDS", "0")))
        sent = super().send_messages(email_messages)
        if os.environ.get("EMAIL_SEND_TIMES"):
            with open(os.environ["EMAIL_SEND_TIMES"], "a") as times:
                times.write(f"{os.getpid()} {began} {time.time()}\n")
        return sent


def send_times(path):
    """pid -> [(began, ended)] of every send noted in `path`."""
    sends = {}
    for line in Path(path).read_text().splitlines() if Path(path).exists() else []:
        pid, began, ended = line.split()
        sends.setdefault(int(pid), []).append((float(began), float(ended)))
    return sends


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
    call_command("run_worker", *options)
