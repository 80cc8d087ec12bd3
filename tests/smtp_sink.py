"""A real SMTP server on a free local port (aiosmtpd), standing in for the mail relay: it keeps each message it accepted
(when it read the dot that ends DATA), so tests and the bench count what a relay would really have had.

    with SmtpSink() as sink:
        settings.EMAIL_PORT = sink.port
        ...
        sink.messages                      # the accepted messages, as bytes

`answer_after` makes it wait that long before answering the dot (a slow relay); `answer` replaces its 250 answer
(a refusal, such as "554 ...").
"""

import asyncio
import logging
import threading

from aiosmtpd.controller import Controller

from tests.scale.processes import free_port


class _Handler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        if self.sink.answer_after:
            await asyncio.sleep(self.sink.answer_after)
        if self.sink.answer:
            return self.sink.answer
        self.sink.keep(envelope.original_content)
        return "250 OK: queued"


class SmtpSink:
    def __init__(self, *, answer_after=0.0, answer=None):
        self.answer_after, self.answer = answer_after, answer
        self.messages = []
        self._lock = threading.Lock()
        # aiosmtpd checks it is up by connecting to its port, so it cannot be given port 0: ask the system for one.
        self.port = free_port()
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port, ready_timeout=10)

    def keep(self, content):
        with self._lock:
            self.messages.append(content)

    def start(self):
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command at INFO
        self._controller.start()
        return self

    def stop(self):
        self._controller.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
