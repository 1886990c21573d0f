"""The writing guide's rules in `curriculum check` (and `build`): an agency's overlay and a
trainer's fork are held to them as the shipped content is, each finding at its line with
what to write instead."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import PROJECT, sample
from generator.core import writing
from generator.core.load import load
from generator.core.project import Project

GUIDE = PROJECT / "docs" / "writing-guide.md"


def _findings(project: Project) -> list[str]:
    loaded = load(project)
    return [str(problem) for problem in
            writing.problems(loaded.documents, {item.doc.path for item in loaded.items})]


@pytest.mark.parametrize("overlay", [None, "examples/riverside"])
def test_the_shipped_content_meets_every_writing_rule(overlay):
    """Reading level, refused labels, objectives, handout length, takeaways and sources of
    every lesson, form, agenda and chapter (and the example overlay's own): no error and no
    warning."""
    found = _findings(Project(PROJECT, PROJECT / overlay if overlay else None))
    assert not found, "\n".join(found)


def test_the_guide_lists_every_refused_label():
    guide = " ".join(GUIDE.read_text(encoding="utf-8").split())
    for term in writing.REFUSED:
        assert f'"{term}"' in guide, term


def _line(text: str, start: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1)
                if line.lstrip().startswith(start))


def _bad_lesson(lesson: str) -> str:
    """The sample lesson as a careless writer might leave it."""
    bad = lesson.replace(
        "summary: Sample, one plain sentence on what this lesson is about.",
        "summary: Individuals who suffer from psychiatric symptomatology, such as the "
        "mentally ill.")
    bad = bad.replace("  - Name one small step of the sample skill.", "  - Understand walking.")
    start = bad.index("handout:\n  body: |\n")
    end = bad.index("  worked_example:", start)
    bad = bad[:start] + "handout:\n  body: Walk every day.\n" + bad[end:]
    end = bad.index("\nkey_takeaways:", start)
    body = bad.index("    body: |", start)
    bad = bad[:body] + "    body: Sam walks.\n" + bad[end + 1:]
    return bad.replace("https://www.mhanational.org/", "https://example.org/")


def test_an_overlay_lesson_that_breaks_the_writing_rules_fails_check_at_each_line(
        tmp_path, cli):
    project = sample(tmp_path, "valid-minimal")
    lesson = (project / "content" / "lessons" / "sample-lesson.yml").read_text()
    bad = _bad_lesson(lesson)
    overlay = tmp_path / "overlay"
    path = overlay / "content" / "lessons" / "sample-lesson.yml"
    path.parent.mkdir(parents=True)
    path.write_text(bad)
    result = cli(project, "check", "--overlay", str(overlay))
    assert result.exit_code == 1
    shown = f"{overlay}/content/lessons/sample-lesson.yml"
    lines = result.stderr.splitlines()

    def said(start: str, field: str) -> str:
        prefix = f"{shown}:{_line(bad, start)}: {field}: "
        found = [line for line in lines if line.startswith(prefix)]
        assert found, f"nothing at {prefix} in:\n{result.stderr}"
        return " ".join(found)

    summary = said("summary:", "summary")
    assert "'suffer from' is a label the writing guide refuses" in summary
    assert "write 'lives with' or 'has'" in summary
    assert "'the mentally ill' is a label the writing guide refuses" in summary
    assert "people living with a mental health condition" in summary
    assert "'Understand' is not something a coach can see a member do" in said(
        "- Understand walking.", "objectives[0]")
    handout = said("body: Walk every day.", "handout.body")
    assert "have 5 words; a handout fills one printed page: 250-350 words (add 245)" in handout
    assert "is the template's placeholder, not a source" in said("url: https://example.org/",
                                                                 "sources[0].url")
    assert "Traceback" not in result.output
    # the build refuses it too, and writes nothing
    built = cli(project, "build", "--overlay", str(overlay))
    assert built.exit_code == 1
    assert f"{shown}:{_line(bad, 'summary:')}: summary:" in built.stderr
    assert not (project / "site").exists()


def test_a_label_in_any_file_is_refused_and_a_draft_is_only_warned(tmp_path, cli):
    project = sample(tmp_path, "valid-minimal")
    form = project / "content" / "forms" / "sample-form.yml"
    text = form.read_text()
    purpose = _line(text, "purpose:")
    form.write_text(re.sub(r"^purpose: .*$", "purpose: So the coach knows who is "
                           "non-compliant.", text, count=1, flags=re.MULTILINE))
    result = cli(project, "check")
    assert result.exit_code == 1
    assert (f"content/forms/sample-form.yml:{purpose}: purpose: 'non-compliant' is a label the "
            "writing guide refuses ('non-compliant'): say what the person chose or what got "
            "in the way") in result.stderr

    form.write_text(text)
    lesson = project / "content" / "lessons" / "sample-lesson.yml"
    draft = lesson.with_name("new-lesson.yml")
    draft.write_text(_bad_lesson(lesson.read_text()).replace(
        "id: sample-lesson", "id: new-lesson").replace("sequence: 1", "sequence: 2\ndraft: true"))
    result = cli(project, "check")
    # a draft is not built: what it breaks is a warning until it is finished
    assert result.exit_code == 0, result.output
    assert "summary: warning: 'suffer from' is a label" in result.stderr
    said = [line for line in result.stderr.splitlines()
            if line.startswith("content/lessons/new-lesson.yml")]
    assert len(said) >= 4 and all(": warning: " in line and line.endswith(
        "(before the draft is finished)") for line in said), said
    assert cli(project, "check", "--strict").exit_code == 1


def test_hard_coach_text_is_a_warning_that_strict_refuses(tmp_path, cli):
    project = sample(tmp_path, "valid-minimal")
    lesson = project / "content" / "lessons" / "sample-lesson.yml"
    text = lesson.read_text()
    hard = ("Practitioners should systematically operationalize individualized "
            "psychoeducational interventions, contextualizing interpersonal competencies "
            "within comprehensive recovery-oriented organizational frameworks.")
    lesson.write_text(text.replace("virtual: Sample, how to run it online or by phone.",
                                   f"virtual: {hard}"))
    line = _line(text, "virtual:")
    result = cli(project, "check")
    assert result.exit_code == 0, result.output
    assert re.search(rf"content/lessons/sample-lesson.yml:{line}: adaptations.virtual: "
                     r"warning: reads at US grade \d+\.\d; coach text reads at grade 11 or "
                     "below", result.stderr), result.stderr
    strict = cli(project, "check", "--strict")
    assert strict.exit_code == 1
    # member text as hard is an error
    lesson.write_text(text.replace("journal_prompt: Sample, one prompt for the weekly journal.",
                                   f"journal_prompt: {hard}"))
    member = cli(project, "check")
    assert member.exit_code == 1
    assert re.search(rf"content/lessons/sample-lesson.yml:{_line(text, 'journal_prompt:')}: "
                     r"journal_prompt: reads at US grade \d+\.\d; member text reads at grade 8 "
                     "or below", member.stderr), member.stderr


def test_a_build_keeps_the_grades_it_measured_and_check_only_reads_them(tmp_path, cli, warm):
    import json

    project = warm(sample(tmp_path, "valid-minimal"))
    kept = project / "build" / writing.GRADES_FILE
    lesson = project / "content" / "lessons" / "sample-lesson.yml"
    lesson.write_text(lesson.read_text().replace(
        "virtual: Sample, how to run it online or by phone.",
        "virtual: Sample, how to run it online or by phone, with the same steps as in the "
        "room and a pause after each one."))
    assert cli(project, "build").exit_code == 0
    stored = json.loads(kept.read_text())
    assert stored["version"].startswith("textstat ") and len(stored["grades"]) >= 5
    assert all(isinstance(value, float) for value in stored["grades"].values())
    before = kept.read_bytes()
    assert cli(project, "check").exit_code == 0
    assert kept.read_bytes() == before  # check writes nothing
    kept.write_text("not what a build writes")  # a damaged file is measured again
    assert cli(project, "check").exit_code == 0
    assert kept.read_text() == "not what a build writes"
