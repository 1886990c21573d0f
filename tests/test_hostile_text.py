"""Text that can deceive is refused, and the public outcomes report holds counts only.

Hidden characters (direction overrides, zero-width and control characters) and names too
long to print are refused at their line by `check` and `build` alike, in the project and in
an overlay; characters the print font lacks are warned about at their line; a public report
names no group and prints no journal theme.
"""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from conftest import ROOTS, sample
from generator.core.characters import deceptive, unprintable
from generator.core.outcomes import figures, read, statement_key
from generator.core.project import Project
from generator.builders.report import write_report

CASE = "invalid-deceptive-text"


@pytest.mark.parametrize("character", [
    "\u202e", "\u202a", "\u2067", "\u2069", "\u200f", "\u061c",  # direction
    "\x07", "\x1b", "\x7f", "\x9b", "\r",  # C0, DEL and C1 controls
    "\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad",  # invisible formatting
    "\u2028", "\u2029", "\ue000", "\U000e0041",  # separators, private use, tags
    "\u3164", "\u034f", "\ufe0f",  # invisible letters and marks
])
def test_each_hidden_character_is_refused_by_name(character):
    reason = deceptive(f"Sample{character}Agency")
    assert reason is not None and reason.startswith(f"holds U+{ord(character):04X}")
    assert "(after 'Sample')" in reason and "delete it" in reason


@pytest.mark.parametrize("text", [
    "Línea de apoyo", "مركز الدعم", "שלום", "Tab\tand\nline break", "Señora O’Brien – 50 €",
])
def test_right_to_left_letters_and_ordinary_text_are_fine(text):
    assert deceptive(text) is None


def test_check_and_build_refuse_the_same_problems_at_their_lines(tmp_path, cli):
    project = sample(tmp_path, CASE)
    expected = (ROOTS / CASE / "expected.txt").read_text(encoding="utf-8")
    checked = cli(project, "check")
    built = cli(project, "build")
    assert (checked.exit_code, built.exit_code) == (1, 1)
    assert checked.stderr == built.stderr == expected
    assert not (project / "site").exists()
    assert ("content/agency.yml:2: agency_name: holds U+202E RIGHT-TO-LEFT OVERRIDE (after "
            "'Sample Agency '), an invisible character that changes the order in which the "
            "text around it is shown; delete it (letters of right-to-left scripts such as "
            "Arabic or Hebrew are fine)") in expected
    assert ("content/lessons/sample-lesson.yml:5: title: is 108 characters long; at most 100 "
            "fit here: shorten it") in expected
    assert "warmline" not in expected  # Hebrew letters in the warm line's name are fine


def test_an_overlay_setting_is_refused_at_the_overlay_file(tmp_path, cli):
    project = sample(tmp_path, "valid-minimal")
    folder = tmp_path / "overlay"
    (folder / "content").mkdir(parents=True)
    agency = (project / "content" / "agency.yml").read_text(encoding="utf-8")
    (folder / "content" / "agency.yml").write_text(
        agency.replace("agency_name: Sample Agency", 'agency_name: "Riverside\\u2067 Peer"'),
        encoding="utf-8")
    message = (f"{folder}/content/agency.yml:1: agency_name: holds U+2067 RIGHT-TO-LEFT "
               "ISOLATE (after 'Riverside')")
    for command in ("check", "build"):
        result = cli(project, command, "--overlay", str(folder))
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith(message), result.stderr


def test_an_outcomes_file_with_a_hidden_character_is_refused(tmp_path, cli):
    project = sample(tmp_path, "valid-minimal")
    text = (ROOTS / "outcomes" / "lakeside.yml").read_text(encoding="utf-8")
    hostile = tmp_path / "lakeside.yml"
    hostile.write_text(text.replace("cohort: Lakeside group, 2027",
                                    'cohort: "Lakeside\\u202e group"'), encoding="utf-8")
    result = cli(project, "report", str(hostile))
    assert result.exit_code == 1
    assert f"{hostile.name}:2: cohort: holds U+202E RIGHT-TO-LEFT OVERRIDE" in result.stderr
    assert "Traceback" not in result.output


