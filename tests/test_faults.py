"""Faults of the machine end cleanly: one build at a time in a folder, PDF workers that die
with their build, leftovers that cannot be removed said, and a full disk, an immutable or
misplaced folder ending with one line (``path: cause; what to do``), exit 1, no traceback
and the last good site as it was.

Builds run as a user runs them, in processes of their own, in copies of one small built
sample project (its PDFs are reused unless a test forgets them).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import resource
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import ROOTS, require, run_module
from generator.core.write import LOCK_FILE

WAITING = "another build is running in this folder; waiting for it to finish\n"
AGAIN = "then run the command again"
WRITABLE = f"let this user write there (if it is immutable, `chattr -i` it), {AGAIN}"
TOO_LARGE = (f"File too large; a file passed the size limit set for this user (`ulimit -f`): "
             f"raise it, {AGAIN}\n")


def _tree(site: Path) -> dict[str, str]:
    """Every file of the site and a hash of its bytes."""
    return {str(path.relative_to(site)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(site.rglob("*")) if path.is_file()}


def _start(project: Path, *args: str, size_limit: int | None = None) -> subprocess.Popen:
    """``curriculum build`` in its own process; with ``size_limit``, no file it writes may
    grow past that many bytes (as ``ulimit -f``)."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size_limit, size_limit))

    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.Popen([sys.executable, "-m", "generator", "build", *args], cwd=project,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, preexec_fn=limit if size_limit else None)


def _finish(build: subprocess.Popen) -> tuple[int, str]:
    """The exit code and what the build said on stderr, without the sample edition's notes."""
    _, err = build.communicate(timeout=300)
    said = [line for line in err.splitlines(keepends=True)
            if line.startswith(("another build", "site", "build", ".site-", "Traceback"))]
    return build.returncode, "".join(said)


def _forget_pdfs(project: Path) -> None:
    """Make the next build render every PDF again."""
    shutil.rmtree(project / "build" / "pdf-stamps")


def _forget_site(project: Path) -> None:
    """Make the next build run the site engine again (the PDFs are reused)."""
    (project / "build" / "site-fingerprint").unlink()


def _leftovers(project: Path) -> list[str]:
    """Temporary folders of builds, and half-written PDFs, in the project or its site."""
    return sorted([path.name for path in project.glob(".site-*")]
                  + [str(path.relative_to(project)) for path in project.rglob("*.partial")])


@pytest.fixture
def built(built_sample: Path, tmp_path: Path) -> Path:
    """A copy of the built sample project (built once for the session, see conftest.py) for
    one test, its site and PDFs included."""
    return Path(shutil.copytree(built_sample, tmp_path / "project"))


def _can_freeze(folder: Path) -> bool:
    """Whether ``chattr +i`` works here: it needs root and a file system with attributes
    (ext4, xfs, btrfs; not tmpfs)."""
    probe = folder / "probe"
    probe.mkdir()
    try:
        works = (shutil.which("chattr") is not None
                 and subprocess.run(["chattr", "+i", str(probe)],
                                    capture_output=True).returncode == 0)
        if works:
            subprocess.run(["chattr", "-i", str(probe)], check=True)
        return works
    finally:
        probe.rmdir()


