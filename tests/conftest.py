"""Shared fixtures: sample projects copied to a temporary folder, the real and the sample
project built once for the run, the PDFs' text read once, and the CLI.

``make test`` runs the tests in two processes (pytest-xdist, one test file at a time each);
a project built for the whole run is built by whichever process needs it first, and the
other reads the same folder (``_once``).
"""

from __future__ import annotations

import fcntl
import functools
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

PROJECT = Path(__file__).resolve().parent.parent
ROOTS = Path(__file__).resolve().parent / "roots"
SHIM = Path("node_modules/iframe-worker/shim/index.js")


@functools.cache
def shipped_catalog():
    """The real project's content as shipped, loaded once for the whole run: the tests that
    read it share it and change none of it."""
    from generator.core.content import load_catalog

    return load_catalog(PROJECT)


def require(available: bool, message: str) -> None:
    """A test needs something of the machine: without it the test fails in CI and skips
    elsewhere."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message + " (this skip fails the run in CI)")


def require_tool(command: str, package: str) -> None:
    """A test needs an outside tool (see ``require``)."""
    require(shutil.which(command) is not None,
            f"{command} is missing: apt-get install {package}")


def pdf_reader(pdf: Path):
    """A PDF opened with pypdf, once however many tests read it (they only read it):
    parsing a large handbook takes seconds."""
    written = pdf.stat()
    return _pypdf(pdf.resolve(), written.st_mtime_ns, written.st_size)


@functools.cache
def _pypdf(pdf: Path, mtime_ns: int, size: int):
    """``pdf_reader`` by the file's path and when it was written."""
    from pypdf import PdfReader

    return PdfReader(pdf)


def pdf_pages(pdf: Path, layout: bool = False) -> list[str]:
    """The text of each page of a PDF as poppler's pdftotext reads it (with ``layout``, in
    its columns). Each PDF is read once, however many tests check its text."""
    require_tool("pdftotext", "poppler-utils")
    written = pdf.stat()
    return list(_pdftotext(pdf.resolve(), layout, written.st_mtime_ns, written.st_size))


@functools.cache
def _pdftotext(pdf: Path, layout: bool, mtime_ns: int, size: int) -> tuple[str, ...]:
    """``pdf_pages`` by the file's path and when it was written, so that a PDF written again
    is read again."""
    args = ["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"]
    text = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return tuple(text.split("\f")[:-1])


def _engine_files(target: Path) -> None:
    """What every sample project shares with the real one: site settings and templates."""
    shutil.copy(PROJECT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(PROJECT / "templates", target / "templates", dirs_exist_ok=True)
    (target / SHIM).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT / SHIM, target / SHIM)


def sample(tmp_path: Path, case: str) -> Path:
    """A sample project: ``valid-minimal`` with the files of ``case`` laid over it."""
    target = tmp_path / "project"
    shutil.copytree(ROOTS / "valid-minimal", target)
    if case != "valid-minimal":
        shutil.copytree(ROOTS / case / "content", target / "content", dirs_exist_ok=True)
    _engine_files(target)
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the real project's content, settings and templates."""
    return real_project(tmp_path / "project", locales=False)


@pytest.fixture
def spanish(project: Path) -> Path:
    """A copy of the real project with its translation catalogs (the Spanish edition)."""
    shutil.copytree(PROJECT / "locales", project / "locales")
    return project


def invoke(folder: Path, *args: str):
    """Run ``curriculum ARGS`` in a folder; returns the click result (exit code, output)."""
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(cwd)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch):
    """Run ``curriculum ARGS`` in a folder; returns the click result (exit code, output)."""

    def run(folder: Path, *args: str):
        monkeypatch.chdir(folder)
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return run


