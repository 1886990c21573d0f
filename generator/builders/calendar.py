"""The calendar file: every dated session as an iCalendar event, in the agency's time zone."""

from __future__ import annotations

import datetime as dt
import re

import icalendar

from generator.builders import routes
from generator.builders.context import Build, Context
from generator.builders.site import write_file
from generator.core.catalog import Catalog
from generator.core.schedule import Session, place, title


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def ics(catalog: Catalog, dated: list[Session]) -> bytes:
    """The sessions as an iCalendar file: one event each, in the agency's time zone."""
    agency = catalog.agency
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{catalog.program.publisher}//{catalog.program.title}//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{agency.program_name} · {agency.agency_name}")
    calendar.add("x-wr-timezone", agency.meeting.time_zone)
    stamp = dt.datetime.combine(catalog.program.edition_date, dt.time(), tzinfo=dt.UTC)
    for session in dated:
        if session.starts is None:
            continue
        event = icalendar.Event()
        event.add("uid", f"session-{session.number}-{agency.meeting.start_date}"
                         f"@{_slug(agency.agency_name)}.{_slug(agency.program_name)}")
        event.add("dtstamp", stamp)
        event.add("dtstart", session.starts)
        event.add("dtend", session.ends)
        event.add("summary", f"{agency.program_name}: {title(session)}")
        event.add("location", place(session, agency))
        description = [f"Session {session.number}. {session.lesson.summary}"]
        if session.planned.note:
            description.append(session.planned.note)
        if agency.site_url:
            link = (f"{agency.site_url.rstrip('/')}/"
                    f"{routes.html(routes.Routes.lesson_plan(session.lesson.id))}")
            event.add("url", link)
            description.append(f"Lesson plan: {link}")
        event.add("description", "\n\n".join(" ".join(text.split()) for text in description))
        calendar.add_component(event)
    first = min((s.starts.date() for s in dated if s.starts), default=None)
    if first:
        calendar.add_missing_timezones(first_date=first - dt.timedelta(days=366),
                                       last_date=max(s.starts.date() for s in dated if s.starts)
                                       + dt.timedelta(days=366))
    return calendar.to_ical()


class CalendarBuilder:
    """The calendar file of the English edition, beside its PDFs."""

    name = "calendar"
    preparing = None
    writing = None
    needs: tuple[str, ...] = ()

    def prepare(self, edition: Context, build: Build) -> bytes | None:
        return ics(edition.catalog, edition.dated) if edition.source else None

    def write(self, prepared: list[tuple[Context, bytes | None]], build: Build) -> None:
        for edition, data in prepared:
            if data is not None:
                write_file(build.docs(edition) / routes.DOWNLOADS / routes.CALENDAR, data)
