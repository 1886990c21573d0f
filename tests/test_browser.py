"""The built website in a real browser: Playwright driving Debian's Chromium.

Proves search (served and from the folder), that every page and link resolves, that nothing
is requested from a third party, that phones need no sideways scrolling, that axe-core finds
no serious accessibility problem in either palette, and that a lesson prints cleanly.
Screenshots of each page type are kept in ``build/screenshots/`` (not committed).
"""

from __future__ import annotations

import urllib.request
from urllib.parse import urldefrag

import pytest
from pypdf import PdfReader

from conftest import PROJECT, require_tool

SHOTS = PROJECT / "build" / "screenshots"
AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

PAGE_TYPES = {
    "home": "index.html",
    "lesson-coach": "coaches/lessons/boundaries.html",
    "lesson-participant": "participants/lessons/boundaries.html",
    "form": "participants/forms/spending-plan.html",
    "agenda": "coaches/agendas/1.html",
    "schedule": "coaches/schedule.html",
    "downloads": "downloads.html",
}
"""One page of each type, by the name its screenshots get."""

SEARCHES = {
    "boundaries": ["lessons/boundaries.html"],
    "grounding": ["lessons/grounding.html"],
    "receipt": ["forms/receipt-log.html"],
    "budget": ["forms/spending-plan.html", "handbook/social-budget.html",
               "manual/budget-administration.html"],
}
"""Search terms and the pages a coach expects among the results."""


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


RESULT_LINKS = ".md-search-result__list a.md-search-result__link"


def _search(page, base: str, term: str, expected: list[str]) -> list[str]:
    """Type ``term`` into the search box of the home page; return the result links.

    Results re-render as each letter is typed, so wait until the list shows an expected
    page (or time runs out), then read every link in one step.
    """
    from playwright.sync_api import TimeoutError as Timeout

    page.goto(base + "index.html")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(term)
    page.locator(RESULT_LINKS).first.wait_for(timeout=15_000)
    try:
        page.wait_for_function(
            """([selector, expected]) => [...document.querySelectorAll(selector)]
                .some(a => expected.some(target => a.href.includes(target)))""",
            arg=[RESULT_LINKS, expected], timeout=15_000)
    except Timeout:  # the assertion below reports what the list held instead
        pass
    return page.locator(RESULT_LINKS).evaluate_all("links => links.map(a => a.href)")


@pytest.mark.parametrize("where", ["served", "file"])
def test_search_finds_lessons_and_forms(browser, server, built, where):
    base = server if where == "served" else built.resolve().as_uri() + "/"
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        for term, expected in SEARCHES.items():
            links = _search(page, base, term, expected)
            assert any(target in link for link in links for target in expected), (term, links)
            if term == "receipt":
                _shot(page, f"search-results-{where}")
    finally:
        context.close()


def test_every_page_and_link_resolves_on_a_phone_and_nothing_leaves_the_site(browser, server):
    context = browser.new_context(viewport=PHONE)
    outside: list[str] = []
    context.on("request", lambda request: outside.append(request.url)
               if not request.url.startswith((server, "data:", "blob:")) else None)
    page = context.new_page()
    todo, seen, ids = ["index.html"], {"index.html"}, {}
    fragments: list[tuple[str, str, str]] = []
    broken, wide, no_alt, files = [], [], [], set()
    try:
        while todo:
            relative = todo.pop()
            response = page.goto(server + relative)
            if response is None or response.status != 200:
                broken.append(relative)
                continue
            page.wait_for_load_state("load")
            if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
                wide.append(relative)
            if page.evaluate("[...document.images].some(i => !i.hasAttribute('alt'))"):
                no_alt.append(relative)
            ids[relative] = set(page.evaluate(
                "[...document.querySelectorAll('[id]')].map(e => e.id)"))
            hrefs = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)")
            for href in hrefs:
                target, fragment = urldefrag(href)
                if not target.startswith(server):
                    continue
                target = target[len(server):] or "index.html"
                if fragment:
                    fragments.append((relative, target, fragment))
                if target in seen:
                    continue
                seen.add(target)
                if target.endswith(".html"):
                    todo.append(target)
                else:
                    files.add(target)
        for target in sorted(files):
            with urllib.request.urlopen(server + target) as reply:
                if reply.status != 200:
                    broken.append(target)
    finally:
        context.close()
    assert len(ids) > 100, f"only {len(ids)} pages reached from the home page"
    assert not broken, f"links to missing pages or files: {broken}"
    assert {"downloads/participant-handbook.pdf", "downloads/schedule.ics",
            "coaches/schedule.html", "coaches/year-plan.html"} <= seen
    missing = [(source, target, fragment) for source, target, fragment in fragments
               if target in ids and fragment not in ids[target]]
    assert not missing, f"links to anchors that do not exist: {missing[:10]}"
    assert not wide, f"pages that scroll sideways at 375 px: {wide}"
    assert not no_alt, f"pages with an image without alt text: {no_alt}"
    assert outside == [], f"requests outside the site: {sorted(set(outside))[:10]}"


