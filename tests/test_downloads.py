"""The downloads page as members and coaches read it: each PDF listed for those who use it,
with what it is, who fills in a form, its pages and paper size, and an agenda's date and
lesson. The page is read from the built site and checked against the PDFs themselves."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import pdf_reader, shipped_catalog
from generator.core.content import load_catalog
from generator.core.language import ENGLISH
from generator.core.schedule import sessions, title

WHO = {"member": "the member", "coach": "the coach",
       "together": "the member and the coach, together",
       "no one": ("no one; the agency settings fill in every detail on it (meeting, "
                  "contacts), so it has no fields; print it to hand out or post")}
"""How a form's row says who fills it in."""


@dataclass
class Row:
    """One row of a table on the downloads page, as a reader sees it."""

    section: str
    """The id of the heading it is under: for-members or for-coaches."""
    cells: list[str] = field(default_factory=list)
    """The text of each cell, white space folded."""
    links: list[str] = field(default_factory=list)
    """Where its links go."""
    dates: list[str] = field(default_factory=list)
    """The datetime of each date in it."""

    @property
    def target(self) -> str:
        """The PDF it lists, under downloads/."""
        return self.links[0].removeprefix("downloads/")

    @property
    def text(self) -> str:
        return " ".join(self.cells)


class _Rows(HTMLParser):
    """The body rows of every table, each with the section heading it stands under."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] = []
        self.section = ""
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "h2":
            self.section = attributes.get("id") or ""
        elif tag == "tr":
            self.rows.append(Row(self.section))
        elif tag == "td":
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append(" ")
        elif tag == "a" and self.cell is not None:
            self.rows[-1].links.append(attributes["href"] or "")
        elif tag == "time" and self.cell is not None:
            self.rows[-1].dates.append(attributes["datetime"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self.cell is not None:
            self.rows[-1].cells.append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def rows(site: Path) -> list[Row]:
    """The rows that list a PDF on the built downloads page."""
    parser = _Rows()
    parser.feed((site / "downloads.html").read_text(encoding="utf-8"))
    return [row for row in parser.rows if row.cells]


def paper(pdf: Path) -> str:
    """The paper size of a PDF's first page, by its name."""
    box = pdf_reader(pdf).pages[0].mediabox
    return {(612, 792): "Letter", (595, 842): "A4"}[(round(box.width), round(box.height))]


def pages(count: int) -> str:
    return f"{count} page" if count == 1 else f"{count} pages"


@pytest.fixture(scope="module")
def catalog():
    return shipped_catalog()


@pytest.fixture(scope="module")
def listed(built) -> dict[str, Row]:
    """The rows of the real project's downloads page, by the PDF each lists."""
    found = rows(built)
    by_target = {row.target: row for row in found}
    assert len(by_target) == len(found), "a PDF is listed twice"
    return by_target


def test_members_get_the_handbooks_their_forms_and_the_handouts(catalog, listed):
    forms = catalog.forms.values()
    expected = {"participant-handbook.pdf", "participant-handbook-large-print.pdf"}
    expected |= {f"forms/{form.id}.pdf" for form in forms if form.audience == "participant"}
    expected |= {f"handouts/{lesson}.pdf" for lesson in catalog.lessons}
    members = {target for target, row in listed.items() if row.section == "for-members"}
    assert members == expected
    assert "Give one to each member" in listed["participant-handbook.pdf"].text
    assert "18 pt" in listed["participant-handbook-large-print.pdf"].text
    for lesson in catalog.lessons.values():
        row = listed[f"handouts/{lesson.id}.pdf"]
        assert row.text.startswith(f"{lesson.title} {lesson.framing_questions[0]}"), row.text


def test_coaches_get_the_manual_their_forms_and_each_sessions_agenda(catalog, listed):
    dated = sessions(catalog)
    expected = {"coach-manual.pdf"}
    expected |= {f"forms/{form.id}.pdf" for form in catalog.forms.values()
                 if form.audience == "coach"}
    expected |= {f"agendas/{session.number}.pdf" for session in dated}
    coaches = {target for target, row in listed.items() if row.section == "for-coaches"}
    assert coaches == expected
    assert "master copies of all forms" in listed["coach-manual.pdf"].text
    assert all(session.starts for session in dated), "the project's agency has a start date"
    for session in dated:
        row = listed[f"agendas/{session.number}.pdf"]
        day = session.starts.date()
        assert row.dates == [day.isoformat()]
        assert row.cells[:2] == [f"Session {session.number} {ENGLISH.short_day(day)}", title(session)]


def test_every_form_says_what_it_is_and_who_fills_it_in(catalog, listed):
    for form in catalog.forms.values():
        row = listed[f"forms/{form.id}.pdf"]
        purpose = " ".join(form.purpose.split())
        assert row.cells[0] == (f"{form.title} {purpose} "
                                f"Who fills it in: {WHO[form.who_fills_in]}"), row.cells[0]
    said = {form: listed[f"forms/{form}.pdf"].cells[0].rsplit(": ", 1)[1]
            for form in ("action-plan", "enrollment-agreement", "intake-checklist",
                         "service-history", "recruiting-flyer")}
    assert said == {"action-plan": "the member",
                    "enrollment-agreement": "the member and the coach, together",
                    "intake-checklist": "the coach",
                    "service-history": "the member and the coach, together",
                    "recruiting-flyer": WHO["no one"]}


def test_every_row_shows_the_pdfs_pages_and_paper_size(built, listed):
    html = (built / "downloads.html").read_text(encoding="utf-8")
    assert "Every PDF is <strong>Letter</strong> size (8.5 × 11 inches)" in html
    for target, row in listed.items():
        pdf = built / "downloads" / target
        assert row.cells[-1] == f"{pages(len(pdf_reader(pdf).pages))} {paper(pdf)}", target
        assert row.cells[-1].endswith(" Letter"), target


def test_a4_paper_and_no_dates_without_a_start_date(built_sample_a4):
    """The minimal sample (no start date) built on A4 paper (conftest.py)."""
    site = built_sample_a4 / "site"
    dated = sessions(load_catalog(built_sample_a4))
    html = (site / "downloads.html").read_text(encoding="utf-8")
    assert "Every PDF is <strong>A4</strong> size (210 × 297 mm)" in html
    assert "schedule.ics" not in html, "a calendar file without dates is not offered"
    found = {row.target: row for row in rows(site)}
    assert set(found) == {
        "participant-handbook.pdf", "participant-handbook-large-print.pdf",
        "forms/sample-form.pdf", "handouts/sample-lesson.pdf", "coach-manual.pdf",
        *(f"agendas/{session.number}.pdf" for session in dated)}
    for target, row in found.items():
        pdf = site / "downloads" / target
        assert paper(pdf) == "A4"
        assert row.cells[-1] == f"{pages(len(pdf_reader(pdf).pages))} A4", target
    for session in dated:
        row = found[f"agendas/{session.number}.pdf"]
        assert row.dates == []
        assert row.cells[:2] == [f"Session {session.number}", title(session)]