def run_module(folder: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``python -m generator ARGS`` as a user would, in its own process."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=timeout)


def real_project(target: Path, locales: bool = True) -> Path:
    """A copy of the real project's content, settings and templates (and, with ``locales``,
    its translation catalogs: the Spanish edition)."""
    shutil.copytree(PROJECT / "content", target / "content")
    if locales:
        shutil.copytree(PROJECT / "locales", target / "locales")
    _engine_files(target)
    return target


def reuse_build(built_project: Path, target: Path) -> Path:
    """Give ``target`` the build folder of ``built_project`` (its generated pages and PDFs),
    as a project built before has: its next build renders only the PDFs whose print pages
    differ, and runs the site engine unless a site as built is already there."""
    shutil.copytree(built_project / "build", target / "build")
    return target


def _once(tmp_path_factory, name: str, make: Callable[[Path], object]) -> tuple[Path, object]:
    """The folder ``name``, shared by the processes of this run, filled by ``make(folder)``
    once: the first process to ask makes it while the others wait for it. Returns the folder
    and what ``make`` returned (kept as JSON beside it)."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above each process's own
    folder, made = base / name, base / f"{name}.json"
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not made.is_file():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed attempt left
            folder.mkdir()
            made.write_text(json.dumps(make(folder)))
    return folder, json.loads(made.read_text())


def _build(folder: Path) -> None:
    from generator.pipeline import build

    build(folder)


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> Path:
    """The real project built once (site and PDFs, in English and Spanish); returns the
    project folder. Tests read it; one that changes it works on a copy."""
    return _once(tmp_path_factory, "built",
                 lambda folder: _build(real_project(folder / "project")))[0] / "project"


@pytest.fixture(scope="session")
def built(built_project: Path) -> Path:
    """The ``site/`` folder of ``built_project``."""
    return built_project / "site"


@pytest.fixture(scope="session")
def built_a4(tmp_path_factory) -> Path:
    """The real project built once on A4 paper (its agency settings say ``paper_size: a4``);
    returns its ``site/`` folder."""
    def make(folder: Path) -> None:
        project = real_project(folder / "project", locales=False)
        agency = project / "content" / "agency.yml"
        settings = agency.read_text(encoding="utf-8")
        lines = [line for line in settings.splitlines() if line.startswith("paper_size:")]
        assert len(lines) == 1, "content/agency.yml should have one paper_size line"
        agency.write_text(settings.replace(lines[0], "paper_size: a4"), encoding="utf-8")
        _build(project)

    return _once(tmp_path_factory, "built-a4", make)[0] / "project" / "site"


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> tuple[Path, float]:
    """The sample project ``valid-minimal`` built once, in its own process as a user runs
    it, and how many seconds that took."""
    def make(folder: Path) -> float:
        project = sample(folder, "valid-minimal")
        started = time.monotonic()
        result = run_module(project, "build")
        assert result.returncode == 0, result.stderr
        return time.monotonic() - started

    folder, seconds = _once(tmp_path_factory, "built-sample", make)
    return folder / "project", seconds


@pytest.fixture(scope="session")
def built_sample(sample_build: tuple[Path, float]) -> Path:
    """The built sample project (``sample_build``); tests copy it before they change it."""
    return sample_build[0]


@pytest.fixture(scope="session")
def built_sample_a4(tmp_path_factory) -> Path:
    """The sample project (it sets no start date) built once on A4 paper (its agency
    settings add ``paper_size: a4``) with the CLI; returns the project folder."""
    def make(folder: Path) -> None:
        project = sample(folder, "valid-minimal")
        agency = project / "content" / "agency.yml"
        assert "start_date" not in agency.read_text()
        agency.write_text(agency.read_text() + "paper_size: a4\n")
        result = invoke(project, "build")
        assert result.exit_code == 0, result.output

    return _once(tmp_path_factory, "sample-a4", make)[0] / "project"


@pytest.fixture
def warm(built_sample: Path) -> Callable[[Path], Path]:
    """Give a sample project the build folder of ``built_sample`` (see ``reuse_build``), so
    that its first build renders only the PDFs its changes reach."""
    return functools.partial(reuse_build, built_sample)


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
"""Debian's Chromium run headless as root, with nothing of its own reaching the network."""


@pytest.fixture(scope="session")
def browser():
    """One Chromium for every browser test (Playwright's sync API allows one at a time)."""
    require_tool("chromium", "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # A fresh temporary profile each launch; no Playwright browser download.
        launched = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                              args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def server(built):
    """The built site over HTTP, as a web host would serve it."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0),
                                functools.partial(_Quiet, directory=str(built)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


FIRST = ["test_changes.py", "test_overlay.py", "test_print_pages.py", "test_browser.py",
         "test_hostile_catalogs.py", "test_site_search.py", "test_check.py"]
"""The test files that take longest, started first so that the two processes of
``make test`` end together (each file runs in one process, the others as they come)."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return FIRST.index(name) if name in FIRST else len(FIRST)

    items.sort(key=rank)  # stable: each file's tests keep their order
