"""Agency overlays: the worked example builds into a site and PDFs that are the agency's own,
errors point at overlay files, and `overlay status` says what to review after an update."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from conftest import PROJECT, _engine_files, pdf_pages, pdf_reader, require_tool, sample

EXAMPLE = PROJECT / "examples" / "riverside"


def _copy_project(target: Path) -> Path:
    shutil.copytree(PROJECT / "content", target / "content")
    shutil.copytree(PROJECT / "schemas", target / "schemas")
    _engine_files(target)
    return target


@pytest.fixture(scope="module")
def riverside(tmp_path_factory) -> Path:
    """The project built with the example overlay; returns the project folder."""
    from generator.pipeline import build

    project = _copy_project(tmp_path_factory.mktemp("riverside") / "project")
    shutil.copytree(EXAMPLE, project / "examples" / "riverside")
    build(project, overlay=project / "examples" / "riverside")
    return project


def _text(path: Path) -> str:
    """A PDF's text as poppler reads it (each PDF once, see conftest.py)."""
    return " ".join(pdf_pages(path))


def _page(project: Path, relative: str) -> str:
    return (project / "site" / relative).read_text(encoding="utf-8")


def test_the_example_adds_its_own_lesson(riverside):
    site = riverside / "site"
    assert "Sharing a meal" in _page(riverside, "coaches/lessons/sharing-a-meal.html")
    assert (site / "participants" / "lessons" / "sharing-a-meal.html").is_file()
    assert (site / "downloads" / "handouts" / "sharing-a-meal.pdf").is_file()
    assert "Sharing a meal" in _text(site / "downloads" / "participant-handbook.pdf")
    # it takes the disabled lesson's place in the year plan
    assert "Sharing a meal" in _page(riverside, "coaches/schedule.html")


def test_the_disabled_lesson_is_nowhere(riverside):
    site = riverside / "site"
    assert not (site / "coaches" / "lessons" / "sleep-hygiene.html").exists()
    assert not (site / "participants" / "lessons" / "sleep-hygiene.html").exists()
    assert not (site / "downloads" / "handouts" / "sleep-hygiene.pdf").exists()
    index = json.loads(_page(riverside, "search/search_index.json"))
    assert not [doc for doc in index["docs"] if "sleep-hygiene" in doc["location"]]
    for name in ("participant-handbook.pdf", "coach-manual.pdf"):
        assert "Sleep hygiene" not in _text(site / "downloads" / name)
    for page in ("coaches/year-plan.html", "coaches/schedule.html"):
        assert "sleep-hygiene" not in _page(riverside, page)


def test_the_replaced_form_is_the_agency_version(riverside):
    site = riverside / "site"
    page = _page(riverside, "participants/forms/spending-plan.html")
    assert "Monthly social spending plan (Riverside)" in page
    assert "Riverside bus passes" in page
    fields = pdf_reader(site / "downloads" / "forms" / "spending-plan.pdf").get_fields()
    assert "bus-pass" in fields
    handbook = pdf_reader(site / "downloads" / "participant-handbook.pdf").get_fields()
    assert "spending-plan.bus-pass" in handbook


def test_the_agency_budget_and_name_are_in_every_output(riverside):
    site = riverside / "site"
    handbook = _text(site / "downloads" / "participant-handbook.pdf")
    assert "$40" in handbook and "$50" not in handbook
    assert "Riverside Community Wellness" in pdf_reader(
        site / "downloads" / "participant-handbook.pdf").pages[0].extract_text()
    assert "Riverside Community Wellness" in pdf_reader(
        site / "downloads" / "coach-manual.pdf").pages[0].extract_text()
    agreement = _text(site / "downloads" / "forms" / "enrollment-agreement.pdf")
    assert "$40" in agreement and "$50" not in agreement
    for form in ("recruiting-flyer", "introduction-letter"):
        assert "Riverside" in _text(site / "downloads" / "forms" / f"{form}.pdf"), form
    home = _page(riverside, "index.html")
    assert "Riverside Peer Partners · Riverside Community Wellness" in home  # header
    assert "400 River Road" in home  # footer
    assert "Your Agency" not in home
    assert "$40" in _page(riverside, "participants/forms/spending-plan.html")


