"""The catalog: all valid content of an edition, by kind and id, as the builders read it.
Data only; the rules that make it are in ``generator.core.check``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.core import overlay
from generator.core.errors import Problem
from generator.core.load import Item
from generator.core.localize import PARTICIPANT_LESSON_FIELDS, Behind
from generator.core.models import Agency, Chapter, Form, Lesson, Program, SessionAgenda


@dataclass
class Catalog:
    """All valid content, by kind and id, with each item's source document for messages."""

    program: Program
    agency: Agency
    lessons: dict[str, Lesson] = field(default_factory=dict)
    forms: dict[str, Form] = field(default_factory=dict)
    sessions: dict[str, SessionAgenda] = field(default_factory=dict)
    chapters: dict[str, Chapter] = field(default_factory=dict)
    items: dict[tuple[str, str], Item] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    """Things worth a second look that do not stop the build."""
    changes: list[overlay.Change] = field(default_factory=list)
    """What an overlay replaces, adds and disables (empty without one)."""
    settings: dict[str, Item] = field(default_factory=dict)
    """The program and agency settings with the files they came from, for messages."""
    drafts: list[str] = field(default_factory=list)
    """Ids of the draft lessons left out of this catalog."""
    placeholders: list[Problem] = field(default_factory=list)
    """Agency settings that still hold a shipped placeholder: any makes a sample edition."""
    behind: Behind = field(default_factory=Behind)
    """In a translated edition, the member-facing texts left in English (their pages say
    so, and the PDFs that print them wait)."""
    unchecked: list[Problem] = field(default_factory=list)
    """Safety settings a release needs and these lack: the crisis lines' check date, the
    backup staff member."""
    untranslated: list[Problem] = field(default_factory=list)
    """Texts of a member's crisis box that a translated edition would print in English (no
    current translation): a release refuses them."""

    @property
    def sample(self) -> bool:
        """Whether this is a sample edition, marked as such on every page."""
        return bool(self.placeholders)

    @property
    def release_problems(self) -> list[Problem]:
        """What keeps this build from being a release: placeholders and missing safety
        settings, in file order."""
        return sorted([*self.placeholders, *self.unchecked, *self.untranslated])

    def lessons_in_order(self) -> list[Lesson]:
        """Lessons by their suggested sequence, then title."""
        return sorted(self.lessons.values(), key=lambda lesson: (lesson.sequence, lesson.title))

    def chapters_of(self, handbook: str) -> list[Chapter]:
        """The chapters of one handbook, in order."""
        return sorted((chapter for chapter in self.chapters.values()
                       if chapter.handbook == handbook),
                      key=lambda chapter: (chapter.order, chapter.title))


def participant_view(lesson: Lesson) -> dict[str, Any]:
    """The participant part of a lesson, as plain data: no facilitator script, no notes."""
    view = lesson.model_dump(include=set(PARTICIPANT_LESSON_FIELDS))
    view["activities"] = [
        {"title": activity.title, "member_instructions": activity.member_instructions}
        for activity in lesson.activities
    ]
    return view
