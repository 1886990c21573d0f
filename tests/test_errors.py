"""Errors as the person running a command meets them: a warning is shown and the command
goes on unless it is strict; an error a user can put right is said in words with its exit
code; a bug in the generator keeps its traceback."""

from __future__ import annotations

import pytest

from conftest import sample
from generator.builders import fillable, pdf
from generator.core.content import load_catalog
from generator.core.language import ENGLISH
from generator.core.project import Project

BUDGET_WARNING = ("content/agency.yml:{line}: budget.amount: warning: the program suggests $35 "
                  "to $60 a month; $80 is outside that range\n")


@pytest.fixture
def warned(tmp_path):
    """A small project whose only problem is a warning (a budget above the suggested
    range)."""
    project = sample(tmp_path, "valid-minimal")
    agency = project / "content" / "agency.yml"
    text = agency.read_text(encoding="utf-8")
    assert text.count("amount: 40") == 1
    agency.write_text(text.replace("amount: 40", "amount: 80"), encoding="utf-8")
    line = text[:text.index("amount: 40")].count("\n") + 1
    return project, BUDGET_WARNING.format(line=line)


def test_check_shows_a_warning_and_passes(warned, cli):
    project, warning = warned
    result = cli(project, "check")
    assert result.exit_code == 0
    assert result.stderr == warning
    assert result.stdout.startswith("All content is valid")


def test_strict_check_fails_on_a_warning(warned, cli):
    project, warning = warned
    result = cli(project, "check", "--strict")
    assert result.exit_code == 1
    assert result.stderr == warning + "1 problem found; --strict fails on warnings.\n"
    assert result.stdout == ""


def test_strict_check_passes_without_a_warning(tmp_path, cli):
    result = cli(sample(tmp_path, "valid-minimal"), "check", "--strict")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_a_request_that_cannot_be_carried_out_is_a_usage_error(tmp_path, cli):
    project = sample(tmp_path, "valid-minimal")
    result = cli(project, "new", "lesson", "sample-lesson")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        f"Error: {project}/content/lessons/sample-lesson.yml already exists\n")
    assert "Traceback" not in result.output


def test_a_bug_in_the_pdf_code_keeps_its_traceback(tmp_path, monkeypatch):
    """A fault of the generator's own code is not reported as a problem of the content."""
    root = sample(tmp_path, "valid-minimal")
    project = Project(root)

    def broken(path, html):
        raise KeyError("a bug")

    monkeypatch.setattr(fillable, "repair", broken)
    with pytest.raises(KeyError, match="a bug"):
        pdf.write_all(project, pdf.prepare(project, load_catalog(project), ENGLISH),
                      root / "downloads", root / "stamps", workers=1)
