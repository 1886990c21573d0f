"""The program calendar: dated sessions, the schedule page, one-page agendas and the .ics file."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from pypdf import PdfReader

from conftest import sample
from generator.core.content import load_catalog
from generator.core.schedule import sessions

UTC_OFFSET = dt.timedelta(hours=1)


def _events(path) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


def test_calendar_has_every_session_at_the_local_time(built):
    from test_pdf import CATALOG

    events = _events(built / "downloads" / "schedule.ics")
    plan = CATALOG.program.year_plans.every_two_weeks
    assert len(events) == len(plan)
    starts = [event.decoded("dtstart") for event in events]
    assert starts[0].date() == dt.date(2027, 1, 12)
    assert all(later - earlier == dt.timedelta(days=14)
               for earlier, later in zip(starts, starts[1:]))
    # 2 pm on the wall clock all year, so the UTC time moves with daylight saving
    assert {(start.strftime("%A %H:%M"), str(start.tzinfo)) for start in starts} == {
        ("Tuesday 14:00", "America/New_York")}
    january, april = starts[0], next(s for s in starts if s.month == 4)
    assert january.utcoffset() == dt.timedelta(hours=-5)
    assert april.utcoffset() == dt.timedelta(hours=-4)
    assert january.astimezone(dt.UTC).hour == 19 and april.astimezone(dt.UTC).hour == 18
    first = events[0]
    assert first.decoded("dtend") - first.decoded("dtstart") == dt.timedelta(minutes=90)
    assert str(first["summary"]).endswith(CATALOG.lessons[plan[0].lesson].title)
    assert CATALOG.agency.meeting.place in str(first["location"])
    assert len({str(event["uid"]) for event in events}) == len(events)


def _agency(project, **meeting: str) -> None:
    path = project / "content" / "agency.yml"
    text = path.read_text()
    added = "".join(f"  {key}: {value}\n" for key, value in meeting.items())
    path.write_text(text.replace("  cadence: weekly\n", f"  cadence: weekly\n{added}"))


def test_skipped_dates_move_sessions_and_times_hold_across_daylight_saving(tmp_path):
    project = sample(tmp_path, "valid-minimal")
    # Wednesdays at 10:30; daylight saving starts on Sunday 2027-03-14
    _agency(project, start_date="2027-03-10", skipped_dates="[2027-03-17]",
            time_zone="America/Denver")
    dated = sessions(load_catalog(project))
    assert [session.starts.date() for session in dated] == [dt.date(2027, 3, 10),
                                                            dt.date(2027, 3, 24)]
    assert [session.starts.strftime("%H:%M") for session in dated] == ["10:30", "10:30"]
    assert [session.starts.astimezone(dt.UTC).hour for session in dated] == [17, 16]


def test_calendar_file_skips_skipped_dates(tmp_path, cli, warm):
    project = warm(sample(tmp_path, "valid-minimal"))
    _agency(project, start_date="2027-03-10", skipped_dates="[2027-03-17]")
    assert cli(project, "build").exit_code == 0
    events = _events(project / "site" / "downloads" / "schedule.ics")
    assert [event.decoded("dtstart").date().isoformat() for event in events] == [
        "2027-03-10", "2027-03-24"]
    page = (project / "site" / "coaches" / "schedule.html").read_text()
    assert 'datetime="2027-03-10"' in page and 'datetime="2027-03-17"' not in page
    assert "no session on Wednesday, March 17, 2027" in page
    assert "Wed, Mar 24, 2027" in page


def test_each_agenda_has_its_timetable_and_what_to_bring_on_its_first_page(built):
    from test_pdf import CATALOG

    dated = sessions(CATALOG)
    for session in dated:
        first = PdfReader(built / "downloads" / "agendas" / f"{session.number}.pdf").pages[0]
        text = " ".join(first.extract_text().split())
        times = [slot.start.strftime("%-I:%M %p") for part in session.parts(
            session.starts.time()) for slot in part.slots]
        for expected in (*times, "What to bring"):
            assert expected in text, (session.number, expected)
    text = PdfReader(built / "downloads" / "agendas" / "1.pdf").pages[0].extract_text()
    plan = CATALOG.program.year_plans.every_two_weeks
    lesson = CATALOG.lessons[plan[0].lesson]
    first_part = dated[0].agenda.all_parts[0].segments[0]
    for expected in ("Tuesday, January 12, 2027", "2:00 PM to 3:30 PM",
                     CATALOG.agency.meeting.place, lesson.title, lesson.timing[0].title,
                     first_part.title, "3:00 PM", "What to bring"):
        assert expected in text, expected
    page = (built / "coaches" / "agendas" / "1.html").read_text()
    assert "3:00 PM" in page and f"../lessons/{lesson.id}.html" in page


def test_schedule_page_lists_and_links_every_session(built):
    from test_pdf import CATALOG

    page = (built / "coaches" / "schedule.html").read_text()
    plan = CATALOG.program.year_plans.every_two_weeks
    assert page.count('class="session-date"') == len(plan)
    assert f'href="agendas/{len(plan)}.html"' in page
    assert 'href="../downloads/schedule.ics"' in page
    assert "schedule.js" in page


@pytest.mark.parametrize("setting, expected", [
    ({"start_date": "2027-03-11"}, "content/agency.yml:13: meeting.start_date: 2027-03-11 is a "
                                   "Thursday, but the group meets on Wednesdays"),
    ({"time_zone": "Eastern"}, "content/agency.yml:13: meeting.time_zone: 'Eastern' is not a "
                               "time zone name"),
])
def test_impossible_meeting_settings_are_errors(tmp_path, cli, setting, expected):
    project = sample(tmp_path, "valid-minimal")
    _agency(project, **setting)
    result = cli(project, "check")
    assert result.exit_code == 1
    assert expected in result.stderr


def test_unusual_settings_are_warnings_not_errors(tmp_path, cli):
    project = sample(tmp_path, "valid-minimal")
    _agency(project, start_date="2027-03-10", skipped_dates="[2027-03-18]")
    path = project / "content" / "agency.yml"
    path.write_text(path.read_text().replace("amount: 40", "amount: 80"))
    result = cli(project, "check")
    assert result.exit_code == 0
    assert ("content/agency.yml:14: meeting.skipped_dates[0]: warning: no meeting falls on "
            "2027-03-18") in result.stderr
    assert "budget.amount: warning: the program suggests $35 to $60 a month; $80" in result.stderr
