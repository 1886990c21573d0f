"""Agency values inside content text: ``{{ budget }}``, ``{{ agency }}`` and the like.

Content never hard-codes an amount, a name or a contact: it names a placeholder, and the
agency settings fill it in. Text is filled by Jinja's sandbox, so a content file can reach
nothing but these values.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from jinja2 import StrictUndefined, Template, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from generator.core.errors import Loc, Problem, field_name
from generator.core.language import ENGLISH, Language
from generator.core.models import Agency

if TYPE_CHECKING:
    from generator.core.parse import Document

_env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)


@lru_cache(maxsize=4096)
def _template(text: str) -> Template:
    """A text with placeholders, compiled once: an edition in another language fills the
    texts it leaves in English again, and the preview fills every text on each save."""
    return _env.from_string(text)


def money(agency: Agency, amount: int, language: Language = ENGLISH) -> str:
    """An amount as printed: symbol and digits, e.g. "$50"."""
    return language.money(amount, agency.budget.currency_symbol)


def values(agency: Agency, language: Language = ENGLISH) -> dict[str, str]:
    """The placeholders content may use, and what each becomes in the language."""
    _ = language.gettext
    coach = agency.coaches[0]
    meeting = agency.meeting
    warmline = agency.warmline
    backup = agency.backup_staff
    return {
        "agency": agency.agency_name,
        "program": agency.program_name,
        "budget": money(agency, agency.budget.amount, language),
        "receipt_days": str(agency.budget.receipt_deadline_days),
        "coach": coach.name,
        "coach_phone": coach.phone or _("(ask your coach)"),
        "coach_email": coach.email or _("(ask your coach)"),
        "agency_address": agency.address,
        "cadence": _("weekly") if meeting.cadence == "weekly" else _("every two weeks"),
        "meeting_place": meeting.place,
        "meeting_address": meeting.address,
        "meeting_day": language.weekday(meeting.weekday),
        "meeting_time": language.time12(meeting.time),
        "warmline": f"{warmline.name}{f' ({warmline.phone})' if warmline.phone else ''}",
        "journals": agency.journals,
        "backup": backup.name if backup else _("the backup staff member your agency names"),
        "backup_phone": (backup.phone if backup and backup.phone else _("(ask your agency)")),
    }


def fill(doc: Document, known: dict[str, str], problems: list[Problem]) -> None:
    """Replace placeholders in every text of the document, reporting unknown ones."""

    def visit(value: Any, loc: Loc) -> Any:
        if isinstance(value, dict):
            return {key: visit(item, (*loc, key)) for key, item in value.items()}
        if isinstance(value, list):
            return [visit(item, (*loc, index)) for index, item in enumerate(value)]
        if isinstance(value, str) and ("{{" in value or "{%" in value):
            try:
                return _template(value).render(known)
            except TemplateError as error:
                names = ", ".join("{{ %s }}" % name for name in known)
                problems.append(Problem(doc.path, doc.line(loc), field_name(loc),
                                        f"placeholder problem: {error.message}; "
                                        f"the placeholders are {names}"))
        return value

    doc.data = visit(doc.data, ())
