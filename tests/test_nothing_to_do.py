"""A build with nothing to do: when no file it reads changed since the last successful
build, and that build's site and stamps are as it left them, the build writes nothing and
says what that build said; any change to what it reads, or to what it wrote, builds again."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import run_module, sample


def _build(project: Path) -> tuple[int, str, int]:
    """Exit code, what the build said, and when the site's home page was written."""
    result = run_module(project, "build", "--verbose")
    return (result.returncode, result.stderr + result.stdout,
            (project / "site" / "index.html").stat().st_mtime_ns)


def _said(stderr: str) -> list[str]:
    """What a build says about the content (not its stages and times)."""
    return [line for line in stderr.splitlines()
            if not line.startswith(("Time per stage", " ")) and not line.endswith("...")
            and not line.startswith(("total", "Checking", "Preparing", "Writing", "Building"))
            and "  " not in line]


def test_a_build_with_nothing_to_do_writes_nothing_and_says_the_same(tmp_path):
    project = sample(tmp_path, "valid-minimal")
    code, first, written = _build(project)
    assert code == 0, first
    assert "Checking the content..." in first
    code, again, rewritten = _build(project)
    assert code == 0, again
    assert "Checking the content..." not in again, "the content was read again"
    assert rewritten == written, "the site was written again"
    assert _said(again) == _said(first) and "Built site/ with 1 lesson" in again

    lesson = project / "content" / "lessons" / "sample-lesson.yml"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace(
        "summary: ", "summary: Freshly edited. ", 1), encoding="utf-8")
    code, edited, _ = _build(project)
    assert code == 0 and "Checking the content..." in edited, edited
    page = project / "site" / "coaches" / "lessons" / "sample-lesson.html"
    assert "Freshly edited." in page.read_text(encoding="utf-8")


def test_a_removed_output_or_stamp_builds_again(tmp_path):
    project = sample(tmp_path, "valid-minimal")
    assert _build(project)[0] == 0
    shutil.rmtree(project / "build" / "pdf-stamps")
    code, said, _ = _build(project)
    assert code == 0 and "Writing PDFs" in said, said
    shutil.rmtree(project / "site")
    code, said, _ = _build(project)
    assert code == 0 and (project / "site" / "index.html").is_file(), said
