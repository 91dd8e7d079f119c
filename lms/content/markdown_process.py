"""Markdown to HTML in a process of its own, so that a conversion running past its time budget can be stopped.

Python cannot stop a thread, but it can kill a process. Each app process keeps one converter process,
started on first use and again after it was killed; a text goes to it as one JSON line on its stdin and
comes back as HTML on its stdout. Run as a script, this file imports only the standard library and
Markdown, so the converter starts in a fraction of a second.
"""
from __future__ import annotations

import atexit
import json
import os
import select
import subprocess
import sys
import threading

import markdown

EXTENSIONS = ["extra", "sane_lists"]
DEFAULT_TIME_LIMIT = 5.0  # seconds; the setting MARKDOWN_TIME_LIMIT


class ConversionFailed(Exception):
    """The converter ran past the time budget (and was stopped), or could not convert the text."""


def convert(text: str) -> str:
    """Markdown to HTML, NOT yet sanitised."""
    return markdown.markdown(text, extensions=EXTENSIONS, output_format="html")


class Converter:
    """The app process's converter process; ``time_limit`` is each conversion's budget in seconds."""

    def __init__(self, time_limit: float = DEFAULT_TIME_LIMIT):
        self.time_limit = time_limit
        self._process: subprocess.Popen | None = None
        self._owner = 0  # the pid that started it: after a fork, the child starts its own
        self._lock = threading.Lock()
        atexit.register(self.close)

    def convert(self, text: str) -> str:
        """``text`` converted by the converter process; raises ConversionFailed past the time budget."""
        with self._lock:
            process = self._running()
            process.stdin.write(json.dumps(text).encode() + b"\n")
            process.stdin.flush()
            ready, _, _ = select.select([process.stdout], [], [], self.time_limit)
            reply = process.stdout.readline() if ready else b""
            if not reply:
                self._stop()
                raise ConversionFailed(f"rendering took longer than {self.time_limit:g} seconds and was stopped")
        answer = json.loads(reply)
        if "error" in answer:
            raise ConversionFailed(answer["error"])
        return answer["html"]

    def close(self) -> None:
        """End the converter process (it also ends by itself when this process goes away)."""
        with self._lock:
            if self._process is not None and self._owner == os.getpid():
                self._process.stdin.close()  # the converter's loop ends at the end of its input
                try:
                    self._process.wait(timeout=2)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait()
                self._process.stdout.close()
            self._process = None

    def _running(self) -> subprocess.Popen:
        if self._process is None or self._owner != os.getpid() or self._process.poll() is not None:
            # -I: no user site or PYTHON* variables, and not this folder on sys.path (its modules would shadow).
            self._process = subprocess.Popen([sys.executable, "-I", __file__], stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE)
            self._owner = os.getpid()
        return self._process

    def _stop(self) -> None:
        self._process.kill()
        self._process.wait()
        self._process.stdin.close()
        self._process.stdout.close()
        self._process = None


def _serve() -> None:
    """The converter process: convert each JSON line from stdin, answer with one JSON line, until stdin ends."""
    for line in sys.stdin.buffer:
        try:
            answer = {"html": convert(json.loads(line))}
        except RecursionError:
            answer = {"error": "lists or quotes are nested too deeply to render"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    _serve()