def test_the_print_font_lacks_emoji_and_arrows_but_has_spanish():
    assert unprintable("Sample Agency \U0001f600 → año «ñ» é €") == ["\U0001f600", "→"]


@pytest.fixture(scope="module")
def emoji_build(tmp_path_factory):
    """The sample project with an emoji in the agency's name, built once."""
    project = sample(tmp_path_factory.mktemp("emoji"), "valid-minimal")
    agency = project / "content" / "agency.yml"
    agency.write_text(agency.read_text(encoding="utf-8").replace(
        "agency_name: Sample Agency", 'agency_name: "Sample Agency \\U0001F600"'),
        encoding="utf-8")
    return project


def test_a_character_the_print_font_lacks_is_a_warning_at_its_line(emoji_build, cli):
    warning = ("content/agency.yml:1: agency_name: warning: the print font (Atkinson "
               "Hyperlegible) has no U+1F600 GRINNING FACE; the PDFs show it in another font "
               "of the computer that builds them, or as an empty box where it has none: write "
               "it in words or leave it out\n")
    checked = cli(emoji_build, "check")
    assert checked.exit_code == 0 and checked.stderr == warning
    built = cli(emoji_build, "build")
    assert built.exit_code == 0, built.output
    assert built.stderr.startswith(warning)
    assert (emoji_build / "site" / "downloads").is_dir()


# --- the public outcomes report ----------------------------------------------------------

