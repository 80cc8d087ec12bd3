"""A handler that keeps every log record with the lines the site's two formats make of it, for tests that read logs."""

import contextlib
import logging

from core.logging import JsonFormatter, ReadableFormatter, RequestContext


class CapturingHandler(logging.Handler):
    """Attached to the root logger as the console handler is, with its request filter: what it keeps is what the
    console (text) or the log service (JSON) would have been given."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.addFilter(RequestContext())
        self.records = []
        self.json_lines = []
        self.text_lines = []
        self._json, self._text = JsonFormatter(), ReadableFormatter()

    def emit(self, record):
        self.records.append(record)
        self.json_lines.append(self._json.format(record))
        self.text_lines.append(self._text.format(record))

    def everything(self):
        """Each record's own message (before any redaction), its traceback, and both formatted lines."""
        raw = []
        for record in self.records:
            raw.append(record.getMessage())
            if record.exc_info:
                raw.append(logging.Formatter().formatException(record.exc_info))
        return raw + self.json_lines + self.text_lines


@contextlib.contextmanager
def captured_logs(level=logging.DEBUG):
    """Every record any logger writes at `level` or above while the block runs (the root logger's level lowered,
    and each Django logger's own level too, so that nothing is dropped before it reaches the root)."""
    handler = CapturingHandler()
    root = logging.getLogger()
    loggers = [root] + [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]
    levels = {logger: logger.level for logger in loggers}
    for logger in loggers:
        logger.setLevel(level)
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        for logger, old in levels.items():
            logger.setLevel(old)
