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
from generator.core.language import ENGLISH, N_, Language
from generator.core.models import Chapter, Form, Lesson
from generator.core.placeholders import money
from generator.core.sample import MARK
from generator.core.schedule import Session, place, title
from generator.builders.templating import Templates


def environment(template_dirs: list[Path], shown: Callable[[Path], str] = str,
                language: Language = ENGLISH) -> Templates:
    """The strict Jinja2 environment for site templates (first folder wins), in a language."""
    return Templates(template_dirs, shown, language, keep_trailing_newline=True,
                     autoescape=False)  # the output is Markdown; content is checked Markdown


AUDIENCES = (("coaches/", N_("For coaches")), ("participants/", N_("For members")))
"""Who the pages in each folder are for; every other page is for everyone."""
EVERYONE = N_("For everyone")
SEARCH_BOOSTS = (("coaches/agendas/", 0.5),)
"""Pages ranked below others in search: a dated agenda repeats its lesson's title and the
timing of its kind of session, so the lesson plan, the handout and the session page come
first for the same words."""


def audience(path: str) -> str:
    """Who a page of the site is for, by its folder: "For coaches", "For members"."""
    return next((tag for folder, tag in AUDIENCES if path.startswith(folder)), EVERYONE)


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
    meta["tags"] = [language.gettext(audience(path))]
    for folder, boost in SEARCH_BOOSTS:
        if path.startswith(folder):
            meta.setdefault("search", {}).setdefault("boost", boost)
    matter = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{matter}---\n{body}"


def form_page(form: Form) -> str:
    folder = "participants" if form.audience == "participant" else "coaches"
    return f"{folder}/forms/{form.id}.md"


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
    common = {
        "program": catalog.program,
        "agency": catalog.agency,
        "sample": catalog.sample,
        "lessons": lessons,
        "forms": forms,
        "form_page": form_page,
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
        pages[path] = env.page(template, {**common, **extra})
        if env.language.clear_missed() and english_words is not None:
            english_words.add(path)

    if not members_only:
        add("index.md", "home.md.j2")
        add("coaches/index.md", "coaches.md.j2")
        add("coaches/year-plan.md", "year-plan.md.j2")
        add("coaches/schedule.md", "schedule.md.j2")
        add("tags.md", "tags.md.j2")
        add("downloads.md", "downloads.md.j2")
    else:
        add("index.md", "home-members.md.j2")
        add("downloads.md", "downloads-members.md.j2")
    add("participants/index.md", "participants.md.j2")
    for lesson in lessons:
        if not members_only:
            add(f"coaches/lessons/{lesson.id}.md", "lesson-coach.md.j2", lesson=lesson)
        add(f"participants/lessons/{lesson.id}.md", "lesson-participant.md.j2",
            lesson=participant_view(lesson))
    for form in forms:
        if form.audience == "participant" or not members_only:
            add(form_page(form), "form.md.j2", form=form)
    if not members_only:
        for session in dated:
            add(f"coaches/agendas/{session.number}.md", "agenda.md.j2", session=session)
        for session in catalog.sessions.values():
            add(f"coaches/sessions/{session.id}.md", "session.md.j2", session=session)
    for chapter in catalog.chapters.values():
        if chapter.handbook == "participant" or not members_only:
            add(chapter_page(chapter), "chapter.md.j2", chapter=chapter)
    return {path: search_matter(path, text, env.language) for path, text in pages.items()}


MEMBER_FOLDER = "participants/"
"""The folder of the member pages: a translated edition is these, its home and downloads."""


def item_page(item: str) -> str | None:
    """The member page of a content item ("lesson:grounding"), if it has one."""
    kind, ident = item.split(":", 1)
    folder = {"lesson": "lessons", "form": "forms", "chapter": "handbook"}.get(kind)
    return f"{MEMBER_FOLDER}{folder}/{ident}.md" if folder else None


def member_pages(catalog: Catalog, env: Templates, downloads: list[Any],
                 dated: list[Session], waiting: list[Any],
                 behind: dict[str, list[str]]) -> dict[str, str]:
    """The pages of a translated edition: its home, the member pages and its downloads
    (with ``waiting``, the PDFs held back until their translation is current). A page
    with texts or words still in English says so at its top."""
    english_on: set[str] = set()
    pages = site_pages(catalog, env, downloads, dated, members_only=True,
                       english_words=english_on, waiting=waiting)
    english_on |= {page for page in map(item_page, behind) if page in pages}
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


def chapter_page(chapter: Chapter) -> str:
    folder = "participants/handbook" if chapter.handbook == "participant" else "coaches/manual"
    return f"{folder}/{chapter.id}.md"


def member_nav(catalog: Catalog, language: Language) -> list[Any]:
    """The navigation of a translated edition: home, the member pages, downloads."""
    _ = language.gettext
    forms = sorted(catalog.forms.values(), key=lambda form: form.title)
    handbook = [{chapter.title: chapter_page(chapter)}
                for chapter in catalog.chapters_of("participant")]
    return [
        {_("Home"): "index.md"},
        {_("Welcome"): f"{MEMBER_FOLDER}index.md"},
        *([{_("Your handbook"): handbook}] if handbook else []),
        {_("Lesson handouts"): [{lesson.title: f"{MEMBER_FOLDER}lessons/{lesson.id}.md"}
                                for lesson in catalog.lessons_in_order()]},
        {_("Forms"): [{form.title: form_page(form)} for form in forms
                      if form.audience == "participant"]},
        {_("Downloads"): "downloads.md"},
    ]


def nav(catalog: Catalog, whats_new: bool = False) -> list[Any]:
    """The site navigation: Home, (What's new,) For coaches, For participants, Downloads."""
    lessons = catalog.lessons_in_order()
    forms = sorted(catalog.forms.values(), key=lambda form: form.title)
    coach_forms = [{form.title: form_page(form)} for form in forms if form.audience == "coach"]
    manual = [{chapter.title: chapter_page(chapter)} for chapter in catalog.chapters_of("coach")]
    handbook = [{chapter.title: chapter_page(chapter)}
                for chapter in catalog.chapters_of("participant")]
    coaches: list[Any] = [
        {"Program overview": "coaches/index.md"},
        *([{"Coach manual": manual}] if manual else []),
        {"Year plan": "coaches/year-plan.md"},
        {"Schedule": "coaches/schedule.md"},
        *({session.title: f"coaches/sessions/{session.id}.md"}
          for session in catalog.sessions.values()),
        {"Lesson plans": [{lesson.title: f"coaches/lessons/{lesson.id}.md"}
                          for lesson in lessons]},
    ]
    if coach_forms:
        coaches.append({"Coach forms": coach_forms})
    participants: list[Any] = [
        {"Welcome": "participants/index.md"},
        *([{"Your handbook": handbook}] if handbook else []),
        {"Lesson handouts": [{lesson.title: f"participants/lessons/{lesson.id}.md"}
                             for lesson in lessons]},
        {"Forms": [{form.title: form_page(form)} for form in forms
                   if form.audience == "participant"]},
    ]
    return [
        {"Home": "index.md"},
        *([{"What's new": "whats-new.md"}] if whats_new else []),
        {"For coaches": coaches},
        {"For participants": participants},
        {"Downloads": "downloads.md"},
        {"Skill areas": "tags.md"},
    ]