NAMED = """\
cohort: Maria Lopez's group
agency: Maria Lopez Counseling
period: {start: 2027-02-03, end: 2028-01-26}
outcome_interviews:
  - {indicator: 20, initial: {present: 0, interviewed: 12}, final: {present: 11, interviewed: 12}}
satisfaction_survey:
  respondents: 12
  statements:
    - statement: Maria listens to me
      definitely_agree: 12
      somewhat_agree: 0
      somewhat_disagree: 0
      definitely_disagree: 0
journal_themes:
  - Maria made her first friend in years
"""


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The internal and the public report of a file whose free text names a member."""
    tmp_path = tmp_path_factory.mktemp("report")
    project = Project(sample(tmp_path, "valid-minimal"))
    named = tmp_path / "named.yml"
    named.write_text(NAMED, encoding="utf-8")
    other = ROOTS / "outcomes" / "hillside.yml"
    return {edition: write_report(project, [named, other], tmp_path / edition,
                                  public=edition == "public")
            for edition in ("internal", "public")}


def test_the_public_report_names_no_one(reports):
    html, pdf = reports["public"]
    page = html.read_text(encoding="utf-8")
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    for output in (page, text):
        assert "Maria" not in output and "Lopez" not in output and "Hillside" not in output
    assert re.search(r"Groups:\s+Group 1 \(February 3, 2027 to January 26, 2028\); Group 2",
                     text)
    assert "Personal outcomes: Group 1" in page and "Guided journals" not in page
    assert "Statement 1 (not on the survey form)" in page
    assert ("Groups are numbered in the order of the files (Group 1, Group 2 …), not named: a "
            "group’s own name is words a person typed, and could hold a member’s name. For "
            "the same reason the coach’s journal themes are left out. Survey statements that "
            "no form of the program prints are numbered, not quoted. The internal edition "
            "shows them.") in " ".join(page.split())


def test_the_internal_report_keeps_the_groups_names_and_themes(reports):
    page = reports["internal"][0].read_text(encoding="utf-8")
    assert "Maria Lopez&#39;s group (Maria Lopez Counseling)" in page
    assert "Maria made her first friend in years" in page and "Maria listens to me" in page
    assert "Groups are numbered" not in page



def test_a_public_report_quotes_only_statements_the_survey_form_prints():
    files = read([ROOTS / "outcomes" / "hillside.yml"], str)
    on_form = frozenset({statement_key("I feel safe sharing in the group.")})
    public = figures(files, public=True, survey_form=on_form)
    assert [row.statement for row in public.surveys[0].rows] == [
        "Statement 1 (not on the survey form)", "I feel safe sharing in the group"]
    internal = figures(files, survey_form=on_form)
    assert internal.surveys[0].rows[0].statement == ("My coach is willing and able to meet me "
                                                     "where I choose")


@pytest.mark.parametrize("raw, message", [
    ("\x1b", "content/agency.yml:2: syntax: this line holds U+001B, which YAML does not "
             "allow in a file; delete it (such characters often come along with pasted "
             "text)\n    program_name: Sample\ufffdGroup\n                        ^\n"),
    ("\u2028", "content/agency.yml:2: file: this line holds U+2028 LINE SEPARATOR, which YAML "
               "reads as a line break; delete it or press Enter instead\n"),
])
def test_a_character_yaml_refuses_is_named_at_its_line(tmp_path, cli, raw, message):
    project = sample(tmp_path, "valid-minimal")
    agency = project / "content" / "agency.yml"
    agency.write_text(agency.read_text(encoding="utf-8").replace(
        "program_name: Sample Peer Group", f"program_name: Sample{raw}Group"), encoding="utf-8")
    result = cli(project, "check")
    assert result.exit_code == 1
    assert result.stderr == message + "1 problem found; nothing was built.\n"


def test_no_escape_sequence_of_an_input_reaches_the_terminal(tmp_path, cli):
    """A message that quotes the input (an unknown id here) shows a hidden character as
    U+FFFD, so that a file cannot retitle or clear the terminal that checks it."""
    project = sample(tmp_path, "valid-minimal")
    program = project / "content" / "program.yml"
    text = program.read_text(encoding="utf-8")
    program.write_text(text.replace("lesson: sample-lesson", 'lesson: "x\\e]0;owned\\a"', 1),
                       encoding="utf-8")
    result = cli(project, "check")
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "there is no lesson with the id 'x\ufffd]0;owned\ufffd'" in result.stderr


def test_the_command_tells_its_user_which_file_each_group_is(tmp_path, cli):
    project = sample(tmp_path, "valid-minimal")
    files = [str(ROOTS / "outcomes" / f"{name}.yml") for name in ("hillside", "parkside")]
    result = cli(project, "report", *files, "--public", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(f"The public report numbers the groups: Group 1 is {files[0]}; "
                                  f"Group 2 is {files[1]}.\n")


def test_a_title_or_name_cannot_leave_the_link_or_cell_it_is_shown_in(tmp_path, cli):
    """Titles land inside link text (``[{{ lesson.title }}](...)``) and table cells: text
    that is harmless alone, ``x](javascript:alert(1)) [``, would close the link there."""
    project = sample(tmp_path, "valid-minimal")
    lesson = project / "content" / "lessons" / "sample-lesson.yml"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace(
        "title: Sample lesson", 'title: "Sample](javascript:alert(1)) ["', 1), encoding="utf-8")
    agency = project / "content" / "agency.yml"
    text = agency.read_text(encoding="utf-8")
    name = re.search(r"^agency_name: .*$", text, re.MULTILINE)
    agency.write_text(text.replace(name.group(0), "agency_name: Sample | Agency", 1),
                      encoding="utf-8")
    line = text[:name.start()].count("\n") + 1
    plain = ("(it is shown inside links, tables and headings, where these would open or close "
             "one): write it without them")
    for command in ("check", "build"):
        result = cli(project, command)
        assert result.exit_code == 1
        assert (f"content/agency.yml:{line}: agency_name: a name, title or contact is plain "
                f"words and may not hold | {plain}") in result.stderr
        assert (f"content/lessons/sample-lesson.yml:5: title: a name, title or contact is "
                f"plain words and may not hold [ ] {plain}") in result.stderr
    assert not (project / "site").exists()
