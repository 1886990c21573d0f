"""Every kind of session has its own agenda: first meeting, skill, practice, refresher, outing,
mid-point and closing; a coach can run each from its agenda page and PDF."""

from __future__ import annotations

import dataclasses
import re
import subprocess

import icalendar
import pytest

from conftest import sample, shipped_catalog
from generator.core.content import load_catalog
from generator.core.schedule import sessions

CATALOG = shipped_catalog()
KINDS = {"first meeting", "skill", "practice", "refresher", "outing", "mid-point", "closing"}


def _catalog(cadence: str):
    """The real catalog as a group meeting at ``cadence`` sees it."""
    meeting = CATALOG.agency.meeting.model_copy(update={"cadence": cadence})
    return dataclasses.replace(CATALOG, agency=CATALOG.agency.model_copy(
        update={"meeting": meeting}))


def _expected_kind(planned, lesson) -> str:
    if planned.kind != "lesson":
        return planned.kind
    return {"orientation": "first meeting"}.get(lesson.kind, lesson.kind)


@pytest.mark.parametrize("cadence", ["weekly", "every two weeks"])
def test_every_session_follows_the_agenda_of_its_kind(cadence):
    dated = sessions(_catalog(cadence))
    assert len(dated) == (48 if cadence == "weekly" else 24)
    for session in dated:
        assert session.agenda.kind == _expected_kind(session.planned, session.lesson), (
            session.number, session.agenda.id)
        total = sum(part.minutes for part in session.parts(CATALOG.agency.meeting.time))
        assert total == 90, (session.number, session.agenda.id)
    assert {session.agenda.kind for session in dated} >= (
        KINDS - ({"practice"} if cadence == "every two weeks" else set()))


def test_a_practice_session_runs_the_lessons_practice_section():
    weekly = sessions(_catalog("weekly"))
    practice = next(session for session in weekly if session.planned.kind == "practice")
    lesson = practice.lesson
    slots = [slot.segment for part in practice.parts(CATALOG.agency.meeting.time)
             for slot in part.slots]
    assert lesson.practice_session is not None
    assert all(segment in slots for segment in lesson.practice_session.timing)
    assert not any(segment in slots for segment in lesson.timing)


def test_every_skill_lesson_has_a_practice_section_with_three_harder_scenarios():
    skills = [lesson for lesson in CATALOG.lessons.values() if lesson.kind == "skill"]
    assert len(skills) == 15
    for lesson in skills:
        practice = lesson.practice_session
        assert practice is not None, lesson.id
        assert sum(segment.minutes for segment in practice.timing) == 30, lesson.id
        scenarios = practice.activity.scenarios
        assert len(scenarios) == 3 and "easy" not in {s.level for s in scenarios}, lesson.id
        own = {s.situation for activity in lesson.activities for s in activity.scenarios}
        assert not own & {s.situation for s in scenarios}, f"{lesson.id}: not fresh"


def _page(built, number: int) -> str:
    html = (built / "coaches" / "agendas" / f"{number}.html").read_text(encoding="utf-8")
    article = html.split('<article class="md-content__inner md-typeset">', 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", article.split("</article>", 1)[0]).split())


def _pdf(built, number: int) -> str:
    path = built / "downloads" / "agendas" / f"{number}.pdf"
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())


def _numbers(kind: str) -> list[int]:
    return [session.number for session in sessions(CATALOG) if session.kind == kind]


def test_the_first_meeting_has_no_check_in_on_plans(built):
    (first,) = _numbers("first meeting")
    for text in (_page(built, first), _pdf(built, first)):
        assert "First meeting" in text
        assert "check-in" not in text.lower() and "Agreements reminder" not in text
        assert "Name round" in text and "Our agreements in small groups" in text


def test_an_outing_meets_at_a_meeting_point_not_the_room(built):
    outings = _numbers("outing")
    assert outings
    for number in outings:
        for text in (_page(built, number), _pdf(built, number)):
            assert "Meeting point" in text
            assert CATALOG.agency.meeting.place not in text
            assert re.search(r"there and back|transport", text, re.IGNORECASE)
            assert "buddy" in text.lower()
    events = icalendar.Calendar.from_ical((built / "downloads" / "schedule.ics").read_bytes())
    locations = [str(event["location"]) for event in events.walk("VEVENT")]
    assert all("Meeting point" in locations[number - 1] for number in outings)


