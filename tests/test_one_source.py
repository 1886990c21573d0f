"""Each text is written once and shows the same sections wherever it appears: a lesson plan
on the site and in the coach manual, a kind of session's notes on its site page and in the
manual, a handout on the member's lesson page (English and Spanish) and in its PDF, and the
crisis block in every one of them. Read from the generated pages of the shipped content, as
the golden snapshots are."""

from __future__ import annotations

import html
import re

import pytest

from golden import rendered
from generator.builders import pages, pdf
from generator.core.content import load_catalog
from generator.core.language import ENGLISH
from generator.core.project import Project
from conftest import PROJECT

CATALOG = load_catalog(Project(PROJECT))
MD_HEADING = re.compile(r"^ *(##|###) (.+?)(?: \{[^}]*\})?$", re.M)
HTML_HEADING = re.compile(r"<(h2|h3)[^>]*>(.*?)</\1>", re.S)


@pytest.fixture(scope="module")
def made() -> dict[str, str]:
    return rendered(None)


def _markdown_headings(page: str, after: str | None = None) -> list[str]:
    if after:
        page = page[page.index(after):]
    return [f"{'h2' if level == '##' else 'h3'} {text.strip()}"
            for level, text in MD_HEADING.findall(page)]


def _html_headings(part: str) -> list[str]:
    return [f"{level} {html.unescape(re.sub(r'<[^>]+>', '', text)).strip()}"
            for level, text in HTML_HEADING.findall(part)]


def _section(document: str, anchor: str) -> str:
    """The part of a print page from the heading ``anchor`` to the end of its section."""
    start = document.index(f'id="{anchor}"')
    return document[start:document.index("</section>", start)]


def _crisis(document: str) -> str:
    """The crisis text of a print page's crisis box, as HTML paragraphs."""
    start = document.index('<div class="crisis"')
    box = document[start:document.index("</div>", start)]
    return box[box.index("</p>") + len("</p>"):].strip()  # after its title


@pytest.mark.parametrize("lesson", sorted(CATALOG.lessons))
def test_the_coach_manual_shows_the_sites_lesson_plan(made, lesson):
    site = made[f"site/coaches/lessons/{lesson}.md"]
    plan = _section(made["print/coach-manual.pdf.html"], f"lesson-{lesson}")
    assert _html_headings(plan) == _markdown_headings(site)
    assert "988 and 911" not in plan
    assert _crisis(made[f"print/handouts/{lesson}.pdf.html"]) in plan  # the one crisis text


@pytest.mark.parametrize("session", sorted(CATALOG.sessions))
def test_the_coach_manual_shows_the_sites_session_notes(made, session):
    site = made[f"site/coaches/sessions/{session}.md"]
    notes = _section(made["print/coach-manual.pdf.html"], f"session-{session}")
    assert _html_headings(notes) == _markdown_headings(site)
    if CATALOG.sessions[session].what_to_bring:
        assert "h2 What members bring" in _html_headings(notes)


@pytest.mark.parametrize("language", ["", "es"])
@pytest.mark.parametrize("lesson", sorted(CATALOG.lessons))
def test_the_handout_pdf_shows_the_handout_of_the_members_page(made, lesson, language):
    site = made[f"site{'-' if language else ''}{language}/participants/lessons/{lesson}.md"]
    handout = made[f"print/{language}{'/' if language else ''}handouts/{lesson}.pdf.html"]
    start = handout.index('<article class="handout-doc">')
    printed = _html_headings(handout[start:handout.index('<div class="crisis"')])
    assert printed == _markdown_headings(site, after='<div class="handout" markdown>')


def test_site_and_print_format_clock_times_alike():
    site = pages.environment([PROJECT / "templates" / "site"], str, ENGLISH)
    print_ = pdf.environment([PROJECT / "templates" / "print"], str, ENGLISH)
    assert site.filters["clock"] is print_.filters["clock"]
    assert site.filters["clock"](75) == "1:15"
