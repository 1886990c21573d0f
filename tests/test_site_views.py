"""Views of the website for the room and the phone, in Chromium: the run sheet on each
agenda page (the segment under way by a fixed clock, its count-down, from the folder with no
request leaving it, readable in both palettes), each lesson plan's at-a-glance block on the
first screen of a phone with its reference sections collapsed but searchable and printed,
and a member page printed from the browser (no buttons, the edition and the crisis line)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess

import pytest
from pypdf import PdfReader

from conftest import require_tool
from generator.core.schedule import sessions
from test_browser import AXE, SHOTS, _axe
from test_pdf import CATALOG

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SKILL = sessions(CATALOG)[1]
"""The every-two-weeks plan's session 2: a skill session (Jan 26, 2027 at 2:00 PM as shipped),
whose third segment is the 35-minute action-plan check-in from 2:10 PM."""
AGENDA = f"coaches/agendas/{SKILL.number}.html"
LESSON = "coaches/lessons/boundaries.html"
MEMBER = "participants/lessons/boundaries.html"
HEIGHT_BEFORE = 13_586
"""The coach lesson page's height at 390 px before the at-a-glance block (the issue's figure)."""


def _at(minutes: int) -> dt.datetime:
    """``minutes`` after session 2 starts (an aware time, in the agency's zone)."""
    assert SKILL.starts is not None, "the shipped settings date every session"
    return SKILL.starts + dt.timedelta(minutes=minutes)


def _context(browser, viewport=PHONE, scheme="light", zone=None, **options):
    return browser.new_context(viewport=viewport, color_scheme=scheme,
                               timezone_id=zone or CATALOG.agency.meeting.time_zone, **options)


def _current(page) -> tuple[str, str]:
    """The marked segment's name and count-down."""
    marked = page.locator(".runsheet li[aria-current]")
    assert marked.count() == 1, "exactly one segment is marked as under way"
    return (marked.locator(".runsheet-what").inner_text().strip(),
            marked.locator(".runsheet-left").inner_text().strip())


def test_the_session_plan_is_what_the_run_sheet_is_tested_against():
    check_in = SKILL.parts(SKILL.starts.time())[0].slots[2]
    assert SKILL.kind == "skill" and SKILL.starts.strftime("%H:%M") == "14:00"
    assert (check_in.segment.title, check_in.segment.minutes) == ("Action plan check-in", 35)
    assert check_in.start == dt.time(14, 10)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_run_sheet_marks_the_segment_under_way_from_the_folder(browser, built, viewport,
                                                                  scheme):
    base = built.resolve().as_uri() + "/"
    context = _context(browser, viewport, scheme)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    try:
        page.clock.set_fixed_time(_at(12))  # 2:12 PM
        page.goto(base + AGENDA)
        assert _current(page) == ("Action plan check-in", "33 min left")
        panel = page.locator(".runsheet-now")
        assert panel.is_visible()
        assert "Now: Action plan check-in, until 2:45 PM" in panel.inner_text()
        assert "33 min left" in panel.inner_text()
        # the other segments carry their clock times and minutes, unmarked
        first = page.locator(".runsheet li[data-start]").first
        assert first.get_attribute("data-start") == "14:00"
        assert "2:00 PM" in first.inner_text() and "5 min" in first.inner_text()
        # the lesson's steps and materials, one tap away
        details = page.locator(".runsheet details")
        details.locator("summary").click()
        assert "Materials" in details.inner_text()
        assert SKILL.lesson.materials[-1] in details.inner_text()
        name = f"runsheet-{viewport['width']}-{scheme}"
        details.locator("summary").click()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.evaluate("window.scrollTo(0, 0)")
        bottom = page.locator(".runsheet").evaluate(
            "sheet => sheet.getBoundingClientRect().bottom + window.scrollY")
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True,
                        clip={"x": 0, "y": 0, "width": viewport["width"], "height": bottom + 16})
    finally:
        context.close()
    outside = [url for url in requests if not url.startswith((base, "data:", "blob:"))]
    assert outside == [], f"requests outside the folder: {outside[:10]}"
    scripts = [url for url in requests if url.endswith(".js")]
    assert any(url.endswith("assets/javascripts/runsheet.js") for url in scripts)


