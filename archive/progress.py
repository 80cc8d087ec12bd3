"""Progress of an export, for a person watching the terminal."""

import sys


class Progress:
    """One line on stderr, redrawn in place; silent unless stderr is a terminal."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()

    def crawl(self, done, queued):
        self._draw(f"Rendering pages: {done} done, {queued} to go")

    def bar(self, label, done, total):
        width = 30
        filled = width * done // total if total else width
        self._draw(f"{label}: [{'#' * filled}{' ' * (width - filled)}] {done}/{total}")

    def finish(self):
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self, text):
        if self.enabled:
            self.stream.write("\r" + text.ljust(70))
            self.stream.flush()
