"""Stage 4: turn the catalog into website pages (Markdown) with strict Jinja2 templates.

Audience is a parameter of the render: participant templates receive a participant view of
a lesson that holds no coach-only field at all, so none can leak onto a member's page.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from generator.core.catalog import Catalog, participant_view
from generator.core.language import ENGLISH, Language
from generator.core.placeholders import money
from generator.core.sample import MARK
from generator.core.schedule import Session, place, title
from generator.builders import routes
from generator.builders.templating import Templates

def _cell(text: Any) -> str:
    """Text that fits in one Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def environment(template_dirs: list[Path], shown: Callable[[Path], str] = str,
                language: Language = ENGLISH) -> Templates:
    """The strict Jinja2 environment for site templates (first folder wins), in a language."""
    env = Templates(template_dirs, shown, language, keep_trailing_newline=True,
                    autoescape=False)  # the output is Markdown; content is checked Markdown
    env.filters["cell"] = _cell
    env.filters["clock"] = _clock
    return env


def split_front_matter(page: str) -> tuple[str, str]:
    """A page's front matter block (with its ``---`` lines; empty if it has none) and the
    Markdown after it."""
    if page.startswith("---\n"):
        end = page.find("\n---\n", 3)
        if end > 0:
            return page[:end + len("\n---\n")], page[end + len("\n---\n"):]
    return "", page


def search_matter(path: str, page: str, language: Language = ENGLISH) -> str:
    """The page with its audience as its tag (search shows each result's tags) and, for a
    dated agenda, a lower search boost, in its front matter.

    Skill areas are a separate front matter field (``skill_areas``, the tags plugin's), so
    the audience tags add no heading to the "Skill areas" page.
    """
    matter, body = split_front_matter(page)
    meta: Any = {}
    if matter:
        try:
            meta = yaml.safe_load(matter[4:-4])
        except yaml.YAMLError:
            meta = None
        if not isinstance(meta, dict):
            return page  # a broken template: its problem is reported, the page left as is
    meta["tags"] = [language.gettext(routes.audience_of(path))]
    boost = routes.search_boost(path)
    if boost is not None:
        meta.setdefault("search", {}).setdefault("boost", boost)
    matter = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{matter}---\n{body}"


def site_pages(catalog: Catalog, env: Templates, downloads: list[Any],
               dated: list[Session], reprinted: set[str] | None = None,
               members_only: bool = False, english_words: set[str] | None = None,
               waiting: list[Any] | None = None,
               editions: list[Language] = ()) -> dict[str, str]:
    """Every page of the website (or only the member pages): relative path to Markdown.

    ``downloads`` lists the written PDFs (with size and page count) for the downloads page
    and the links from lesson and form pages; ``dated`` is the program calendar.
    ``reprinted`` holds the PDFs new or changed since the previous edition, when one is
    configured (the "What's new" page is then added by the build). ``english_words``
    collects the pages that print a template word with no current translation. The
    member pages of a translated edition (``members_only``) come with their own home and
    downloads page, which lists ``waiting``, the PDFs held back until their translation
    is current. ``editions`` are the translated editions the downloads page points to.
    """
    lessons = catalog.lessons_in_order()
    forms = sorted(catalog.forms.values(), key=lambda form: form.title)
    route = routes.Routes(env.language.code)
    common = {
        "program": catalog.program,
        "agency": catalog.agency,
        "sample": catalog.sample,
        "lessons": lessons,
        "forms": forms,
        "route": route,
        "sessions": list(catalog.sessions.values()),
        "budget": money(catalog.agency, catalog.agency.budget.amount, env.language),
        "lesson_titles": {lesson.id: lesson.title for lesson in lessons},
        "manual": catalog.chapters_of("coach"),
        "downloads": downloads,
        "pdf_targets": {download.target for download in downloads},
        "handbook": catalog.chapters_of("participant"),
        "schedule": dated,
        "session_title": title,
        "session_place": lambda session: place(session, catalog.agency),
        "whats_new": reprinted is not None,
        "reprinted": reprinted or set(),
        "waiting": waiting or [],
        "editions": editions,
    }

    pages: dict[str, str] = {}

    def add(path: str, template: str, **extra: Any) -> None:
        env.language.clear_missed()
        pages[path] = env.page(template, {**common, **route.links(path), **extra})
        if env.language.clear_missed() and english_words is not None:
            english_words.add(path)

    if not members_only:
        add(route.home, "home.md.j2")
        add(route.coach_home, "coaches.md.j2")
        add(route.year_plan, "year-plan.md.j2")
        add(route.schedule, "schedule.md.j2")
        add(route.tags, "tags.md.j2")
        add(route.downloads, "downloads.md.j2")
    else:
        add(route.home, "home-members.md.j2")
        add(route.downloads, "downloads-members.md.j2")
    add(route.member_home, "participants.md.j2")
    for lesson in lessons:
        if not members_only:
            add(route.lesson_plan(lesson.id), "lesson-coach.md.j2", lesson=lesson)
        add(route.handout_page(lesson.id), "lesson-participant.md.j2",
            lesson=participant_view(lesson))
    for form in forms:
        if form.audience == "participant" or not members_only:
            add(route.form_page(form), "form.md.j2", form=form)
    if not members_only:
        for session in dated:
            add(route.agenda_page(session.number), "agenda.md.j2", session=session)
        for session in catalog.sessions.values():
            add(route.session_page(session.id), "session.md.j2", session=session)
    for chapter in catalog.chapters.values():
        if chapter.handbook == "participant" or not members_only:
            add(route.chapter_page(chapter), "chapter.md.j2", chapter=chapter)
    return {path: search_matter(path, text, env.language) for path, text in pages.items()}


def member_pages(catalog: Catalog, env: Templates, downloads: list[Any],
                 dated: list[Session], waiting: list[Any],
                 behind: dict[str, list[str]]) -> dict[str, str]:
    """The pages of a translated edition: its home, the member pages and its downloads
    (with ``waiting``, the PDFs held back until their translation is current). A page
    with texts or words still in English says so at its top."""
    english_on: set[str] = set()
    pages = site_pages(catalog, env, downloads, dated, members_only=True,
                       english_words=english_on, waiting=waiting)
    english_on |= {page for page in map(routes.Routes.item_page, behind) if page in pages}
    note = env.page("translation-note.md.j2", {})
    for path in english_on:
        matter, body = split_front_matter(pages[path])
        pages[path] = f"{matter}{note}\n{body}"
    return pages


def sample_marked(pages: dict[str, str], env: Templates) -> dict[str, str]:
    """Every page with the sample-edition mark on top, under its front matter (if any)."""
    mark = env.page("sample-mark.md.j2", {"sample_mark": env.language.gettext(MARK)})

    def marked(page: str) -> str:
        matter, body = split_front_matter(page)
        return f"{matter}{mark}\n{body}"

    return {path: marked(page) for path, page in pages.items()}