@contextmanager
def _frozen(path: Path) -> Iterator[None]:
    """``path`` made immutable (root cannot change it either) for the time of the block."""
    require(_can_freeze(path.parent), "chattr +i does not work here: it needs root and a "
            "file system with file attributes (ext4, xfs, btrfs)")
    subprocess.run(["chattr", "+i", str(path)], check=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def _wait_for_line(stream, seconds: float) -> str:
    """The next line of a child's output, or "" when none comes in time."""
    ready, _, _ = select.select([stream], [], [], seconds)
    return stream.readline() if ready else ""


def test_a_second_build_waits_for_the_first_and_says_so(built):
    _forget_site(built)
    with open(built / LOCK_FILE, "ab") as held:  # what a running build holds
        fcntl.flock(held, fcntl.LOCK_EX)
        second = _start(built)
        assert _wait_for_line(second.stderr, 60) == WAITING
        time.sleep(0.5)
        assert second.poll() is None, "the second build did not wait"
    assert _finish(second) == (0, "")


def test_two_builds_at_once_in_one_folder_both_succeed(built):
    _forget_pdfs(built)  # both have every PDF to write, into the same files
    form = built / "content" / "forms" / "sample-form.yml"
    form.write_text(form.read_text().replace("title: Sample form", "title: Two at once", 1))
    builds = [_start(built), _start(built)]
    results = sorted(_finish(build) for build in builds)
    assert results == [(0, ""), (0, WAITING)]
    assert "Two at once" in (built / "site" / "participants" / "forms" /
                             "sample-form.html").read_text()
    assert _leftovers(built) == []


def _processes_in(folder: Path) -> list[int]:
    """The processes whose working folder is ``folder``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and Path(os.readlink(entry / "cwd")) == folder:
                found.append(int(entry.name))
        except OSError:  # gone, or not ours to look at
            continue
    return found


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int(
                    (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def test_kill_9_during_the_pdfs_leaves_no_process_and_no_lock(built):
    _forget_pdfs(built)
    build = _start(built)
    deadline = time.monotonic() + 120
    while len(_children(build.pid)) < 2:  # both PDF workers are rendering
        assert build.poll() is None and time.monotonic() < deadline, "no PDF workers seen"
        time.sleep(0.02)
    os.kill(build.pid, signal.SIGKILL)  # the build only, as the OOM killer would
    build.wait(timeout=60)
    build.stdout.close()  # leftover workers would hold the pipes open
    build.stderr.close()
    deadline = time.monotonic() + 5
    while _processes_in(built.resolve()) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = _processes_in(built.resolve())
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == [], "PDF workers outlived their build"
    # The killed build's lock file stays; it does not hold up the next build.
    assert (built / LOCK_FILE).is_file()
    assert _finish(_start(built)) == (0, "")
    assert _leftovers(built) == []


def test_an_immutable_site_ends_with_one_line_and_stays(built):
    _forget_site(built)
    site = built / "site"
    before = _tree(site)
    with _frozen(site):
        result = _finish(_start(built))
    assert result == (1, f"site: Operation not permitted; {WRITABLE}\n")
    assert _tree(site) == before
    assert _leftovers(built) == []


def test_a_leftover_that_cannot_be_removed_is_reported(built):
    _forget_site(built)
    stuck = built / ".site-new-stuck" / "assets"
    stuck.mkdir(parents=True)
    (stuck / "page.html").write_text("left by a build killed long ago")
    with _frozen(stuck):
        code, said = _finish(_start(built))
    assert (code, said) == (0, ".site-new-stuck: warning: a build's temporary folder could "
                               "not be removed (Operation not permitted); remove it yourself "
                               "(if it is immutable, `chattr -R -i` it first)\n")
    assert _finish(_start(built)) == (0, "")  # once it can go, the next build removes it
    assert _leftovers(built) == []


def test_a_file_too_large_for_the_pdfs_blames_the_disk_not_the_templates(built):
    _forget_pdfs(built)
    before = _tree(built / "site")
    code, said = _finish(_start(built, size_limit=50_000))
    assert code == 1
    # the first PDF or part of a book (build/pdf-parts/) that reaches the limit
    assert re.fullmatch(r"build/(docs/downloads/[\w/-]+|pdf-parts/\w+)\.pdf\.partial: "
                        + re.escape(TOO_LARGE),
                        said), said
    assert _tree(built / "site") == before
    assert _leftovers(built) == []


def test_a_file_too_large_for_the_site_engine_ends_with_one_line(built):
    _forget_site(built)
    before = _tree(built / "site")
    build = _start(built, size_limit=50_000)
    _, err = build.communicate(timeout=300)
    assert build.returncode == 1
    assert "Traceback" not in err
    last = err.splitlines(keepends=True)[-1]
    assert re.fullmatch(r"\.site-new-\w+/[\w./-]+: " + re.escape(TOO_LARGE), last), err
    assert _tree(built / "site") == before
    assert _leftovers(built) == []


def test_a_file_named_site_is_never_replaced(built):
    shutil.rmtree(built / "site")
    (built / "site").write_text("my notes")
    assert _finish(_start(built)) == (
        1, f"site: Not a directory; a file stands where a folder must be: move the file "
           f"away, {AGAIN}\n")
    assert (built / "site").read_text() == "my notes"
    assert _leftovers(built) == []


def test_a_file_named_build_ends_with_one_line(built):
    shutil.rmtree(built / "build")
    (built / "build").write_text("my notes")
    assert _finish(_start(built)) == (
        1, f"build: File exists; a file stands where a folder must be: move the file away, "
           f"{AGAIN}\n")


def test_a_report_into_a_folder_that_cannot_be_made_ends_with_one_line(built):
    (built / "notes.txt").write_text("my notes")
    result = run_module(built, "report", "--out", "notes.txt/reports",
                        str(ROOTS / "outcomes" / "pilot.yml"))
    assert result.returncode == 1
    assert result.stderr == (f"notes.txt/reports: Not a directory; a file stands where a "
                             f"folder must be: move the file away, {AGAIN}\n")


def test_a_pdf_worker_killed_ends_the_build_with_one_line(built):
    _forget_pdfs(built)
    before = _tree(built / "site")
    build = _start(built)
    deadline = time.monotonic() + 120
    while len(_children(build.pid)) < 2:
        assert build.poll() is None and time.monotonic() < deadline, "no PDF workers seen"
        time.sleep(0.02)
    os.kill(_children(build.pid)[0], signal.SIGKILL)  # as the OOM killer would
    _, err = build.communicate(timeout=120)
    assert build.returncode == 1
    assert err == ("a process writing the PDFs was stopped (killed, or the machine ran out "
                   "of memory); run the build again\n")
    assert _processes_in(built.resolve()) == [], "the other PDF worker outlived the build"
    assert _tree(built / "site") == before
    assert _leftovers(built) == []
