"""The sample edition: agency settings that still hold the shipped placeholders.

The upstream ``content/agency.yml`` holds neutral placeholders ("Your Agency", numbers from
the fictional 555-0100 to 555-0199 range) so that a fresh clone builds. While any setting
still holds one, the build is a *sample edition*: every page of every output says so, no
placeholder phone number or e-mail address prints as a contact (a crisis or warm line
becomes a blank write-in line), no "checked on" date prints, and ``build --release``
refuses. The agency's own details remove every mark.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

from generator.core.errors import Loc, Problem, field_name, texts
from generator.core.language import N_
from generator.core.models import Agency, Contact

MARK = N_("Sample edition: put your agency’s details in content/agency.yml before printing "
           "for members")
"""What every page of a sample edition says."""

FICTIONAL_PHONE = re.compile(r"(?<!\d)555[-. ]?01\d\d(?!\d)")
"""Numbers set aside for fiction (555-0100 to 555-0199), with or without an area code."""
EXAMPLE_EMAIL = re.compile(r"@(?:[\w-]+\.)*(?:example\.(?:com|net|org)|example|test|invalid)$",
                           re.IGNORECASE)
"""Addresses at domains reserved for examples (RFC 2606), which reach no one."""
SHIPPED_WORDS = ("Your Agency", "Your Town", "Your Peer Coach", "Your Backup", "ST 00000",
                 "Your warm line's hours", "Your crisis line's hours", "Your coach's hours")
"""Words of the upstream placeholders that no real setting holds."""

CONTACT_HINTS = {
    "phone": "write the real number",
    "email": "write a real e-mail address, or leave the line out",
    "hours": "write when it answers, as members should read it (every day, 5 pm to 11 pm)",
}
"""What to put in place of a placeholder number or address, wherever it sits."""
HINTS = {
    "agency_name": "write your agency's name",
    "address": "write your agency's postal address",
    "coaches": "write your peer coach's name",
    "meeting": "write where the group meets",
    "warmline": "write your local peer warm line and its number",
    "crisis": "write your local crisis line and its number, or remove the line",
    "backup_staff": "write the staff member who steps in during a crisis in a session",
}
"""What to put in place of any other placeholder, by the group of settings it sits in."""


class Located(Protocol):
    """A parsed settings file (``load.Document``): its data and where each value sits."""

    path: str
    data: Any

    def line(self, loc: Loc) -> int: ...


def is_placeholder(text: str) -> bool:
    """Whether a setting's text is (or holds) a shipped placeholder."""
    return bool(FICTIONAL_PHONE.search(text) or EXAMPLE_EMAIL.search(text.strip())
                or any(word in text for word in SHIPPED_WORDS))


def placeholders(doc: Located) -> list[Problem]:
    """Every agency setting that still holds a shipped placeholder, at its line."""
    found = []
    for loc, value in texts(doc.data):
        if is_placeholder(value):
            hint = CONTACT_HINTS.get(str(loc[-1])) or HINTS.get(str(loc[0]), "write your own")
            what = ("is a fictional number (555-0100 to 555-0199)"
                    if FICTIONAL_PHONE.search(value) else "is the shipped placeholder")
            found.append(Problem(doc.path, doc.line(loc), field_name(loc),
                                 f"'{value}' {what}; {hint}"))
    return found


def unchecked(doc: Located, agency: Agency) -> list[Problem]:
    """Safety settings a release needs and these lack: the crisis lines' check date, and
    the backup staff member for a crisis during a session."""
    found = []
    if agency.crisis.verified_on is None:
        found.append(Problem(doc.path, doc.line(("crisis",)), "crisis.verified_on",
                             "no date: call each crisis line and the warm line, then write "
                             "the date you did (verified_on: 2027-01-05); until then no line "
                             "prints as checked"))
    if agency.backup_staff is None:
        found.append(Problem(doc.path, 1, "backup_staff",
                             "no backup staff member: name the person on site or on call who "
                             "steps in if a member is in crisis during a session (backup_staff: "
                             "with name and phone)"))
    return found


def _real(contact: Contact) -> Contact:
    """The contact without a placeholder phone number or e-mail address."""
    return contact.model_copy(update={
        key: None for key in ("phone", "email")
        if getattr(contact, key) and is_placeholder(getattr(contact, key))})


def printable(agency: Agency) -> Agency:
    """The settings as every output prints them: a placeholder number or address is left
    out, so that it can never be taken for a real contact (templates then print a blank
    write-in line or "ask your coach")."""
    crisis = agency.crisis.model_copy(
        update={"local_lines": [_real(line) for line in agency.crisis.local_lines]})
    return agency.model_copy(update={
        "coaches": [_real(coach) for coach in agency.coaches],
        "backup_staff": _real(agency.backup_staff) if agency.backup_staff else None,
        "warmline": _real(agency.warmline),
        "crisis": crisis,
    })
