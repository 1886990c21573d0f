"""The edition is named the same way everywhere a reader or a citation tool looks."""

from __future__ import annotations

import re

import yaml

from conftest import PROJECT


def _program() -> dict:
    return yaml.safe_load((PROJECT / "content" / "program.yml").read_text())


def test_citation_names_the_current_edition() -> None:
    program = _program()
    citation = yaml.safe_load((PROJECT / "CITATION.cff").read_text())
    assert citation["version"] == program["edition"]
    assert citation["date-released"] == program["edition_date"]
    assert citation["license"] == "CC-BY-SA-4.0"


def test_the_changelog_has_the_current_edition_first() -> None:
    program = _program()
    headings = re.findall(r"^## \[(\d{4}\.\d+)\] - (\d{4}-\d{2}-\d{2})$",
                          (PROJECT / "CHANGELOG.md").read_text(), flags=re.MULTILINE)
    assert headings[0] == (program["edition"], str(program["edition_date"]))


def test_the_licences_are_stated_for_content_and_code(built) -> None:
    licence = (PROJECT / "LICENSE").read_text()
    assert "CC BY-SA 4.0" in licence and "MIT License" in licence
    home = (built / "index.html").read_text()
    assert "Curriculum content: CC BY-SA 4.0. Software: MIT." in home
    assert f"edition {_program()['edition']}" in home
