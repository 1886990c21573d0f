"""`curriculum serve`: saving a content file regenerates the page the browser shows."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import sample


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if text in _get(url):
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def test_saving_a_lesson_updates_the_served_page(tmp_path):
    project = sample(tmp_path, "valid-minimal")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"}, start_new_session=True)
    page = f"http://127.0.0.1:{port}/participants/lessons/sample-lesson.html"
    try:
        assert _wait_for(page, "Sample lesson", 60), "the preview did not start"
        assert "livereload" in _get(page)  # the page reloads itself when the site changes
        lesson = project / "content" / "lessons" / "sample-lesson.yml"
        lesson.write_text(lesson.read_text().replace(
            "summary: Write one plain sentence on what this lesson is about.",
            "summary: A freshly edited summary."))
        started = time.monotonic()
        assert _wait_for(page, "A freshly edited summary.", 10)
        print(f"page regenerated {time.monotonic() - started:.1f} s after saving")
        # a broken save keeps the last good page and says what is wrong
        lesson.write_text("id: [broken\n")
        time.sleep(2)
        assert "A freshly edited summary." in _get(page)
    finally:
        os.killpg(server.pid, signal.SIGINT)
        output = server.communicate(timeout=20)[0]
    assert "content/lessons/sample-lesson.yml:1: syntax:" in output
