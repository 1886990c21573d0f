"""Stage 3b: the program calendar. Dates every session of the year plan from the agency's
start date, cadence, weekday, time and skipped dates, and writes it as an iCalendar file.

Times are wall-clock times in the agency's time zone, so a 2 pm meeting stays at 2 pm on
both sides of a daylight-saving change.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo


from generator.core.catalog import Catalog
from generator.core.models import (Agency, Lesson, PlannedSession, Segment, SessionAgenda,
                              SessionKind)


@dataclass(frozen=True)
class Slot:
    """One timed part of a session, with its clock time."""

    start: dt.time
    """When it starts."""
    segment: Segment
    """What happens."""


@dataclass(frozen=True)
class Part:
    """One part of a dated session (e.g. peer sharing), its segments with clock times."""

    title: str
    """What the part is called."""
    minutes: int
    """How long it lasts."""
    slots: list[Slot]
    """Its segments, each with its start time."""


@dataclass(frozen=True)
class Session:
    """One meeting of the year plan, dated when the agency has set a start date."""

    number: int
    """Its place in the year plan, from 1."""
    planned: PlannedSession
    """The year-plan entry (lesson, kind, note)."""
    lesson: Lesson
    """The lesson taught or practised."""
    agenda: SessionAgenda
    """The session agenda it follows."""
    starts: dt.datetime | None
    """Start, in the agency's time zone; None until a start date is set."""

    @property
    def ends(self) -> dt.datetime | None:
        """End of the session."""
        return self.starts + dt.timedelta(minutes=self.agenda.minutes) if self.starts else None

    def finish(self, start: dt.time) -> dt.time:
        """When a session that starts at ``start`` ends."""
        clock = dt.datetime.combine(dt.date(2000, 1, 1), start)
        return (clock + dt.timedelta(minutes=self.agenda.minutes)).time()

    @property
    def kind(self) -> SessionKind:
        """What kind of session this is: a first meeting, a skill session, an outing ..."""
        return session_kind(self.planned, self.lesson)

    @property
    def lesson_timing(self) -> list[Segment]:
        """The lesson's segments this session runs: the practice section's at a practice
        session (where the lesson has one), else the lesson's own."""
        practice = self.lesson.practice_session
        if self.planned.kind == "practice" and practice:
            return practice.timing
        return self.lesson.timing

    def parts(self, start: dt.time) -> list[Part]:
        """The agenda's parts with clock times; a part that runs the lesson holds the
        lesson's own segments (or its practice section's)."""
        clock = dt.datetime.combine(dt.date(2000, 1, 1), start)
        found = []
        for part in self.agenda.all_parts:
            slots = []
            for segment in self.lesson_timing if part.from_lesson else part.segments:
                slots.append(Slot(clock.time(), segment))
                clock += dt.timedelta(minutes=segment.minutes)
            found.append(Part(part.title, sum(slot.segment.minutes for slot in slots), slots))
        return found


LESSON_KINDS: dict[str, SessionKind] = {"orientation": "first meeting",
                                        "mid-point": "mid-point", "closing": "closing"}
"""The kind of session of the program's own lessons."""
PLANNED_KINDS: dict[str, SessionKind] = {"practice": "practice", "refresher": "refresher",
                                         "outing": "outing"}
"""The kind of session of a year-plan entry that is not a new lesson."""


def session_kind(planned: PlannedSession, lesson: Lesson) -> SessionKind:
    """The kind of session a year-plan entry is."""
    return PLANNED_KINDS.get(planned.kind) or LESSON_KINDS.get(lesson.kind, "skill")


def agenda_for(catalog: Catalog, planned: PlannedSession, lesson: Lesson) -> SessionAgenda:
    """The agenda a year-plan entry follows: its own, else the agenda of its kind, else the
    skill session's."""
    if planned.agenda:
        return catalog.sessions[planned.agenda]
    kind = session_kind(planned, lesson)
    agendas = sorted(catalog.sessions.values(), key=lambda agenda: agenda.id)
    return next((agenda for agenda in agendas if agenda.kind == kind),
                next(agenda for agenda in agendas if agenda.kind == "skill"))


def year_plan(catalog: Catalog) -> list[PlannedSession]:
    """The plan for the agency's cadence (the two-weekly plan if there is no weekly one)."""
    plans = catalog.program.year_plans
    if catalog.agency.meeting.cadence == "weekly" and plans.weekly:
        return plans.weekly
    return plans.every_two_weeks


def sessions(catalog: Catalog) -> list[Session]:
    """Every session of the year plan, in order, skipping the agency's skipped dates."""
    meeting = catalog.agency.meeting
    zone = ZoneInfo(meeting.time_zone)
    step = dt.timedelta(days=7 if meeting.cadence == "weekly" else 14)
    skipped = set(meeting.skipped_dates)
    day = meeting.start_date
    found = []
    for number, planned in enumerate(year_plan(catalog), 1):
        starts = None
        if day is not None:
            while day in skipped:
                day += step
            starts = dt.datetime.combine(day, meeting.time, tzinfo=zone)
            day += step
        lesson = catalog.lessons[planned.lesson]
        found.append(Session(number, planned, lesson, agenda_for(catalog, planned, lesson),
                             starts))
    return found


def place(session: Session, agency: Agency) -> str:
    """Where the session meets: the room, or for an outing its meeting point."""
    if session.kind == "outing":
        return session.planned.meeting_point or "Meeting point agreed at the session before"
    return f"{agency.meeting.place}, {agency.meeting.address}"


KIND_NAMES = {"lesson": "", "practice": "Practice: ", "refresher": "Refresher: ",
              "outing": "Group outing: "}


def title(session: Session) -> str:
    """What the session is called in lists: "Practice: Grounding"."""
    return KIND_NAMES[session.planned.kind] + session.lesson.title
