"""A build that is interrupted (Ctrl-C) or killed part-way never changes the last good site.

Each test starts from a copy of the sample project built once (see conftest.py), changes
its content, then starts the build again in its own process and stops it part-way. The
site's files must be byte-for-byte what they were; the next complete build removes the
leftovers and shows the change.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

KILLS = 6
"""How many builds are killed, each at a different point."""


def _tree(site: Path) -> dict[str, str]:
    """Every file of the site and a hash of its bytes."""
    return {str(path.relative_to(site)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(site.rglob("*")) if path.is_file()}


def _start(project: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def _change(project: Path, text: str) -> None:
    form = project / "content" / "forms" / "sample-form.yml"
    form.write_text(form.read_text().replace("title: Sample form", f"title: {text}", 1))


def _copy(built_sample: Path, tmp_path: Path) -> Path:
    """A copy of the built sample project, its site and PDFs included."""
    return Path(shutil.copytree(built_sample, tmp_path / "project"))


@pytest.fixture
def built_once(sample_build, tmp_path) -> tuple[Path, dict[str, str], float]:
    """A built sample project, its site's files, and how long a build took."""
    built_sample, seconds = sample_build
    project = _copy(built_sample, tmp_path)
    return project, _tree(project / "site"), seconds


def test_killed_builds_leave_the_site_as_it_was(built_once):
    project, before, duration = built_once
    _change(project, "Sample form, second edition")
    # Forget the reusable PDFs so that every build does its full work before the swap.
    for stamp in (project / "build" / "pdf-stamps").rglob("*.json"):
        stamp.unlink()
    chance = random.Random()
    points = sorted(chance.uniform(0.05, 1.0) * duration for _ in range(KILLS))
    for delay in points:
        build = _start(project)
        time.sleep(delay)
        os.killpg(build.pid, signal.SIGKILL)
        build.communicate(timeout=60)
        site = project / "site"
        if _tree(site) != before:
            # the kill came after the swap: the site must then be the whole new build
            assert "Sample form, second edition" in (site / "participants" / "forms" /
                                                    "sample-form.html").read_text(), delay
            return
        assert _tree(site) == before, f"killed after {delay:.2f} s"
    finished = _start(project)
    _, err = finished.communicate(timeout=600)
    assert finished.returncode == 0, err
    assert not list(project.glob(".site-*")), "leftovers of the killed builds remain"
    assert _tree(project / "site") != before
    assert "Sample form, second edition" in (
        project / "site" / "participants" / "forms" / "sample-form.html").read_text()


def test_ctrl_c_stops_the_build_cleanly(built_once):
    project, before, duration = built_once
    _change(project, "Sample form, third edition")
    for stamp in (project / "build" / "pdf-stamps").rglob("*.json"):
        stamp.unlink()
    build = _start(project)
    time.sleep(duration / 3)
    os.killpg(build.pid, signal.SIGINT)  # what the terminal sends on Ctrl-C
    _, err = build.communicate(timeout=120)
    assert build.returncode != 0
    assert "Traceback" not in err, err
    assert _tree(project / "site") == before
    assert not list(project.glob(".site-*"))


def _built_then_changed(built_sample: Path, tmp_path: Path, cli,
                        title: str) -> tuple[Path, dict[str, str]]:
    """A copy of the built sample project built again with the CLI, its site's files, and
    then a changed form."""
    project = _copy(built_sample, tmp_path)
    assert cli(project, "build").exit_code == 0
    before = _tree(project / "site")
    _change(project, title)
    return project, before


def test_template_errors_are_all_listed_and_the_site_stays(built_sample, tmp_path, cli):
    project, before = _built_then_changed(built_sample, tmp_path, cli,
                                          "Sample form, fourth edition")
    site_template = project / "templates" / "site" / "form.md.j2"
    site_template.write_text(site_template.read_text() + "{{ form.no_such_field }}\n")
    print_template = project / "templates" / "print" / "handout.html.j2"
    lines = print_template.read_text().splitlines()
    print_template.write_text("\n".join([*lines[:3], "{% if %}", *lines[3:]]))
    result = cli(project, "build")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "templates/print/handout.html.j2:4: template: Expected an expression")
    print_template.write_text("\n".join(lines))
    result = cli(project, "build")
    assert result.exit_code == 1
    last = len(site_template.read_text().splitlines())
    assert result.stderr.startswith(f"templates/site/form.md.j2:{last}: template: ")
    assert "has no attribute 'no_such_field'" in result.stderr
    assert _tree(project / "site") == before
    assert not list(project.glob(".site-*"))


def test_a_pdf_that_cannot_be_written_stops_the_build_and_the_site_stays(built_sample,
                                                                         tmp_path, cli):
    project, before = _built_then_changed(built_sample, tmp_path, cli,
                                          "Sample form, fifth edition")
    # A folder where the renderer writes the new form PDF: the write fails.
    (project / "build" / "docs" / "downloads" / "forms" / "sample-form.pdf.partial").mkdir()
    result = cli(project, "build")
    assert result.exit_code == 1
    # a fault of the folder, not of the templates: one line naming it, and what to do
    assert result.stderr == ("build/docs/downloads/forms/sample-form.pdf.partial: Is a "
                             "directory; a folder stands where a file must be: move the "
                             "folder away, then run the command again\n")
    assert "Traceback" not in result.stderr
    assert _tree(project / "site") == before


def test_the_next_build_cleans_up_after_a_killed_one(built_sample, tmp_path, cli):
    project = _copy(built_sample, tmp_path)
    assert cli(project, "build").exit_code == 0
    before = _tree(project / "site")
    # What a build killed mid-way can leave: a half-written new site, and, where the swap
    # takes two steps, the old site moved aside just before the kill.
    (project / ".site-new-x1y2").mkdir()
    (project / ".site-new-x1y2" / "index.html").write_text("half")
    (project / "site").rename(project / ".site-old-4242")
    assert cli(project, "check").exit_code == 0
    result = cli(project, "build")
    assert result.exit_code == 0, result.output
    assert not list(project.glob(".site-*"))
    assert _tree(project / "site") == before
