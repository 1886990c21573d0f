"""Quality gates for the curriculum itself: what it holds, and privacy. The writing rules
(reading level, wording, objectives, handouts) are `check`'s, tested in test_writing.py.

Every failure names the file and the field, so a writer knows what to fix.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import PROJECT, require, shipped_catalog

CATALOG = shipped_catalog()

SEED_PERSONAL = ["Shavonne", "Carpenter", "Hendry", "Dennise", "Babin", "Clifford",
                 "scarpenter@", "phendry@", "dbabin@", "489-5742", "478-4444", "946-0529"]
"""Names, e-mails and phone numbers of real people in the source documents."""


def test_year_plans_resolve_to_lessons():
    for cadence in ("every_two_weeks", "weekly"):
        for planned in getattr(CATALOG.program.year_plans, cadence):
            assert planned.lesson in CATALOG.lessons
            assert planned.agenda is None or planned.agenda in CATALOG.sessions


def _content_files():
    return sorted([*(PROJECT / "content").rglob("*.y*ml"), *(PROJECT / "examples").rglob("*.y*ml")])


@pytest.mark.parametrize("path", _content_files(),
                         ids=lambda path: path.relative_to(PROJECT).as_posix())
def test_no_personal_details_from_the_sources(path: Path):
    text = path.read_text(encoding="utf-8")
    found = [item for item in SEED_PERSONAL if item.lower() in text.lower()]
    assert not found, f"{path.relative_to(PROJECT)} contains {found}"


def test_personal_details_list_covers_the_sources():
    """If the source documents are beside the project, every e-mail and phone is listed."""
    seeds = PROJECT.parent / "shared" / "seeds"
    require(seeds.is_dir(), "no ../shared/seeds beside the project (CI always has them)")
    text = " ".join(path.read_text(encoding="utf-8") for path in seeds.glob("*.txt"))
    for email in set(re.findall(r"([\w.+-]+)@[\w-]+\.[\w.]+", text)):
        assert f"{email}@" in SEED_PERSONAL
    for phone in set(re.findall(r"\(?\d{3}\)?[ .-]?(\d{3}-\d{4})\b", text)):
        assert phone in SEED_PERSONAL


def test_both_handbooks_have_their_chapters():
    """The chapters the content guide lists for each handbook are there."""
    coach = {chapter.id for chapter in CATALOG.chapters_of("coach")}
    participant = {chapter.id for chapter in CATALOG.chapters_of("participant")}
    assert coach >= {"how-to-use", "program-model", "peer-role", "trauma-informed",
                     "getting-started", "running-sessions", "safety-protocol",
                     "budget-administration", "coaching-plans", "evaluation-privacy",
                     "supervision", "coach-glossary"}
    assert participant >= {"welcome", "what-the-group-is", "at-each-meeting",
                           "agreements-privacy", "rights-choices", "social-budget",
                           "goals-plans-journal", "contacts-calm-card", "feedback", "glossary"}


def test_fifteen_skills_and_three_program_sessions():
    kinds = [lesson.kind for lesson in CATALOG.lessons_in_order()]
    assert kinds.count("skill") == 15
    assert {"orientation", "mid-point", "closing"} <= set(kinds)
    assert 22 <= len(CATALOG.program.year_plans.every_two_weeks) <= 26
    assert 44 <= len(CATALOG.program.year_plans.weekly) <= 52


def test_every_form_of_the_guide_is_there():
    assert set(CATALOG.forms) >= {
        "enrollment-agreement", "spending-plan", "receipt-log", "weekly-journal",
        "social-goals", "action-plan", "group-agreements", "satisfaction-survey",
        "intake-checklist", "outcome-interviews", "service-history", "coach-bio",
        "attendance-log", "recruiting-flyer", "introduction-letter"}