def test_the_overlay_logo_and_colours_reach_the_site_and_the_cover(riverside, tmp_path):
    site = riverside / "site"
    assert (site / "assets" / "agency" / "riverside-logo.svg").is_file()
    assert 'src="assets/agency/riverside-logo.svg"' in _page(riverside, "index.html")
    css = (site / "assets" / "stylesheets" / "agency.css").read_text()
    assert "#1d4e89" in css
    require_tool("pdftoppm", "poppler-utils")
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1",
                    site / "downloads" / "participant-handbook.pdf", tmp_path / "cover"],
                   check=True)
    with Image.open(next(tmp_path.glob("cover*.png"))) as cover:
        colours = {colour for _, colour in cover.convert("RGB").getcolors(1 << 20)}
    # the logo's blue wave and green leaf, drawn from the SVG
    assert any(abs(r - 0x15) + abs(g - 0x65) + abs(b - 0xc0) < 40 for r, g, b in colours)
    assert any(abs(r - 0x2e) + abs(g - 0x7d) + abs(b - 0x32) < 40 for r, g, b in colours)


def test_the_weekly_calendar_follows_the_overlay_settings(riverside):
    import icalendar

    calendar = icalendar.Calendar.from_ical(
        (riverside / "site" / "downloads" / "schedule.ics").read_bytes())
    starts = [event.decoded("dtstart") for event in calendar.walk("VEVENT")]
    assert len(starts) == 48
    assert {start.strftime("%A %H:%M") for start in starts} == {"Thursday 17:30"}
    assert str(starts[0].tzinfo) == "America/Chicago"
    days = {start.date().isoformat() for start in starts}
    assert starts[0].date().isoformat() == "2027-01-07"
    assert not days & {"2027-07-01", "2027-11-25"}


