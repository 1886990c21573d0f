"""Where every page and PDF of the site lives, and the navigation of each audience and
language. No other module or template spells a page path: code asks a ``Routes`` for an
address, and templates ask ``route`` for one and ``href`` (or ``pdf_href``) for the link to
it from the page being written.

Page paths are those of an edition's own pages folder (``coaches/lessons/grounding.md``); a
translated edition's site lives in the English site's folder of its language (``es/``).
PDFs are named by their target under the English site's ``downloads/`` (a translated
edition's under ``downloads/LANG/``).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from generator.core.catalog import Catalog
from generator.core.language import N_, SOURCE
from generator.core.models import Chapter, Form

Audience = Literal["everyone", "members"]
"""Who an edition's site is for: everyone (the English site: coach and member pages) or
members (a translated edition: the member pages, its home and its downloads)."""

DOWNLOADS = "downloads/"
"""The folder of the PDFs and the calendar file, in the English site."""
COACH_FOLDER = "coaches/"
MEMBER_FOLDER = "participants/"
"""The folder of the member pages: a translated edition is these, its home and downloads."""
AUDIENCES = ((COACH_FOLDER, N_("For coaches")), (MEMBER_FOLDER, N_("For members")))
"""Who the pages in each folder are for (as words to translate); every other page is for
everyone."""
EVERYONE = N_("For everyone")
SEARCH_BOOSTS = ((f"{COACH_FOLDER}agendas/", 0.5),)
"""Pages ranked below others in search: a dated agenda repeats its lesson's title and the
timing of its kind of session, so the lesson plan, the handout and the session page come
first for the same words."""

HOME = "index.md"
COACH_HOME = f"{COACH_FOLDER}index.md"
MEMBER_HOME = f"{MEMBER_FOLDER}index.md"
YEAR_PLAN = f"{COACH_FOLDER}year-plan.md"
SCHEDULE = f"{COACH_FOLDER}schedule.md"
TAGS = "tags.md"
DOWNLOADS_PAGE = "downloads.md"
WHATS_NEW = "whats-new.md"
CALENDAR = "schedule.ics"
"""The calendar file, under downloads/."""
HANDBOOK_PDF = "participant-handbook.pdf"
LARGE_PRINT_PDF = "participant-handbook-large-print.pdf"
COACH_MANUAL_PDF = "coach-manual.pdf"


@dataclass(frozen=True)
class Routes:
    """The addresses of one edition's pages and PDFs."""

    language: str = SOURCE
    """The edition's language code; a translated edition lives in the folder of its code."""

    # --- pages ---------------------------------------------------------------------------
    home = HOME
    coach_home = COACH_HOME
    member_home = MEMBER_HOME
    year_plan = YEAR_PLAN
    schedule = SCHEDULE
    tags = TAGS
    downloads = DOWNLOADS_PAGE
    whats_new = WHATS_NEW

    @staticmethod
    def lesson_plan(lesson: str) -> str:
        """The coach's page of a lesson."""
        return f"{COACH_FOLDER}lessons/{lesson}.md"

    @staticmethod
    def handout_page(lesson: str) -> str:
        """The member page of a lesson (its handout)."""
        return f"{MEMBER_FOLDER}lessons/{lesson}.md"

    @staticmethod
    def form_page(form: Form) -> str:
        """A form's page, with the member pages or the coach pages by who uses it."""
        folder = MEMBER_FOLDER if form.audience == "participant" else COACH_FOLDER
        return f"{folder}forms/{form.id}.md"

    @staticmethod
    def chapter_page(chapter: Chapter) -> str:
        """A chapter's page: the member handbook's or the coach manual's."""
        if chapter.handbook == "participant":
            return f"{MEMBER_FOLDER}handbook/{chapter.id}.md"
        return f"{COACH_FOLDER}manual/{chapter.id}.md"

    @staticmethod
    def agenda_page(number: int) -> str:
        """The dated agenda of a session of the year, by its number."""
        return f"{COACH_FOLDER}agendas/{number}.md"

    @staticmethod
    def session_page(session: str) -> str:
        """A kind of session's page (weekly group, outing...)."""
        return f"{COACH_FOLDER}sessions/{session}.md"

    @staticmethod
    def item_page(item: str) -> str | None:
        """The member page of a content item ("lesson:grounding"), if it has one."""
        kind, _, ident = item.partition(":")
        folder = {"lesson": "lessons", "form": "forms", "chapter": "handbook"}.get(kind)
        return f"{MEMBER_FOLDER}{folder}/{ident}.md" if folder else None

    # --- PDFs, by their target under downloads/ ------------------------------------------
    def pdf(self, name: str) -> str:
        """A PDF of this edition, under downloads/ (a translated one in its language's
        folder)."""
        return name if self.language == SOURCE else f"{self.language}/{name}"

    def handout_pdf(self, lesson: str) -> str:
        return self.pdf(f"handouts/{lesson}.pdf")

    def form_pdf(self, form: str) -> str:
        return self.pdf(f"forms/{form}.pdf")

    def agenda_pdf(self, number: int) -> str:
        return self.pdf(f"agendas/{number}.pdf")

    def handbook_pdf(self, large_print: bool = False) -> str:
        return self.pdf(LARGE_PRINT_PDF if large_print else HANDBOOK_PDF)

    def coach_manual_pdf(self) -> str:
        return self.pdf(COACH_MANUAL_PDF)

    @staticmethod
    def calendar() -> str:
        return CALENDAR

    # --- links --------------------------------------------------------------------------
    @property
    def root(self) -> str:
        """Where this edition's site is in the English site's folder."""
        return "" if self.language == SOURCE else f"{self.language}/"

    def href(self, page: str, to: str) -> str:
        """The link from a page of this edition to another of its pages."""
        return posixpath.relpath(to, posixpath.dirname(page) or ".")

    def pdf_href(self, page: str, target: str) -> str:
        """The link from a page of this edition to a file under downloads/ (PDFs are in the
        English site, a translated edition's under downloads/LANG/)."""
        return posixpath.relpath(DOWNLOADS + target, posixpath.dirname(self.root + page) or ".")

    def edition_href(self, page: str, language: str, to: str) -> str:
        """The link from a page of this edition to a page of another edition's site (as
        HTML: the engine builds each edition's site on its own)."""
        other = Routes(language)
        return posixpath.relpath(other.root + html(to), posixpath.dirname(self.root + page) or ".")

    def links(self, page: str) -> dict[str, Callable[..., str]]:
        """What the templates of ``page`` link with: ``href(page)``, ``pdf_href(target)``,
        ``edition_href(language, page)``."""
        return {"href": lambda to: self.href(page, to),
                "pdf_href": lambda target: self.pdf_href(page, target),
                "edition_href": lambda language, to: self.edition_href(page, language, to)}

    # --- navigation ---------------------------------------------------------------------
    def nav(self, catalog: Catalog, gettext: Callable[[str], str], audience: Audience,
            whats_new: bool = False) -> list[Any]:
        """The site navigation for an audience, in a language: the member pages for
        members; for everyone Home, (What's new,) For coaches, For participants,
        Downloads, Skill areas."""
        _ = gettext
        lessons = catalog.lessons_in_order()
        forms = sorted(catalog.forms.values(), key=lambda form: form.title)
        handbook = [{chapter.title: self.chapter_page(chapter)}
                    for chapter in catalog.chapters_of("participant")]
        members: list[Any] = [
            {_("Welcome"): MEMBER_HOME},
            *([{_("Your handbook"): handbook}] if handbook else []),
            {_("Lesson handouts"): [{lesson.title: self.handout_page(lesson.id)}
                                    for lesson in lessons]},
            {_("Forms"): [{form.title: self.form_page(form)} for form in forms
                          if form.audience == "participant"]},
        ]
        if audience == "members":
            return [{_("Home"): HOME}, *members, {_("Downloads"): DOWNLOADS_PAGE}]
        word = gettext  # the coach pages' words are English only: not marked for translation
        manual = [{chapter.title: self.chapter_page(chapter)}
                  for chapter in catalog.chapters_of("coach")]
        coach_forms = [{form.title: self.form_page(form)} for form in forms
                       if form.audience == "coach"]
        coaches: list[Any] = [
            {word("Program overview"): COACH_HOME},
            *([{word("Coach manual"): manual}] if manual else []),
            {word("Year plan"): YEAR_PLAN},
            {word("Schedule"): SCHEDULE},
            *({session.title: self.session_page(session.id)}
              for session in catalog.sessions.values()),
            {word("Lesson plans"): [{lesson.title: self.lesson_plan(lesson.id)}
                                    for lesson in lessons]},
            *([{word("Coach forms"): coach_forms}] if coach_forms else []),
        ]
        return [
            {_("Home"): HOME},
            *([{word("What's new"): WHATS_NEW}] if whats_new else []),
            {word("For coaches"): coaches},
            {word("For participants"): members},
            {_("Downloads"): DOWNLOADS_PAGE},
            {word("Skill areas"): TAGS},
        ]


def html(page: str) -> str:
    """The address of a page in the built site."""
    return page.removesuffix(".md") + ".html"


def audience_of(page: str) -> str:
    """Who a page of the site is for, by its folder: "For coaches", "For members" (as words
    to translate)."""
    return next((tag for folder, tag in AUDIENCES if page.startswith(folder)), EVERYONE)


def search_boost(page: str) -> float | None:
    """A page's search boost, when it ranks below others."""
    return next((boost for folder, boost in SEARCH_BOOSTS if page.startswith(folder)), None)


def group_of(target: str, language: str = SOURCE) -> str:
    """A PDF's kind, its folder under downloads/ (or downloads/LANG/): handouts, forms,
    agendas, or "handbooks" for the handbooks and the coach manual."""
    target = target.removeprefix(f"{language}/")
    return target.split("/", 1)[0] if "/" in target else "handbooks"