def test_every_lesson_plan_is_two_clicks_from_home(browser, server):
    from test_pdf import CATALOG

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(server + "index.html")
        page.get_by_role("link", name="Open the coach pages").click()
        # the coach pages' navigation is in place (the click may return before it is)
        page.wait_for_function("[...document.querySelectorAll('nav.md-nav a[href]')]"
                               ".some(a => a.href.endsWith('coaches/year-plan.html'))")
        nav = page.evaluate("[...document.querySelectorAll('nav.md-nav a[href]')]"
                            ".map(a => a.href)")
    finally:
        context.close()
    for lesson in CATALOG.lessons:
        assert any(href.endswith(f"coaches/lessons/{lesson}.html") for href in nav), lesson
    for page_name in ("coaches/year-plan.html", "coaches/schedule.html", "downloads.html"):
        assert any(href.endswith(page_name) for href in nav), page_name


def _axe(page) -> list[dict]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "async tags => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))", WCAG)
    return [v for v in violations if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("name", [*PAGE_TYPES, "search-results"])
def test_no_serious_accessibility_problems_in_either_palette(browser, server, name):
    assert AXE.is_file(), "axe-core is missing: run `make test` (it runs `npm ci`)"
    found = {}
    for scheme in ("default", "slate"):
        context = browser.new_context(viewport=DESKTOP, color_scheme="light"
                                      if scheme == "default" else "dark")
        page = context.new_page()
        try:
            if name == "search-results":
                _search(page, server, "budget", SEARCHES["budget"])
            else:
                page.goto(server + PAGE_TYPES[name])
            assert page.evaluate("document.body.dataset.mdColorScheme") == scheme
            _shot(page, f"{name}-{'light' if scheme == 'default' else 'dark'}")
            found[scheme] = _axe(page)
        finally:
            context.close()
    assert found == {"default": [], "slate": []}


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_phone_screenshots_and_readable_tables(browser, server, name):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(server + PAGE_TYPES[name])
        _shot(page, f"{name}-phone")
        assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        if name in ("agenda", "schedule", "form", "downloads"):
            # the whole table fits the screen: no sideways scrolling inside it either
            assert page.evaluate(
                "[...document.querySelectorAll('.md-typeset table')].every(t => "
                "t.getBoundingClientRect().right <= "
                "document.querySelector('.md-content').getBoundingClientRect().right + 1)"), name
        sizes = page.evaluate("[...document.querySelectorAll('.md-typeset td')]"
                              ".map(td => parseFloat(getComputedStyle(td).fontSize))")
        assert min(sizes, default=16) >= 12, f"table text below 12 px on {name}"
    finally:
        context.close()


def test_a_lesson_prints_cleanly_from_the_browser(browser, server, tmp_path):
    require_tool("pdftoppm", "poppler-utils")
    import subprocess

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(server + PAGE_TYPES["lesson-coach"])
        title = page.locator("article h1").first.inner_text().rstrip("¶").strip()
        page.emulate_media(media="print")
        page.pdf(path=str(tmp_path / "lesson.pdf"), format="Letter", print_background=True)
    finally:
        context.close()
    reader = PdfReader(tmp_path / "lesson.pdf")
    first = reader.pages[0].extract_text()
    assert title in first.splitlines()[:3], first[:200]
    text = " ".join(page.extract_text() for page in reader.pages)
    for chrome in ("Search", "Skip to content", "For participants", "Table of contents",
                   "Coach manual"):
        assert chrome not in text, f"'{chrome}' is printed"
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1",
                    str(tmp_path / "lesson.pdf"), str(SHOTS / "print-lesson")], check=True)


def test_schedule_marks_the_next_session_by_the_readers_date(browser, server):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        page.clock.set_fixed_time("2027-02-01T12:00:00")
        page.goto(server + PAGE_TYPES["schedule"])
        marked = page.locator("tr.next-session")
        assert marked.count() == 1
        assert marked.locator("time").get_attribute("datetime") == "2027-02-09"
        assert "Next session" in marked.inner_text()
    finally:
        context.close()
