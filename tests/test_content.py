"""Quality gates for the curriculum itself: structure, reading level, wording, privacy.

Every failure names the file and the field, so a writer knows what to fix.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import PROJECT, require, shipped_catalog
from generator.core.content import load_catalog
from generator.core.project import Project
from generator.core.readability import COACH_MAX_GRADE, PARTICIPANT_MAX_GRADE, grade, plain_text
from generator.builders.pages import participant_view

CATALOG = shipped_catalog()
EXAMPLE = load_catalog(Project(PROJECT, PROJECT / "examples" / "riverside"))
"""The worked example overlay: its own lesson and form meet the same rules."""
_OWN = {key for key, item in EXAMPLE.items.items() if item.doc.path.startswith("examples/")}
LESSONS = CATALOG.lessons_in_order() + [lesson for lesson in EXAMPLE.lessons_in_order()
                                        if ("lesson", lesson.id) in _OWN]
FORMS = sorted(CATALOG.forms.values(), key=lambda form: form.id) + [
    form for form in EXAMPLE.forms.values() if ("form", form.id) in _OWN]

STIGMATISING = ["suffers from", "suffering from", "non-compliant", "noncompliant",
                "low-functioning", "low functioning", "crazy", "the mentally ill", "addict",
                "manipulative", "lunatic", "psycho"]
"""The content guide's list of terms no page may use (whole words, any case)."""

SEED_PERSONAL = ["Shavonne", "Carpenter", "Hendry", "Dennise", "Babin", "Clifford",
                 "scarpenter@", "phendry@", "dbabin@", "489-5742", "478-4444", "946-0529"]
"""Names, e-mails and phone numbers of real people in the source documents."""


