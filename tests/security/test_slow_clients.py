"""Slow clients against gunicorn as configured for production (gunicorn.conf.py): thirty connections sending their
headers a byte at a time must not stop /healthz, or anyone else, being answered."""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.security.test_bad_input import free_port

BASE = Path(__file__).resolve().parents[2]
SLOW_CLIENTS = 30


@pytest.fixture(scope="module")
def production_gunicorn(tmp_path_factory):
    """gunicorn with gunicorn.conf.py's own worker and thread counts (nothing overridden), on a migrated site."""
    folder = tmp_path_factory.mktemp("slow-clients")
    env = {key: value for key, value in os.environ.items() if key not in {"WEB_CONCURRENCY", "GUNICORN_THREADS"}} | {
        "DJANGO_SETTINGS_MODULE": "review_site.settings.test",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "PRIVATE_STORAGE_ROOT": str(folder / "private"),
        "GUNICORN_ACCESS_LOG": str(folder / "access.log"),
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=BASE, env=env, check=True, timeout=180)
    subprocess.run([*manage, "createcachetable"], cwd=BASE, env=env, check=True, timeout=60)
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "review_site.wsgi"],
        cwd=BASE,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(folder / "error.log", "w"),  # noqa: SIM115
    )
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start:\n" + (folder / "error.log").read_text())
        yield port
    finally:
        server.terminate()
        server.wait(timeout=15)


def trickle(port, stop):
    """Send a request's headers one byte every half second, never finishing them, until told to stop."""
    request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 200
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
            for byte in request:
                if stop.is_set():
                    return
                conn.sendall(bytes([byte]))
                stop.wait(0.5)
    except OSError:
        return  # the server may drop a slow client: that is allowed


def test_thirty_clients_trickling_their_headers_do_not_stop_healthz_answering(production_gunicorn):
    stop = threading.Event()
    clients = [threading.Thread(target=trickle, args=(production_gunicorn, stop)) for _ in range(SLOW_CLIENTS)]
    for client in clients:
        client.start()
    try:
        time.sleep(2)  # every slow client has connected and sent its first bytes
        timings = []
        for _ in range(5):
            started = time.monotonic()
            with urllib.request.urlopen(f"http://127.0.0.1:{production_gunicorn}/healthz", timeout=10) as response:
                assert response.status == 200
            timings.append(time.monotonic() - started)
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=10)
    assert max(timings) < 3, f"/healthz took {max(timings):.1f}s with {SLOW_CLIENTS} slow clients connected"