def _overlay(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "overlay"
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


def test_overlay_errors_point_at_overlay_files(tmp_path, cli):
    project = sample(tmp_path, "valid-minimal")
    lesson = (project / "content" / "lessons" / "sample-lesson.yml").read_text()
    folder = _overlay(tmp_path, {
        "content/lessons/sample-lesson.yml": lesson.replace("title:", "titel:", 1),
        "content/overlay.yml": "disable:\n  - sample-form\n  - sampel-lesson\n",
    })
    result = cli(project, "check", "--overlay", str(folder))
    assert result.exit_code == 1
    shown = str(folder / "content")
    lines = result.stderr.splitlines()
    titel = lesson.splitlines().index(next(line for line in lesson.splitlines()
                                           if line.startswith("title:"))) + 1
    assert f"{shown}/lessons/sample-lesson.yml:{titel}: titel: unknown field 'titel'; " \
           "did you mean 'title'?" in lines
    assert f"{shown}/overlay.yml:3: disable[1]: there is no upstream item with the id " \
           "'sampel-lesson' to disable; did you mean 'sample-lesson'?" in lines
    assert "Traceback" not in result.output


def test_a_disabled_lesson_left_in_the_year_plan_is_an_error_at_the_overlay(tmp_path, cli):
    project = sample(tmp_path, "valid-minimal")
    folder = _overlay(tmp_path, {"content/overlay.yml": "disable: [sample-lesson]\n"})
    result = cli(project, "check", "--overlay", str(folder))
    assert result.exit_code == 1
    assert (f"{folder}/content/overlay.yml:1: disable[0]: the lesson 'sample-lesson' is "
            "disabled but the year plan still uses it") in result.stderr
    assert "program.yml" not in result.stderr


def test_an_overlay_template_replaces_the_upstream_one(tmp_path, cli, warm):
    project = warm(sample(tmp_path, "valid-minimal"))
    home = (project / "templates" / "site" / "home.md.j2").read_text()
    folder = _overlay(tmp_path, {
        "templates/site/home.md.j2": home.replace("## We meet", "## Where to find us"),
    })
    assert cli(project, "build", "--overlay", str(folder)).exit_code == 0
    assert "Where to find us" in (project / "site" / "index.html").read_text()
    assert "Where to find us" not in (project / "templates" / "site" / "home.md.j2").read_text()


def test_a_new_overlay_builds_and_status_flags_upstream_changes(tmp_path, cli):
    project = _copy_project(tmp_path / "project")
    folder = tmp_path / "riverside"
    assert cli(project, "overlay", "init", str(folder)).exit_code == 0
    assert (folder / "README.md").is_file()
    assert cli(project, "check", "--overlay", str(folder)).exit_code == 0
    assert cli(project, "overlay", "init", str(folder)).exit_code == 2  # not empty
    assert cli(project, "overlay", "copy", "lesson", "grounding", "--overlay",
               str(folder)).exit_code == 0
    assert cli(project, "overlay", "copy", "lesson", "no-such-lesson", "--overlay",
               str(folder)).exit_code == 2
    result = cli(project, "overlay", "status", "--overlay", str(folder))
    assert "replaces  lesson grounding" in result.output
    assert "0 items to review." in result.output

    upstream = project / "content" / "lessons" / "grounding.yml"
    upstream.write_text(upstream.read_text() + "# a comment changes nothing\n")
    assert "0 items to review." in cli(project, "overlay", "status", "--overlay",
                                       str(folder)).output
    upstream.write_text(upstream.read_text().replace("title: Grounding techniques",
                                                     "title: Grounding tools"))
    summary = upstream.read_text().split("\nsummary: ", 1)[1].split("\n", 1)[0]
    upstream.write_text(upstream.read_text().replace(
        f"\nsummary: {summary}\n", "\nsummary: Ground yourself. A new sentence upstream.\n", 1))
    result = cli(project, "overlay", "status", "--overlay", str(folder))
    assert ("review: upstream changed since you copied it (below); take what you want into "
            "your copy, then run `curriculum overlay reviewed lesson grounding --overlay "
            f"{folder}`") in result.output
    # what upstream changed, field by field, sentence by sentence
    lines = [line.strip() for line in result.output.splitlines()]
    assert "title: - “Grounding techniques”" in lines and "title: + “Grounding tools”" in lines
    assert "summary: + “A new sentence upstream.”" in lines
    assert "1 item to review." in result.output
    # the copy has taken it in: recorded, the review clears
    reviewed = cli(project, "overlay", "reviewed", "lesson", "grounding", "--overlay",
                   str(folder))
    assert reviewed.exit_code == 0, reviewed.output
    assert "0 items to review." in cli(project, "overlay", "status", "--overlay",
                                       str(folder)).output
    assert (folder / "upstream-copies" / "lessons" / "grounding.yml").read_text() == \
        upstream.read_text()
    assert cli(project, "overlay", "reviewed", "form", "spending-plan", "--overlay",
               str(folder)).exit_code == 2  # never copied


def test_status_of_the_example_lists_every_change(cli):
    result = cli(PROJECT, "overlay", "status", "--overlay", "examples/riverside")
    assert result.exit_code == 0
    out = result.output
    for expected in ("disables  lesson sleep-hygiene", "adds      lesson sharing-a-meal",
                     "replaces  form spending-plan", "replaces  agency settings",
                     "0 items to review."):
        assert expected in out


def test_a_copy_is_never_written_through_a_link_out_of_the_overlay(tmp_path, cli):
    project = _copy_project(tmp_path / "project")
    folder = tmp_path / "overlay"
    assert cli(project, "overlay", "init", str(folder)).exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (folder / "upstream-copies").symlink_to(elsewhere)
    result = cli(project, "overlay", "copy", "lesson", "grounding", "--overlay", str(folder))
    assert result.exit_code == 2
    assert f"is a link to {elsewhere}, outside the overlay" in result.stderr
    assert list(elsewhere.iterdir()) == []
    assert not (folder / "content" / "lessons" / "grounding.yml").exists()  # nothing written
    assert "Traceback" not in result.output