def test_the_count_down_moves_on_with_the_clock_to_the_next_segment(browser, built):
    context = _context(browser)
    page = context.new_page()
    try:
        page.clock.install(time=_at(12))
        page.goto(built.resolve().as_uri() + "/" + AGENDA)
        assert _current(page) == ("Action plan check-in", "33 min left")
        page.clock.run_for("01:00")
        assert _current(page) == ("Action plan check-in", "32 min left")
        page.clock.run_for("32:00")  # 2:45 PM
        assert _current(page) == ("Wins and common obstacles", "10 min left")
        page.clock.run_for("45:00")  # 3:30 PM: over
        assert page.locator(".runsheet li[aria-current]").count() == 0
        assert "Finished at 3:30 PM" in page.locator(".runsheet-now").inner_text()
    finally:
        context.close()


def test_the_run_sheet_keeps_the_agencys_time_zone_on_a_phone_set_elsewhere(browser, built):
    context = _context(browser, zone="Europe/Berlin")  # 8:12 PM there
    page = context.new_page()
    try:
        page.clock.set_fixed_time(_at(12))
        page.goto(built.resolve().as_uri() + "/" + AGENDA)
        assert _current(page) == ("Action plan check-in", "33 min left")
    finally:
        context.close()


def test_on_another_day_the_run_sheet_says_when_and_follows_the_clock_on_request(browser,
                                                                                 built):
    context = _context(browser)
    page = context.new_page()
    try:
        page.clock.set_fixed_time(_at(12) + dt.timedelta(days=1))
        page.goto(built.resolve().as_uri() + "/" + AGENDA)
        assert page.locator(".runsheet li[aria-current]").count() == 0
        panel = page.locator(".runsheet-now")
        assert "Planned for Tuesday, January 26, 2027, 2:00 PM." in panel.inner_text()
        page.get_by_role("button", name="Follow today’s clock").click()
        assert _current(page) == ("Action plan check-in", "33 min left")
    finally:
        context.close()


def test_the_run_sheet_does_not_move_for_readers_who_ask_for_less_motion(browser, built):
    durations = {}
    for motion in ("no-preference", "reduce"):
        context = _context(browser, reduced_motion=motion)
        page = context.new_page()
        try:
            page.clock.set_fixed_time(_at(12))
            page.goto(built.resolve().as_uri() + "/" + AGENDA)
            durations[motion] = page.locator(".runsheet li[aria-current]").evaluate(
                "li => getComputedStyle(li).transitionDuration")
        finally:
            context.close()
    assert durations["no-preference"] != "0s"
    assert set(durations["reduce"].split(", ")) == {"0s"}


def test_the_run_sheet_reads_well_in_both_palettes(browser, server):
    assert AXE.is_file(), "axe-core is missing: run `make test` (it runs `npm ci`)"
    found = {}
    for scheme in ("light", "dark"):
        context = _context(browser, DESKTOP, scheme)
        page = context.new_page()
        try:
            page.clock.set_fixed_time(_at(12))
            page.goto(server + AGENDA)
            assert page.evaluate("document.body.dataset.mdColorScheme") == (
                "default" if scheme == "light" else "slate")
            assert page.locator(".runsheet li[aria-current]").count() == 1
            found[scheme] = _axe(page)
        finally:
            context.close()
    assert found == {"light": [], "dark": []}


