"""`curriculum check` on sample projects: each mistake is reported at its file and line."""

from __future__ import annotations


import pytest

from conftest import ROOTS, run_module, sample

CASES = sorted(path.name for path in ROOTS.glob("invalid-*"))


def test_every_kind_of_mistake_has_a_sample_project():
    wanted = {"yaml-syntax", "tab-indent", "duplicate-key", "empty-file", "list-file",
              "scalar-file", "wrong-type", "missing-field", "unknown-field", "duplicate-id",
              "unknown-reference", "lesson-minutes", "session-minutes", "date", "encoding",
              "alias-bomb", "custom-tag", "id-path", "hostile-content", "image", "many"}
    assert {case.removeprefix("invalid-") for case in CASES} >= wanted


def test_valid_project_passes(tmp_path, cli):
    result = cli(sample(tmp_path, "valid-minimal"), "check")
    assert result.exit_code == 0, result.output
    assert result.output == "All content is valid: 1 lesson, 1 form, 1 session agenda, 0 handbook chapters.\n"


@pytest.mark.parametrize("case", CASES)
def test_mistake_is_reported_with_its_line(tmp_path, cli, case):
    """The exact messages are kept in the case's expected.txt (regenerate: see README)."""
    result = cli(sample(tmp_path, case), "check")
    expected = (ROOTS / case / "expected.txt").read_text(encoding="utf-8")
    assert result.exit_code == 1
    assert result.stderr == expected


def test_all_problems_of_all_files_in_one_run(tmp_path, cli):
    result = cli(sample(tmp_path, "invalid-many"), "check")
    files = {line.split(":", 1)[0] for line in result.stderr.splitlines()[:-1]
             if not line.startswith(" ")}  # indented lines show the offending line
    assert files == {"content/forms/sample-form.yml", "content/lessons/sample-lesson.yml",
                     "content/program.yml", "content/sessions/broken.yml"}


def test_a_user_sees_no_traceback(tmp_path):
    result = run_module(sample(tmp_path, "invalid-many"), "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0].startswith("content/forms/sample-form.yml:2: titel:")


def test_yaml_1_1_surprises_stay_text(tmp_path, cli):
    """`14:00` is a time and `no` an answer, not the number 840 and false."""
    project = sample(tmp_path, "valid-minimal")
    agency = project / "content" / "agency.yml"
    agency.write_text(agency.read_text().replace('time: "10:30"', "time: 14:00"))
    form = project / "content" / "forms" / "sample-form.yml"
    form.write_text(form.read_text().replace('options: ["1", "2", "3", "4", "5"]',
                                             "options: [yes, no]"))
    result = cli(project, "check")
    assert result.exit_code == 0, result.output


def test_build_refuses_bad_content_and_keeps_the_last_site(tmp_path, cli, warm):
    project = warm(sample(tmp_path, "valid-minimal"))
    assert cli(project, "build").exit_code == 0
    before = {p: p.stat().st_mtime_ns for p in (project / "site").rglob("*")}
    (project / "content" / "forms" / "sample-form.yml").write_text("id: [oops\n")
    result = cli(project, "build")
    assert result.exit_code == 1
    assert "content/forms/sample-form.yml:1: syntax:" in result.stderr
    assert {p: p.stat().st_mtime_ns for p in (project / "site").rglob("*")} == before
    assert not list(project.glob(".site-*"))


def test_a_huge_file_is_refused_not_read(tmp_path, cli):
    """10 MB of pasted material: refused above the documented limit, before YAML parsing."""
    project = sample(tmp_path, "valid-minimal")
    lesson = project / "content" / "lessons" / "sample-lesson.yml"
    pasted = "# " + "pasted material " * 64 + "\n"
    lesson.write_text(lesson.read_text() + pasted * (10_000_000 // len(pasted)))
    result = cli(project, "check")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "content/lessons/sample-lesson.yml:1: file: the file is 10,0")
    assert "content files may be at most 1,000,000 bytes" in result.stderr
    assert "there is no lesson" not in result.stderr  # no follow-on errors


def test_every_mistake_ends_cleanly_in_its_own_process(tmp_path):
    """Run as a user would: exit code 1, one located line per problem, no traceback."""
    for case in CASES:
        result = run_module(sample(tmp_path / case, case), "check")
        assert result.returncode == 1, case
        assert "Traceback" not in result.stderr, case
        *lines, summary = result.stderr.splitlines()
        assert lines and summary.endswith("nothing was built."), case
        for line in lines:
            if line.startswith("    "):  # the offending line, and a caret under the spot
                continue
            path, number, field, message = line.split(":", 3)
            assert path.startswith("content/") and int(number) >= 1, line
            assert field.strip() and len(message.strip()) > 20, line


def test_a_custom_tag_runs_nothing(tmp_path, cli):
    project = sample(tmp_path, "invalid-custom-tag")
    assert cli(project, "check").exit_code == 1
    assert not (project / "hacked").exists()


def test_hostile_content_builds_nothing(tmp_path, cli):
    project = sample(tmp_path, "invalid-hostile-content")
    result = cli(project, "build")
    assert result.exit_code == 1
    assert not (project / "site").exists()
    assert "javascript:" in result.stderr and "raw HTML (<script>)" in result.stderr


def test_the_old_translations_setting_is_no_longer_read_and_says_where_they_went(tmp_path,
                                                                                   cli):
    project = sample(tmp_path, "valid-minimal")
    agency = project / "content" / "agency.yml"
    text = agency.read_text()
    agency.write_text(text + "translations:\n  es:\n    warmline_hours: todos los días\n")
    line = len(text.splitlines()) + 2
    result = cli(project, "check")
    assert result.exit_code == 0, result.output
    assert (f"content/agency.yml:{line}: translations.es: warning: no longer read: the "
            "agency's names and hours in another language are messages of that language's "
            "catalog") in result.stderr
    assert "Run `curriculum translate update es`" in result.stderr
    assert cli(project, "check", "--strict").exit_code == 1
