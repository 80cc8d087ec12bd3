"""Slow clients against gunicorn as configured for production (gunicorn.conf.py): thirty connections sending their
headers a byte at a time must not stop /healthz, or anyone else, being answered."""

import multiprocessing
import socket
import threading
import time
import urllib.request

import pytest

from tests.scale.processes import Gunicorn

SLOW_CLIENTS = 30


@pytest.fixture(scope="module")
def production_gunicorn(gunicorn_site):
    """gunicorn.conf.py's own worker and thread counts for this machine (nothing lowered for the test)."""
    env = {key: value for key, value in gunicorn_site.env.items() if key != "GUNICORN_THREADS"}
    server = Gunicorn(env, gunicorn_site.folder / "slow.log", workers=multiprocessing.cpu_count() + 1)
    gunicorn_site.servers.append(server)
    server.start()
    return server.port


def trickle(port, started, stop):
    """Send a request's headers one byte every half second, never finishing them, until told to stop."""
    request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 200
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
            for index, byte in enumerate(request):
                if stop.is_set():
                    return
                conn.sendall(bytes([byte]))
                if index == 1:
                    started.release()  # connected and holding a thread: the server has begun reading it
                stop.wait(0.5)
    except OSError:
        started.release()  # the server may drop a slow client: that is allowed


def test_thirty_clients_trickling_their_headers_do_not_stop_healthz_answering(production_gunicorn):
    started, stop = threading.Semaphore(0), threading.Event()
    clients = [threading.Thread(target=trickle, args=(production_gunicorn, started, stop)) for _ in range(SLOW_CLIENTS)]
    for client in clients:
        client.start()
    try:
        for _ in clients:
            assert started.acquire(timeout=30), "every slow client connects and starts sending"
        timings = []
        for _ in range(5):
            begun = time.monotonic()
            with urllib.request.urlopen(f"http://127.0.0.1:{production_gunicorn}/healthz", timeout=10) as response:
                assert response.status == 200
            timings.append(time.monotonic() - begun)
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=10)
    assert max(timings) < 3, f"/healthz took {max(timings):.1f}s with {SLOW_CLIENTS} slow clients connected"
