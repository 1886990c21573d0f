"""Search that finds what coaches and members mean, and tonight's session in one tap.

Real queries are typed into the built site's search box in Chromium, from the folder
(file://) and served; the pages a reader wants must be among the top 3 results, and every
result must say whom its page is for. The home page shows the next session by the reader's
clock, offline; the schedule opens at it; agenda pages lead to the sessions before and
after. Screenshots go to ``build/screenshots/`` with the others.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from test_browser import DESKTOP, SHOTS

COACH, MEMBER, EVERYONE = "For coaches", "For members", "For everyone"
SEARCHES: dict[str, tuple[str, list[str]]] = {
    # what a coach types: the pages that must be among the top 3
    "role play": (COACH, ["coaches/lessons/"]),  # a folder: all 3 are lesson plans
    "phone group": (COACH, ["coaches/manual/virtual-groups.html"]),
    "boundaries": (COACH, ["coaches/lessons/boundaries.html",
                           "participants/lessons/boundaries.html"]),
    "crisis": (COACH, ["coaches/manual/safety-protocol.html"]),
    "what if someone is upset": (COACH, ["coaches/manual/running-sessions.html"]),
    "first meeting": (COACH, ["coaches/sessions/first-meeting.html"]),
    "outing": (COACH, ["coaches/sessions/outing.html"]),
    "receipts": (COACH, ["coaches/manual/budget-administration.html"]),
    "attendance": (COACH, ["coaches/forms/attendance-log.html"]),
    "supervision": (COACH, ["coaches/manual/supervision.html"]),
    # what a member types
    "budget": (MEMBER, ["participants/handbook/social-budget.html",
                        "coaches/manual/budget-administration.html"]),
    "journal": (MEMBER, ["participants/forms/weekly-journal.html",
                         "participants/handbook/goals-plans-journal.html"]),
    "sleep": (MEMBER, ["participants/lessons/sleep-hygiene.html",
                       "coaches/lessons/sleep-hygiene.html"]),
    "receipt log": (MEMBER, ["participants/forms/receipt-log.html"]),
    "spending plan": (MEMBER, ["participants/forms/spending-plan.html"]),
    "calm down card": (MEMBER, ["participants/handbook/contacts-calm-card.html"]),
    "my rights": (MEMBER, ["participants/handbook/rights-choices.html"]),
    "grounding": (MEMBER, ["participants/lessons/grounding.html",
                           "coaches/lessons/grounding.html"]),
}
"""Each query: who asks it, and the pages (or the folder) expected among the top 3."""

ITEMS = ".md-search-result__list > li.md-search-result__item"
SETTLED = """() => {
    const list = document.querySelector('.md-search-result__list');
    const shown = list ? list.innerHTML : '';
    const settled = shown !== '' && shown === window.__shown;
    window.__shown = shown;
    return settled;
}"""
"""True once the results stopped changing: they re-render as each letter is typed."""
TOP = """(items) => items.slice(0, 3).map(item => {
    const page = item.querySelector('a.md-search-result__link');
    return {href: page.href, title: page.querySelector('h1').textContent,
            tags: [...page.querySelectorAll('.md-tag')].map(tag => tag.textContent)};
})"""


def _audience(path: str) -> str:
    return COACH if path.startswith("coaches/") else MEMBER \
        if path.startswith("participants/") else EVERYONE


def _top(page, base: str, query: str) -> list[dict]:
    """Type ``query`` into the search box; the top 3 results, each with its page (relative
    to the site) and the tags the result shows."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    page.evaluate("window.__shown = null")
    box.press_sequentially(query)
    page.locator(ITEMS).first.wait_for(timeout=15_000)
    page.wait_for_function(SETTLED, polling=250, timeout=15_000)
    results = page.locator(ITEMS).evaluate_all(TOP)
    for result in results:
        assert result["href"].startswith(base), result
        result["page"] = re.split(r"[?#]", result["href"][len(base):])[0]
    return results


