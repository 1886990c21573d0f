"""An edition number stands for an edition, in a clone without tags too.

`curriculum changes 2027.1` and `previous_edition: "2027.1"` find the tag ``v2027.1`` or,
where there is none, the newest commit whose program.yml names the edition. The project is
committed in a temporary git repository with no tags (once for the module; a test that
changes it works on a copy).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import PROJECT, real_project, require_tool
from generator.builders import pdf
from generator.builders.changes import changes_page, since_previous
from generator.core.errors import ContentError
from generator.core.language import ENGLISH
from generator.core.content import load_catalog
from generator.core.project import Project
from test_changes import (NEW_BOUNDARIES_HANDOUT, commit, edit_yaml, git,
                          previous_edition_line)

NO_SUCH_EDITION = ("edition 2031.4: no tag v2031.4 and no commit whose content/program.yml "
                   "names edition 2031.4; fetch the tags (git fetch --tags), or give a commit "
                   "or a folder instead")


def _untagged(repo: Path, project: Path) -> Path:
    """``project`` (in ``repo`` or a subfolder of it) committed as edition 2027.1, no tag."""
    require_tool("git", "git")
    git(repo, "init", "-q")
    commit(repo, "Edition 2027.1")
    return project


@pytest.fixture(scope="module")
def first_edition(tmp_path_factory) -> Path:
    """The real project committed as edition 2027.1, with no tag. Tests only read it
    (``untagged`` is a copy)."""
    project = real_project(tmp_path_factory.mktemp("untagged") / "project", locales=False)
    return _untagged(project, project)


@pytest.fixture
def untagged(first_edition: Path, tmp_path: Path) -> Path:
    """A copy of ``first_edition``, its history included, for a test that changes it."""
    return Path(shutil.copytree(first_edition, tmp_path / "project", symlinks=True))


def _late_fix(root: Path) -> None:
    """A change made to edition 2027.1 after the commit that numbered it."""
    edit_yaml(root / "content" / "chapters" / "welcome.yml",
              lambda data: data.update(summary="A short hello from your coaches."))


def _edition_2027_2(root: Path, previous: str | None = None) -> None:
    """Edition 2027.2: the number raised and the boundaries handout rewritten."""
    def program(data):
        data.update(edition="2027.2", edition_date="2027-07-05")
        if previous:
            data["previous_edition"] = previous

    edit_yaml(root / "content" / "program.yml", program)
    edit_yaml(root / "content" / "lessons" / "boundaries.yml",
              lambda data: data["handout"].update(body=NEW_BOUNDARIES_HANDOUT))


@pytest.mark.parametrize("committed", [True, False], ids=["committed", "not committed"])
def test_an_edition_number_needs_no_tag(untagged: Path, cli, committed: bool) -> None:
    _late_fix(untagged)
    commit(untagged, "Welcome summary shortened")
    _edition_2027_2(untagged)
    if committed:
        commit(untagged, "Edition 2027.2")
    result = cli(untagged, "changes", "2027.1")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("Changes from edition 2027.1 (2027-01-04) to 2027.2 (2027-07-05)")
    assert "  changed  Personal boundaries (boundaries): `handout.body` rewritten; " \
           "timing unchanged" in out
    # edition 2027.1 is its last commit, with the late fix in it
    assert "Welcome" not in out


def test_the_tag_of_an_edition_comes_first(untagged: Path, cli) -> None:
    git(untagged, "tag", "v2027.1")
    _late_fix(untagged)
    commit(untagged, "Welcome summary shortened")
    result = cli(untagged, "changes", "2027.1")
    assert result.exit_code == 0, result.output
    # the tag is the commit before the fix; the newest commit of 2027.1 would show nothing
    assert "  changed  Welcome" in result.output
    assert "`summary` rewritten" in result.output


def test_an_edition_in_a_subfolder_of_the_repository(tmp_path: Path, project: Path,
                                                     cli) -> None:
    assert project.parent == tmp_path
    _untagged(tmp_path, project)
    _edition_2027_2(project)
    result = cli(project, "changes", "2027.1")
    assert result.exit_code == 0, result.output
    assert "  changed  Personal boundaries (boundaries)" in result.output


def test_an_unknown_edition_number_is_a_usage_error(first_edition: Path, cli) -> None:
    result = cli(first_edition, "changes", "2031.4")
    assert result.exit_code == 2
    assert f"Error: {NO_SUCH_EDITION}" in result.output


def _since_previous(root: Path):
    """The report the build makes for ``previous_edition``, without printing PDFs."""
    project = Project(root)
    catalog = load_catalog(project)
    return project, since_previous(project, catalog, pdf.prepare(project, catalog, ENGLISH))


def test_previous_edition_may_be_an_edition_number(untagged: Path) -> None:
    _edition_2027_2(untagged, previous="2027.1")
    project, report = _since_previous(untagged)
    assert (report.old.edition, report.new.edition) == ("2027.1", "2027.2")
    assert [(item.ident, item.action) for item in report.items
            if item.kind == "lesson"] == [("boundaries", "changed")]
    page = changes_page(project, report)
    assert "# What's new in edition 2027.2" in page
    assert "`handouts/boundaries.pdf`" in page


def test_an_unknown_previous_edition_number_is_reported_at_its_line(untagged: Path) -> None:
    _edition_2027_2(untagged, previous="2031.4")
    line = previous_edition_line(untagged)
    with pytest.raises(ContentError) as caught:
        _since_previous(untagged)
    assert [str(p) for p in caught.value.problems] == [
        f"content/program.yml:{line}: previous_edition: {NO_SUCH_EDITION}"]


def test_an_unquoted_previous_edition_is_an_edition_number() -> None:
    """`previous_edition: 2027.1` as people write it: YAML reads a number, the edition is
    meant."""
    import yaml

    from generator.core.models import Program

    data = yaml.safe_load((PROJECT / "content" / "program.yml").read_text())
    data["previous_edition"] = yaml.safe_load("previous_edition: 2027.1")["previous_edition"]
    assert Program(**data).previous_edition == "2027.1"
