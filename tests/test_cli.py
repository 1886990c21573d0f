"""The command-line contract: help texts, usage errors (exit 2), scaffolding, schemas."""

from __future__ import annotations

import json

import pytest

from conftest import PROJECT, run_module, sample


@pytest.mark.parametrize("command", [[], ["check"], ["build"], ["serve"], ["new", "lesson"],
                                     ["schema"], ["overlay"], ["overlay", "init"],
                                     ["overlay", "copy"], ["overlay", "status"]])
def test_every_command_has_help(tmp_path, cli, command):
    result = cli(tmp_path, *command, "--help")
    assert result.exit_code == 0
    assert "Usage: " in result.output and len(result.output.splitlines()) > 3


@pytest.mark.parametrize("args", [["frobnicate"], ["build", "--engine", "hugo"],
                                  ["new", "lesson"], ["new", "lesson", "Bad Id"],
                                  ["new", "lesson", "../../etc/passwd"],
                                  ["build", "--overlay", "no-such-folder"],
                                  ["overlay", "status"],
                                  ["overlay", "copy", "lesson", "sample-lesson"]])
def test_usage_errors_exit_2(tmp_path, cli, args):
    result = cli(sample(tmp_path, "valid-minimal"), *args)
    assert result.exit_code == 2
    assert "Error:" in result.stderr


def test_outside_a_project_is_a_usage_error(tmp_path):
    result = run_module(tmp_path, "check")
    assert result.returncode == 2
    assert "no mkdocs.yml here" in result.stderr


def test_a_new_lesson_is_a_draft_until_filled_in(tmp_path, cli, warm):
    project = warm(sample(tmp_path, "valid-minimal"))
    result = cli(project, "new", "lesson", "active-listening")
    assert result.exit_code == 0, result.output
    path = project / "content" / "lessons" / "active-listening.yml"
    written = path.read_text()
    from generator.core.models import Lesson
    for name in Lesson.model_fields:
        assert f"\n{name}:" in written, name
    assert "docs/writing-guide.md" in written
    assert (PROJECT / "docs" / "writing-guide.md").is_file()
    checked = cli(project, "check")
    assert checked.exit_code == 0
    assert checked.stdout.startswith("All content is valid: 1 lesson (and 1 draft, left out")
    to_fill = [line for line in checked.stderr.splitlines()
               if line.startswith("content/lessons/active-listening.yml:")]
    assert len(to_fill) > 30 and all(line.endswith(("warning: still to fill in (the lesson "
                                                    "is a draft)", "(before the draft is "
                                                    "finished)")) for line in to_fill)
    # the writing rules too, as warnings until the draft is finished
    assert any("handout.body: warning: the handout and its worked example have" in line
               for line in to_fill), to_fill
    summary = next(n for n, line in enumerate(written.splitlines(), 1)
                   if line.startswith("summary:"))
    assert f"active-listening.yml:{summary}: summary: warning" in checked.stderr
    # built, the draft is nowhere; with the draft flag gone, template text is an error
    assert cli(project, "build").exit_code == 0
    assert not list((project / "site").rglob("active-listening*"))
    path.write_text(written.replace("draft: true\n", ""))
    finished = cli(project, "check")
    assert finished.exit_code == 1
    assert (f"active-listening.yml:{summary - 1}: summary: still holds the new-lesson "
            "template's text") in finished.stderr
    again = cli(project, "new", "lesson", "active-listening")
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_lessons_sharing_a_sequence_or_missing_from_a_plan_are_warned_about(tmp_path, cli):
    project = sample(tmp_path, "valid-minimal")
    lesson = project / "content" / "lessons" / "sample-lesson.yml"
    other = lesson.read_text().replace("id: sample-lesson", "id: other-lesson")
    (lesson.parent / "other-lesson.yml").write_text(other)
    program = project / "content" / "program.yml"
    program.write_text(program.read_text().replace(
        "  weekly:\n", "  weekly:\n    - lesson: other-lesson\n"))
    result = cli(project, "check")
    assert result.exit_code == 0, result.output
    assert "other-lesson.yml:5: sequence: warning: lesson 'other-lesson'" not in result.stderr
    assert "sequence: warning:" in result.stderr and "has the same sequence, 1" in result.stderr
    assert ("other-lesson.yml:4: id: warning: the every two weeks year plan does not teach "
            "this skill") in result.stderr
    program.write_text(program.read_text() + "  left_out: [other-lesson]\n")
    assert "year plan does not teach" not in cli(project, "check").stderr


def test_schema_files_describe_every_field(tmp_path, cli):
    project = sample(tmp_path, "valid-minimal")
    result = cli(project, "schema")
    assert result.exit_code == 0
    lesson = json.loads((project / "schemas" / "lesson.schema.json").read_text())
    assert "title" in lesson["properties"]
    assert lesson["properties"]["title"]["description"].startswith("Plain title")
    for path in (project / "schemas").glob("*.schema.json"):
        _assert_described(json.loads(path.read_text()))


def _assert_described(schema: dict) -> None:
    for definition in [schema, *schema.get("$defs", {}).values()]:
        for name, prop in definition.get("properties", {}).items():
            # a field whose docstring equals its model's docstring keeps it on the $ref
            target = schema.get("$defs", {}).get(prop.get("$ref", "").rsplit("/", 1)[-1], {})
            described = prop.get("description") or target.get("description")
            assert described, f"{definition.get('title')}.{name} has no docstring"


def test_committed_schemas_are_current(tmp_path, cli):
    """The schemas editors use are the ones the models make (run `curriculum schema`)."""
    project = sample(tmp_path, "valid-minimal")
    cli(project, "schema")
    for written in (project / "schemas").glob("*.json"):
        assert written.read_text() == (PROJECT / "schemas" / written.name).read_text()


def test_content_files_point_editors_at_their_schema():
    for path in (PROJECT / "content").rglob("*.yml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        schema = (path.parent / first.split("=", 1)[1]).resolve()
        assert schema.is_file(), f"{path}: {schema} does not exist"


def test_verbose_build_shows_each_pdf_and_the_time_of_each_stage(tmp_path, cli):
    result = cli(sample(tmp_path, "valid-minimal"), "build", "--verbose")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert "Checking the content..." in lines and "Building the website (mkdocs)..." in lines
    steps = [line for line in lines if line.startswith("  [")]
    assert steps and steps[-1].startswith(f"  [{len(steps)}/{len(steps)}] ")
    assert any(line.endswith("] forms/sample-form.pdf") for line in steps)
    summary = lines[lines.index("Time per stage:") + 1:]
    summary = summary[:summary.index("")]  # the sample-edition warning follows
    assert summary[-1].startswith("total") and summary[-1].endswith(" s")
    assert len(summary) >= 5


def test_a_rebuild_without_changes_keeps_the_site_and_an_edit_replaces_it(tmp_path, cli,
                                                                           warm):
    project = warm(sample(tmp_path, "valid-minimal"))
    assert cli(project, "build").exit_code == 0
    site = project / "site"
    before = {path: path.stat().st_mtime_ns for path in site.rglob("*")}
    result = cli(project, "build", "--verbose")
    assert result.exit_code == 0
    assert "Building the website" not in result.stderr  # nothing to do for the engine
    assert {path: path.stat().st_mtime_ns for path in site.rglob("*")} == before
    form = project / "content" / "forms" / "sample-form.yml"
    form.write_text(form.read_text().replace("title: Sample form", "title: Sample sheet", 1))
    assert cli(project, "build").exit_code == 0
    assert "Sample sheet" in (site / "participants" / "forms" / "sample-form.html").read_text()