@pytest.mark.parametrize("where", ["file", "served"])
def test_search_finds_what_coaches_and_members_mean(browser, server, built, where):
    base = server if where == "served" else built.resolve().as_uri() + "/"
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    misses, unlabelled = [], []
    try:
        page.goto(base + "index.html")
        for query, (asker, expected) in SEARCHES.items():
            top = _top(page, base, query)
            pages = [result["page"] for result in top]
            if not any(asker in result["tags"] for result in top):
                misses.append((query, f"a page {asker.lower()}", pages))
            for target in expected:
                found = (all(found.startswith(target) for found in pages) and len(pages) == 3
                         if target.endswith("/") else target in pages)
                if not found:
                    misses.append((query, target, pages))
            unlabelled += [(query, result["page"], result["tags"]) for result in top
                           if _audience(result["page"]) not in result["tags"]]
            if query == "role play":  # pages with role plays, not a title with "role"
                misses += [(query, "a role play", found) for found in pages
                           if "role play" not in (built / found).read_text(encoding="utf-8")]
            if query == "boundaries":
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SHOTS / f"search-boundaries-{where}.png"))
    finally:
        context.close()
    assert not misses, "expected pages not in the top 3 (query, page, top 3): " + \
        "; ".join(map(str, misses))
    assert not unlabelled, f"results that do not say whom they are for: {unlabelled}"


def test_the_index_leaves_out_page_furniture(built):
    """The sample mark, the home page's list of sessions and the agendas' links to the
    sessions before and after are not searched; agendas rank below the lessons."""
    docs = json.loads((built / "search" / "search_index.json").read_text())["docs"]
    text = {doc["location"]: doc["title"] + " " + doc["text"] for doc in docs}
    assert not any("Sample edition" in value for value in text.values())
    assert not any("Session 2" in value for location, value in text.items()
                   if location.startswith("index.html"))
    agendas = [doc for doc in docs if doc["location"].startswith("coaches/agendas/")]
    assert agendas and all(doc.get("boost") == 0.5 for doc in agendas)
    assert not any("Previous: Session" in doc["text"] for doc in agendas)
    assert {tag for doc in docs for tag in doc.get("tags", [])} == {COACH, MEMBER, EVERYONE}
    # the skill areas page lists skill areas only, not the audiences
    listing = (built / "tags.html").read_text(encoding="utf-8")
    assert 'id="tag:relationships"' in listing
    assert not re.search(r'id="tag:for-(coaches|members|everyone)"', listing)


# --- the next session ------------------------------------------------------------------


@pytest.fixture(scope="module")
def dated(built):
    """The year's sessions, dated as the build dated them."""
    from generator.core import schedule
    from generator.core.content import load_catalog

    catalog = load_catalog(built.parent)
    sessions = schedule.sessions(catalog)
    assert all(session.starts for session in sessions), "the shipped agency sets a start date"
    return catalog.agency.meeting.time_zone, sessions


def _shown_session(page) -> dict:
    return page.evaluate("""() => {
        const box = document.querySelector('.next-session-box');
        const items = [...box.querySelectorAll('.next-session-box__item')]
            .filter(item => !item.hidden);
        return {title: box.querySelector('.admonition-title').textContent,
                fallback: !box.querySelector('.next-session-box__fallback').hidden,
                shown: items.map(item => ({text: item.innerText,
                    links: [...item.querySelectorAll('a')].map(a => [a.textContent, a.href])}))};
    }""")


