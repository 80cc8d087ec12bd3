"""Log filters: a visitor's bad request is worth a warning line, not an error with a traceback."""

import logging


class ClientErrorsAsWarnings(logging.Filter):
    """Django logs a bad Host header, a body too big or too many fields at ERROR with a traceback
    (django.security.*): they are the client's fault, so they become one WARNING line."""

    def filter(self, record):
        if record.name.startswith("django.security.") and record.levelno > logging.WARNING:
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info = record.exc_text = None
        return True
