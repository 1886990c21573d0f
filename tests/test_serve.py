"""`curriculum serve`: a save shows in the open browser tab, a broken save shows its problems
there, the preview serves no PDF from another build, and the terminal says only what changed
and what is wrong.

One preview of the sample project serves every test here; each test makes its own saves.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import sample

LESSON = "content/lessons/sample-lesson.yml"
SUMMARY = "\nsummary: "
LESSON_PAGE = "participants/lessons/sample-lesson.html"
STALE_PDFS = ("downloads/participant-handbook.pdf", "downloads/handouts/sample-lesson.pdf")
"""PDFs an earlier build left in its pages folder (``build/docs``) and its site."""
ENGINE_NOISE = ("not included in the", "Building documentation", "Documentation built",
                "Reloading browsers", "Detected file changes", "Browser connected",
                "Cleaning site directory", "'dirty' build")


@dataclass
class Preview:
    project: Path
    url: str
    temporary: Path
    """Where the preview makes its own folder (its TMPDIR)."""
    lesson: str
    """The lesson file as the sample project has it."""
    output: list[str] = field(default_factory=list)
    """The server's terminal output so far, line by line."""

    def save(self, summary: str) -> None:
        """Save the lesson with a new summary."""
        assert self.lesson.count(SUMMARY) == 1
        before, _, after = self.lesson.partition(SUMMARY)
        rest = after.split("\n", 1)[1]
        (self.project / LESSON).write_text(f"{before}{SUMMARY}{summary}\n{rest}",
                                           encoding="utf-8")

    def printed_after(self, start: int, text: str, seconds: float = 20) -> list[str]:
        """The lines printed from line ``start`` on, once one of them holds ``text``."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            lines = self.output[start:]
            if any(text in line for line in lines):
                time.sleep(0.3)  # anything printed right after belongs to the same rebuild
                return self.output[start:]
            time.sleep(0.05)
        raise AssertionError(f"the preview did not print {text!r}:\n" + "\n".join(lines))


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
        time.sleep(0.1)
    return False


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    project = sample(tmp_path_factory.mktemp("serve"), "valid-minimal")
    for folder in ("build/docs", "site"):  # an earlier build
        for pdf in STALE_PDFS:
            (project / folder / pdf).parent.mkdir(parents=True, exist_ok=True)
            (project / folder / pdf).write_bytes(b"%PDF-1.7 from an earlier build")
    port = _free_port()
    temporary = tmp_path_factory.mktemp("tmp")
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore", "TMPDIR": str(temporary)},
        start_new_session=True)
    running = Preview(project, f"http://127.0.0.1:{port}/", temporary,
                      (project / LESSON).read_text(encoding="utf-8"))
    reader = threading.Thread(target=lambda: running.output.extend(
        line.rstrip("\n") for line in server.stdout), daemon=True)
    reader.start()
    try:
        assert _wait_for(running.url + LESSON_PAGE, "Sample lesson", 60), \
            "the preview did not start:\n" + "\n".join(running.output)
        yield running
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # serve stops as on Ctrl-C
        server.wait(timeout=20)
        reader.join(timeout=5)
        server.stdout.close()
    assert not list(temporary.iterdir()), "the preview left its folder behind"


def test_the_preview_serves_no_pdf_from_an_earlier_build(preview):
    for pdf in STALE_PDFS:
        with pytest.raises(urllib.error.HTTPError) as reply:
            urllib.request.urlopen(preview.url + pdf, timeout=5)
        reply.value.close()
        assert reply.value.code == 404, pdf
    [own] = preview.temporary.iterdir()  # the preview's own pages and site
    assert (own / "docs" / "downloads" / "schedule.ics").is_file()
    assert not list(own.rglob("*.pdf"))
    for pdf in STALE_PDFS:  # the build's own files are left alone
        assert (preview.project / "build" / "docs" / pdf).is_file()
    downloads = _get(preview.url + "downloads.html")
    assert "Live preview: no PDFs" in downloads
    assert "<code>curriculum build</code> makes them all" in downloads
    for page in ("downloads.html", LESSON_PAGE, "coaches/lessons/sample-lesson.html"):
        assert not re.search(r'href="[^"]*\.pdf"', _get(preview.url + page)), page
    assert _get(preview.url + "downloads/schedule.ics").startswith("BEGIN:VCALENDAR")  # fresh


def test_the_terminal_says_what_changed_and_nothing_else(preview):
    start = len(preview.output)
    preview.save("A summary saved to read the terminal.")
    printed = preview.printed_after(start, "changed:")
    assert re.fullmatch(rf"{LESSON} changed: \d+ pages? rebuilt in \d+\.\d\d s\.",
                        printed[-1]), printed
    assert printed == printed[-1:], printed
    assert _wait_for(preview.url + LESSON_PAGE, "A summary saved to read the terminal.", 10)
    noise = [line for line in preview.output if any(text in line for text in ENGINE_NOISE)]
    assert noise == [], noise


def test_search_keeps_every_page_and_finds_the_saved_text(preview):
    def index() -> dict:
        return json.loads(_get(preview.url + "search/search_index.json"))

    before = index()
    start = len(preview.output)
    preview.save("A summary the search finds after the save.")
    preview.printed_after(start, "changed:")
    after = index()
    locations = Counter(entry["location"] for entry in after["docs"])
    assert locations == Counter(entry["location"] for entry in before["docs"])  # none lost
    assert len(locations) > 20 and max(locations.values()) == 1  # or twice
    assert any("A summary the search finds after the save." in entry["text"]
               for entry in after["docs"] if entry["location"].startswith(LESSON_PAGE))
    script = _get(preview.url + "search/search_index.js")  # what search reads from a folder
    assert json.loads(script.removeprefix("var __index = ")) == after


def test_a_broken_save_shows_its_problems_on_the_open_page_until_fixed(preview, browser):
    from playwright.sync_api import expect

    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(preview.url + LESSON_PAGE)
        assert "livereload" in page.content()  # the page reloads itself when the site changes
        preview.save("A freshly edited summary.")
        expect(page.get_by_text("A freshly edited summary.")).to_be_visible(timeout=20_000)
        banner = page.locator(".preview-problems")
        expect(banner).to_have_count(0)

        start = len(preview.output)
        (preview.project / LESSON).write_text("id: [broken\n", encoding="utf-8")
        expect(banner).to_contain_text(f"{LESSON}:1: syntax:", timeout=20_000)
        expect(banner).to_contain_text("problem in the last save")
        expect(page.get_by_text("A freshly edited summary.")).to_be_visible()  # last good
        other = context.new_page()  # every page of the preview says so
        other.goto(preview.url + "index.html")
        expect(other.locator(".preview-problems")).to_contain_text(f"{LESSON}:1: syntax:")
        other.close()
        printed = preview.printed_after(start, "changed:")
        assert any(line.startswith(f"{LESSON}:1: syntax:") for line in printed), printed

        preview.save("The summary after the fix.")
        expect(page.get_by_text("The summary after the fix.")).to_be_visible(timeout=20_000)
        expect(banner).to_have_count(0)
    finally:
        context.close()