def _texts(value, where: str):
    """Every string inside a value, with a readable field path."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, f"{where}.{key}" if where else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, f"{where}[{index}]")
    elif isinstance(value, str):
        yield where, value


def _participant_texts(lesson):
    view = participant_view(lesson)
    for key in ("framing_questions", "objectives", "skill_steps", "key_takeaways"):
        yield key, " ".join(view[key])
    for key in ("summary", "journal_prompt"):
        yield key, view[key]
    for key, text in view["practice"].items():
        if text:
            yield f"practice.{key}", text
    yield "handout", view["handout"]["body"] + "\n\n" + view["handout"]["worked_example"]["body"]
    yield "safety.content_note", view["safety"]["content_note"]
    for index, activity in enumerate(view["activities"]):
        yield f"activities[{index}].member_instructions", " ".join(
            activity["member_instructions"])
    if lesson.practice_session:  # the practice session's member steps and scenarios
        activity = lesson.practice_session.activity
        yield "practice_session.activity.member_instructions", " ".join(
            activity.member_instructions)
        yield "practice_session.activity.scenarios", " ".join(
            scenario.situation for scenario in activity.scenarios)


def _coach_texts(lesson):
    script = lesson.facilitator_script
    yield "facilitator_script.talking_points", " ".join(script.talking_points)
    for index, activity in enumerate(lesson.activities):
        yield f"activities[{index}].coach_instructions", " ".join(activity.coach_instructions)
    for key, text in lesson.adaptations.model_dump().items():
        yield f"adaptations.{key}", text
    yield "common_challenges", " ".join(f"{c.situation} {c.response}"
                                        for c in lesson.common_challenges)
    yield "discussion_questions", " ".join(lesson.discussion_questions)
    if lesson.practice_session:
        practice = lesson.practice_session
        yield "practice_session.what_changes", practice.what_changes
        yield "practice_session.peer_coaching", practice.peer_coaching
        yield "practice_session.activity.coach_instructions", " ".join(
            practice.activity.coach_instructions)


def _form_texts(form):
    for s, section in enumerate(form.sections):
        if section.text:
            yield f"sections[{s}].text", section.text
        labels = " ".join(f"{field.label}. {field.help or ''}" for field in section.fields)
        if labels.strip():
            yield f"sections[{s}].fields (labels and help)", labels
    yield "purpose", form.purpose


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_lesson_structure(lesson):
    assert sum(segment.minutes for segment in lesson.timing) == 30
    assert 2 <= len(lesson.objectives) <= 3
    assert not any("understand" in objective.lower() for objective in lesson.objectives)
    assert len(lesson.key_takeaways) <= 3
    for takeaway in lesson.key_takeaways:
        assert len(takeaway.split()) <= 15, f"{lesson.id}: takeaway too long: {takeaway}"
    for activity in lesson.activities:
        assert activity.opt_out, f"{lesson.id}: {activity.title} has no opt-out"
    words = len(plain_text(lesson.handout.body).split()) + len(
        plain_text(lesson.handout.worked_example.body).split())
    assert 250 <= words <= 350, f"{lesson.id}: handout has {words} words (250-350)"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_lesson_reading_level(lesson):
    too_hard = [f"{lesson.id}: {field} reads at grade {grade(text):.1f} "
                f"(participant text: {PARTICIPANT_MAX_GRADE} at most)"
                for field, text in _participant_texts(lesson)
                if grade(text) > PARTICIPANT_MAX_GRADE]
    too_hard += [f"{lesson.id}: {field} reads at grade {grade(text):.1f} "
                 f"(coach text: {COACH_MAX_GRADE} at most)"
                 for field, text in _coach_texts(lesson) if grade(text) > COACH_MAX_GRADE]
    assert not too_hard, "\n".join(too_hard)


@pytest.mark.parametrize("form", FORMS, ids=lambda form: f"{form.id}:{form.title}")
def test_form_structure_and_reading_level(form):
    assert form.purpose and form.who_sees_it and form.kept_where
    limit = PARTICIPANT_MAX_GRADE if form.audience == "participant" else COACH_MAX_GRADE
    too_hard = [f"{form.id}: {field} reads at grade {grade(text):.1f} ({limit} at most)"
                for field, text in _form_texts(form) if grade(text) > limit]
    assert not too_hard, "\n".join(too_hard)


def test_year_plans_resolve_to_lessons():
    for cadence in ("every_two_weeks", "weekly"):
        for planned in getattr(CATALOG.program.year_plans, cadence):
            assert planned.lesson in CATALOG.lessons
            assert planned.agenda is None or planned.agenda in CATALOG.sessions


@pytest.mark.parametrize("agenda", sorted(CATALOG.sessions.values(), key=lambda a: a.id),
                         ids=lambda agenda: agenda.id)
def test_session_agenda_reading_level(agenda):
    """Coach text of every agenda, and what members bring in member words."""
    texts = [(f"guidance: {note.title}", note.body) for note in agenda.guidance]
    texts += [(f"{part.title}: {segment.title}", segment.what_happens)
              for part in agenda.all_parts for segment in part.segments]
    too_hard = [f"{agenda.id}: {field} reads at grade {grade(text):.1f}"
                for field, text in texts if grade(text) > COACH_MAX_GRADE]
    if agenda.what_to_bring:
        bring = ". ".join(agenda.what_to_bring)
        if grade(bring) > PARTICIPANT_MAX_GRADE:
            too_hard.append(f"{agenda.id}: what_to_bring reads at grade {grade(bring):.1f}")
    assert not too_hard, "\n".join(too_hard)


def _content_files():
    return sorted([*(PROJECT / "content").rglob("*.y*ml"), *(PROJECT / "examples").rglob("*.y*ml")])


@pytest.mark.parametrize("path", _content_files(),
                         ids=lambda path: path.relative_to(PROJECT).as_posix())
def test_no_stigmatising_words(path: Path):
    text = path.read_text(encoding="utf-8")
    found = [term for term in STIGMATISING
             if re.search(rf"\b{re.escape(term)}s?\b", text, re.IGNORECASE)]
    assert not found, f"{path.relative_to(PROJECT)} uses {found}"


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


CHAPTERS = sorted(CATALOG.chapters.values(), key=lambda chapter: (chapter.handbook,
                                                                   chapter.order))


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda chapter: chapter.id)
def test_chapter_reading_level(chapter):
    limit = PARTICIPANT_MAX_GRADE if chapter.handbook == "participant" else COACH_MAX_GRADE
    for field, text in (("summary", chapter.summary), ("body", chapter.body)):
        assert grade(text) <= limit, f"{chapter.id}: {field} reads at grade {grade(text):.1f}"
    for term in chapter.glossary:
        assert grade(term.meaning) <= limit + 2, f"{chapter.id}: glossary '{term.term}'"


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