@pytest.mark.parametrize("kind, words", [
    ("mid-point", ["survey", "interview"]), ("closing", ["survey", "interview"]),
    ("refresher", ["choose"]), ("skill", ["Peer sharing"]),
])
def test_each_kind_of_session_says_what_it_carries(built, kind, words):
    number = _numbers(kind)[0]
    for text in (_page(built, number), _pdf(built, number)):
        for word in words:
            assert word.lower() in text.lower(), (kind, word)


# --- the checks a trainer meets writing a lesson or an agenda -------------------------


def test_a_skill_lesson_without_a_practice_section_is_refused(tmp_path, cli):
    project = sample(tmp_path, "valid-minimal")
    lesson = project / "content" / "lessons" / "sample-lesson.yml"
    text = lesson.read_text()
    start = text.index("practice_session:")
    end = text.index("journal_prompt:")
    lesson.write_text(text[:start] + text[end:])
    result = cli(project, "check")
    assert result.exit_code == 1
    assert "practice_session: a skill lesson needs a practice section" in result.stderr


def test_practice_scenarios_must_be_three_and_not_easy(tmp_path, cli):
    project = sample(tmp_path, "valid-minimal")
    lesson = project / "content" / "lessons" / "sample-lesson.yml"
    text = lesson.read_text()
    practice = text.index("practice_session:")
    lesson.write_text(text[:practice] + text[practice:].replace("- level: medium",
                                                                "- level: easy", 1))
    result = cli(project, "check")
    assert result.exit_code == 1
    lines = lesson.read_text().splitlines()
    line = lines.index("    scenarios:", lines.index("practice_session:")) + 1
    assert (f"sample-lesson.yml:{line}: practice_session.activity.scenarios: a practice "
            "session has three fresh scenarios at the medium or harder level (found: easy, "
            "harder, harder)") in result.stderr


def test_an_agenda_whose_parts_do_not_add_up_is_refused(tmp_path, cli):
    project = sample(tmp_path, "valid-minimal")
    (project / "content" / "sessions" / "outing.yml").write_text("""\
id: outing
title: Group outing
kind: outing
summary: We go out together.
minutes: 90
parts:
  - title: Meeting up
    segments:
      - {title: Arrive, minutes: 10, grouping: whole, what_happens: We meet.}
  - title: The outing
    segments:
      - {title: Visit, minutes: 70, grouping: small groups, what_happens: We visit.}
""")
    result = cli(project, "check")
    assert result.exit_code == 1
    assert ("content/sessions/outing.yml:6: parts: the segments add up to 80 minutes "
            "(10 + 70); they must add up to 90") in result.stderr


# --- settings the fidelity chapter names change the outputs --------------------------


def _journal_texts(catalog) -> dict[str, str]:
    """What the enrollment agreement, the journal form, the handbook and the manual say."""
    def form(ident):
        found = catalog.forms[ident]
        return " ".join(" ".join(filter(None, [found.who_sees_it, found.kept_where,
                                                *(s.text or "" for s in found.sections)])).split())

    def chapter(ident):
        return " ".join(catalog.chapters[ident].body.split())

    return {"enrollment-agreement": form("enrollment-agreement"),
            "weekly-journal": form("weekly-journal"),
            "goals-plans-journal": chapter("goals-plans-journal"),
            "fidelity": chapter("fidelity"), "coaching-plans": chapter("coaching-plans")}


def test_the_journal_setting_changes_every_output_that_speaks_of_journals(project):
    collected = _journal_texts(load_catalog(project))
    agency = project / "content" / "agency.yml"
    agency.write_text(agency.read_text().replace("journals: collected ", "journals: member keeps "))
    kept = _journal_texts(load_catalog(project))
    for name in collected:
        assert collected[name] != kept[name], f"{name} says the same under both settings"
    assert "copy" in collected["enrollment-agreement"].lower()
    assert "stays with you" in kept["enrollment-agreement"]


def test_the_backup_staff_member_is_printed_where_a_crisis_is_handled(project):
    agency = project / "content" / "agency.yml"
    agency.write_text(agency.read_text().replace("name: Your Backup Staff Member",
                                                 "name: Dana Ortiz, program supervisor")
                      .replace("phone: 555-0103", "phone: (999) 201-4455"))
    catalog = load_catalog(project)
    protocol = catalog.chapters["safety-protocol"].body
    assert "Dana Ortiz, program supervisor" in protocol and "(999) 201-4455" in protocol
    assert "trusted member" not in protocol
    outing = catalog.sessions["outing"]
    assert any("Dana Ortiz" in note.body for note in outing.guidance)