def test_home_page_shows_the_next_session_by_the_readers_clock_offline(browser, built, dated):
    zone, sessions = dated
    base = built.resolve().as_uri() + "/"
    session, following = sessions[2], sessions[3]
    cases = [  # (the reader's clock, the session shown, the box's title)
        (session.starts - dt.timedelta(days=3), session, "Next session"),
        (session.starts - dt.timedelta(hours=2), session, "Today's session"),
        (session.starts + dt.timedelta(minutes=30), session, "Today's session"),
        (session.ends + dt.timedelta(minutes=1), following, "Next session"),
        (sessions[-1].ends + dt.timedelta(days=1), None, "Next session"),
    ]
    for width in (390, 1280):
        context = browser.new_context(viewport={"width": width, "height": 844},
                                      timezone_id=zone)
        outside: list[str] = []
        context.on("request", lambda request: outside.append(request.url)
                   if not request.url.startswith(("file:", "data:", "blob:")) else None)
        page = context.new_page()
        try:
            for clock, expected, title in cases:
                page.clock.set_fixed_time(clock)
                page.goto(base + "index.html")
                box = _shown_session(page)
                assert box["title"] == title, (clock, box)
                if expected is None:
                    assert box["shown"] == [] and box["fallback"], (clock, box)
                    continue
                assert len(box["shown"]) == 1 and not box["fallback"], (clock, box)
                shown = box["shown"][0]
                assert expected.starts.strftime("%A, %B %-d, %Y") in shown["text"], shown
                assert expected.starts.strftime("%-I:%M %p") in shown["text"], shown
                assert f"Session {expected.number}:" in shown["text"], shown
                assert expected.lesson.title in shown["text"], shown
                links = dict(shown["links"])
                assert links["Agenda"] == base + f"coaches/agendas/{expected.number}.html"
                assert links["Lesson plan"] == \
                    base + f"coaches/lessons/{expected.lesson.id}.html"
                assert links["Member handout"] == \
                    base + f"participants/lessons/{expected.lesson.id}.html"
            # one tap: the agenda opens, from the folder
            page.clock.set_fixed_time(cases[0][0])
            page.goto(base + "index.html")
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"home-next-session-{width}.png"), full_page=True)
            page.locator(".next-session-box__item:not([hidden])").get_by_role(
                "link", name="Agenda").click()
            assert page.url == base + f"coaches/agendas/{session.number}.html"
            assert page.locator("h1").first.inner_text().startswith(
                f"Session {session.number}:")
        finally:
            context.close()
        assert outside == [], f"requests outside the folder: {outside[:5]}"


def test_schedule_opens_at_the_next_session(browser, server, dated):
    zone, sessions = dated
    session = sessions[len(sessions) // 2]
    context = browser.new_context(viewport={"width": 390, "height": 844}, timezone_id=zone)
    page = context.new_page()
    try:
        page.clock.set_fixed_time(session.starts - dt.timedelta(days=2))
        page.goto(server + "coaches/schedule.html")
        marked = page.locator("tr.next-session")
        assert marked.count() == 1
        assert marked.locator("time").get_attribute("datetime") == \
            session.starts.date().isoformat()
        assert session.starts.strftime("%-I:%M %p") in marked.inner_text()
        page.wait_for_function("scrollY > 0")
        box = marked.bounding_box()
        assert 0 <= box["y"] and box["y"] + box["height"] <= 844, box
        # an address that names a place on the page keeps it
        page.goto(server + "coaches/schedule.html#schedule")
        assert page.locator("tr.next-session").count() == 1
        assert page.locator("h1").first.bounding_box()["y"] < 844
    finally:
        context.close()


# --- agendas: the sessions before and after ----------------------------------------------


def test_agenda_pages_lead_to_the_sessions_before_and_after(browser, built, dated):
    _, sessions = dated
    base = built.resolve().as_uri() + "/"
    last = len(sessions)
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()

    def links(name: str):
        return page.locator("p.session-nav").get_by_role("link", name=re.compile(f"^{name}"))

    try:
        page.goto(base + "coaches/agendas/1.html")
        assert links("Previous").count() == 0
        assert links("Next").count() == 2  # at the top and at the bottom
        assert page.locator(".md-sidebar--primary").is_hidden(), "empty left sidebar shown"
        assert page.locator(".md-sidebar--secondary").is_visible()  # the table of contents
        links("Next").first.click()
        assert page.url == base + "coaches/agendas/2.html"
        assert f"Session 1, {sessions[0].lesson.title}" in links("Previous").first.inner_text()
        links("Previous").last.click()
        assert page.url == base + "coaches/agendas/1.html"
        page.goto(base + f"coaches/agendas/{last}.html")
        assert links("Next").count() == 0
        assert links("Previous").count() == 2
        links("Previous").first.click()
        assert page.url == base + f"coaches/agendas/{last - 1}.html"
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 844})
            page.goto(base + "coaches/agendas/5.html")
            assert not page.evaluate("document.documentElement.scrollWidth > innerWidth")
            page.screenshot(path=str(SHOTS / f"agenda-with-neighbours-{width}.png"),
                            full_page=True)
    finally:
        context.close()
