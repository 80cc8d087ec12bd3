"""Sending one email with a point of no return the sender can act on: how an update reaches each subscriber once.

An SMTP server takes a message only when it reads the dot that ends DATA and answers 250; a connection that ends
before the dot leaves it with nothing (RFC 5321, 4.1.1.4). So EmailBackend here (the default EMAIL_BACKEND) sends
the whole message but the dot, calls the message's hand_over() and only then sends the dot. A sender that records
"handed over" in hand_over() knows afterwards, for a worker that died:
- not handed over: the mail server has nothing, and another worker may send it;
- handed over but no answer recorded: the server may have it, so no one sends it again ("not known").
The second window is one round trip and one commit long; the first covers connecting, the envelope and the body.

hand_over() may raise (another worker has taken the email over): the connection is then dropped before the dot, and
nothing goes. Backends that cannot split a send (console, file, GOV.UK Notify) are handed over just before it.
"""

import smtplib
import socket

from django.core.mail import get_connection
from django.core.mail.backends import smtp


class HandOverRefused(Exception):
    """Raised by a hand_over() that does not agree to the send: nothing was handed over."""


class HandOverUnknown(Exception):
    """The message was handed over and the server gave no answer: it may or may not have it."""


def send_with_hand_over(message, *, hand_over) -> None:
    """Send `message` through EMAIL_BACKEND, calling hand_over() at the last moment before the server can have it.

    Raises what the backend raises; HandOverUnknown when the server may have the message but never said so.
    """
    connection = get_connection()
    # A server that cannot be reached fails here, before anything is handed over.
    connection.open()
    try:
        if getattr(connection, "hands_over_before_the_final_dot", False):
            message.hand_over = hand_over
        else:
            hand_over()
        message.connection = connection
        message.send()
    finally:
        connection.close()


def was_refused(exc: BaseException) -> bool:
    """Whether a failed send was a refusal the server answered with (so it has nothing), not a silence."""
    if isinstance(exc, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused):
        return True
    status = getattr(exc, "status_code", None)  # an HTTP API's answer (Notify): 4xx is a refusal
    return isinstance(status, int) and 400 <= status < 500


class _HandOverData:
    """smtplib's DATA, with hand_over() called between the message and the dot that ends it."""

    hand_over = None

    def data(self, msg):
        if self.hand_over is None:
            return super().data(msg)
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        # The message as smtplib's own data() sends it (its helpers: lone line ends fixed, leading dots doubled).
        if isinstance(msg, str):
            msg = smtplib._fix_eols(msg).encode("ascii")
        body = smtplib._quote_periods(msg)
        # The dot goes as a write of its own: without this it would wait for the body's acknowledgement (Nagle's
        # algorithm meeting delayed ACKs, 40 ms a message on Linux).
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.send(body if body.endswith(b"\r\n") else body + b"\r\n")
        try:
            self.hand_over()
        except BaseException:
            self.close()  # the server sees the connection end before the dot, and keeps nothing
            raise
        try:
            self.send(b".\r\n")
            return self.getreply()
        except smtplib.SMTPServerDisconnected as exc:
            raise HandOverUnknown(f"The mail server said nothing after the message: {exc}") from exc


class _SMTP(_HandOverData, smtplib.SMTP):
    pass


class _SMTP_SSL(_HandOverData, smtplib.SMTP_SSL):
    pass


class EmailBackend(smtp.EmailBackend):
    """Django's SMTP backend, calling a message's hand_over() (if it has one) just before the dot that ends DATA."""

    hands_over_before_the_final_dot = True

    @property
    def connection_class(self):
        return _SMTP_SSL if self.use_ssl else _SMTP

    def _send(self, email_message):
        self.connection.hand_over = getattr(email_message, "hand_over", None)
        try:
            return super()._send(email_message)
        finally:
            if self.connection is not None:
                self.connection.hand_over = None