def test_a_lesson_plan_shows_its_plan_at_a_glance_on_the_first_screen_of_a_phone(browser,
                                                                                 built):
    lesson = CATALOG.lessons["boundaries"]
    context = _context(browser)
    page = context.new_page()
    try:
        page.goto(built.resolve().as_uri() + "/" + LESSON)
        glance = page.locator(".at-a-glance")
        box = glance.bounding_box()
        assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"], (
            f"the at-a-glance block is at {box} on a {PHONE['height']} px screen")
        text = glance.inner_text()
        for segment in lesson.timing:
            assert f"{segment.title} · {segment.minutes} min" in text
        for activity in lesson.activities:
            assert activity.title in text
        # every link goes down to a section of the page
        targets = glance.locator("a").evaluate_all(
            "links => links.map(a => new URL(a.href).hash.slice(1))")
        assert {"timing", "materials", "activities", "activity-1"} <= set(targets)
        missing = [t for t in targets if not page.evaluate("id => !!document.getElementById(id)", t)]
        assert not missing, missing
        # reference sections are collapsed, their text still in the page
        for section in ("adaptations", "sources"):
            details = page.locator(f"h2#{section} + details")
            assert details.count() == 1 and not details.evaluate("d => d.open"), section
        adaptations = page.locator("h2#adaptations + details").text_content()
        assert lesson.adaptations.low_literacy.split(".")[0] in adaptations
        height = page.evaluate("document.documentElement.scrollHeight")
        page.screenshot(path=str(SHOTS / "lesson-coach-top-390.png"))
        page.set_viewport_size(DESKTOP)
        page.reload()
        page.screenshot(path=str(SHOTS / "lesson-coach-top-1280.png"))
    finally:
        context.close()
    print(f"coach lesson page at 390 px: {height} px (before: {HEIGHT_BEFORE} px)")
    assert height < 0.85 * HEIGHT_BEFORE, f"{height} px tall at 390 px"


def test_collapsed_reference_sections_are_searchable_and_sources_add_no_noise(built):
    lesson = CATALOG.lessons["boundaries"]
    index = json.loads((built / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = {doc["location"]: doc["text"] for doc in index["docs"]}
    phrase = lesson.adaptations.low_literacy.split(".")[0]
    assert phrase in texts.get(LESSON + "#adaptations", ""), "adaptations are not indexed"
    used_for = lesson.sources[0].used_for.split(",")[0]
    assert not any(used_for in text for text in texts.values()), "sources are indexed"
    page = (built / LESSON).read_text(encoding="utf-8")
    assert used_for in " ".join(page.split()), "the sources left the page"


def _printed(browser, url: str, path) -> list[str]:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(url)
        page.emulate_media(media="print")
        page.pdf(path=str(path), format="Letter", print_background=True)
    finally:
        context.close()
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def test_a_member_page_printed_from_the_browser_has_no_buttons_and_carries_the_edition(
        browser, server, tmp_path):
    require_tool("pdftotext", "poppler-utils")
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(server + MEMBER)
        button = page.get_by_role("link", name="Print this handout (PDF)")
        assert button.is_visible(), "the print button still offers the PDF on screen"
        assert button.get_attribute("href").endswith("downloads/handouts/boundaries.pdf")
    finally:
        context.close()
    pages = _printed(browser, server + MEMBER, tmp_path / "member.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "member.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Print this handout" not in text
    for chrome in ("Search", "Switch to", "Skip to content", "For participants",
                   "Table of contents", "Back to top"):
        assert chrome not in text, f"'{chrome}' is printed"
    assert f"edition {CATALOG.program.edition}" in text
    assert all("Crisis? Call or text 988. In danger, call 911." in page for page in pages), (
        "the crisis line is on every printed page")
    assert len(pages) <= 3, f"{len(pages)} pages"
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(tmp_path / "member.pdf"),
                    str(SHOTS / "print-member")], check=True)


def test_a_lesson_plan_prints_whole_with_its_reference_sections_open(browser, server,
                                                                     tmp_path):
    lesson = CATALOG.lessons["boundaries"]
    text = " ".join(_printed(browser, server + LESSON, tmp_path / "lesson.pdf"))
    for expected in (lesson.adaptations.low_literacy.split(".")[0],
                     lesson.sources[0].used_for.split(",")[0],
                     lesson.common_challenges[0].response.split(".")[0],
                     lesson.practice_session.what_changes.split(".")[0],
                     lesson.handout.worked_example.title):
        assert " ".join(expected.split()) in text, expected
    assert "At a glance" in text and f"edition {CATALOG.program.edition}" in text
