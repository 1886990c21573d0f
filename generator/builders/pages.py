"""Stage 4: turn the catalog into website pages (Markdown) with strict Jinja2 templates.

Audience is a parameter of the render: participant templates receive a participant view of
a lesson that holds no coach-only field at all, so none can leak onto a member's page.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from generator.core.catalog import participant_view
from generator.core.errors import ContentError
from generator.core.markup import active_pages
from generator.core.language import Language
from generator.core.localize import item_of
from generator.core.placeholders import money
from generator.core.sample import MARK
from generator.core.schedule import place, title
from generator.builders import routes, site
from generator.builders.context import Build, Context, prepared
from generator.builders.templating import Templates


def environment(template_dirs: list[Path], shown: Callable[[Path], str],
                language: Language) -> Templates:
    """The strict Jinja2 environment for site templates (first folder wins), in a language."""
    return Templates(template_dirs, shown, language, keep_trailing_newline=True,
                     autoescape=False)  # the output is Markdown; content is checked Markdown


def split_front_matter(page: str) -> tuple[str, str]:
    """A page's front matter block (with its ``---`` lines; empty if it has none) and the
    Markdown after it."""
    if page.startswith("---\n"):
        end = page.find("\n---\n", 3)
        if end > 0:
            return page[:end + len("\n---\n")], page[end + len("\n---\n"):]
    return "", page


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
"""PyYAML's safe loader and dumper, in C where it has libyaml (its wheels do): a page's
front matter is read and written once per page."""


def search_matter(path: str, page: str, language: Language) -> str:
    """The page with its audience as its tag (search shows each result's tags) and, for a
    dated agenda, a lower search boost, in its front matter.

    Skill areas are a separate front matter field (``skill_areas``, the tags plugin's), so
    the audience tags add no heading to the "Skill areas" page.
    """
    matter, body = split_front_matter(page)
    meta: Any = {}
    if matter:
        try:
            meta = yaml.load(matter[4:-4], Loader=_LOADER)
        except yaml.YAMLError:
            meta = None
        if not isinstance(meta, dict):
            return page  # a broken template: its problem is reported, the page left as is
    meta["tags"] = [language.gettext(routes.audience_of(path))]
    boost = routes.search_boost(path)
    if boost is not None:
        meta.setdefault("search", {}).setdefault("boost", boost)
    matter = yaml.dump(meta, Dumper=_DUMPER, sort_keys=False, allow_unicode=True,
                       width=10_000)
    return f"---\n{matter}---\n{body}"


def unreviewed_pages(edition: Context, pages: set[str]) -> set[str]:
    """The pages of a translated edition that print a translation no qualified translator
    has reviewed: every page while a word of the templates or an agency text is one (each
    page prints them), else the member pages of the items that hold one."""
    language = edition.language
    if language.source or not language.unreviewed:
        return set()
    items = {item_of(key) for key in language.unreviewed if key in language.content}
    if language.unreviewed - language.content.keys() or "agency" in items:
        return pages
    return {page for page in map(edition.routes.item_page, items) if page in pages}


def site_pages(edition: Context, env: Templates, downloads: list[Any],
               waiting: list[Any] = (), reprinted: set[str] | None = None,
               editions: list[Language] = ()) -> dict[str, str]:
    """Every page of an edition's site, for its audience: relative path to Markdown.

    ``downloads`` lists the written PDFs (with size and page count) for the downloads page
    and the links from lesson and form pages. ``reprinted`` holds the PDFs new or changed
    since the previous edition, when one is configured (the "What's new" page is then
    added by the build). For members (a translated edition), the member pages come with
    their own home and downloads page, which lists ``waiting``, the PDFs held back until
    their translation is current; a page with texts or words still in English says so at
    its top. ``editions`` are the translated editions the downloads page points to.
    """
    catalog, dated = edition.catalog, edition.dated
    members_only = edition.audience == "members"
    lessons = catalog.lessons_in_order()
    forms = sorted(catalog.forms.values(), key=lambda form: form.title)
    route = edition.routes
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
        "waiting": list(waiting),
        "editions": editions,
    }

    pages: dict[str, str] = {}
    english_on: set[str] = set()

    def add(path: str, template: str, **extra: Any) -> None:
        pages[path], missed = env.render(template, {**common, **route.links(path), **extra})
        if missed:
            english_on.add(path)

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
    english_on |= {page for page in map(route.item_page, catalog.behind.texts)
                   if page in pages}
    notes = [(english_on, "translation-note.md.j2"),
             (unreviewed_pages(edition, set(pages)), "unreviewed-note.md.j2")]
    for on, template in notes:
        note = env.page(template, {}) if on else ""
        for path in on:
            matter, page = split_front_matter(pages[path])
            pages[path] = f"{matter}{note}\n{page}"
    return {path: search_matter(path, text, env.language) for path, text in pages.items()}


def edition_pages(edition: Context, env: Templates, downloads: list[Any],
                  waiting: list[Any] = (), whats_new: tuple[Any, str] | None = None,
                  editions: list[Language] = ()) -> dict[str, str]:
    """Every page of an edition's site (``site_pages``), with the "What's new" page
    (``whats_new``: the report and its page) and the sample-edition mark where they apply;
    raises ContentError for broken templates and for pages that would run code."""
    pages = site_pages(edition, env, downloads, waiting,
                       whats_new[0].reprint_targets if whats_new else None, editions)
    env.raise_problems()
    active = active_pages(pages)
    if active:
        raise ContentError(active)
    if whats_new:
        pages[routes.WHATS_NEW] = whats_new[1]
    return sample_marked(pages, env) if edition.catalog.sample else pages


def sample_marked(pages: dict[str, str], env: Templates) -> dict[str, str]:
    """Every page with the sample-edition mark on top, under its front matter (if any)."""
    mark = env.page("sample-mark.md.j2", {"sample_mark": env.language.gettext(MARK)})

    def marked(page: str) -> str:
        matter, body = split_front_matter(page)
        return f"{matter}{mark}\n{body}"

    return {path: marked(page) for path, page in pages.items()}


class PagesBuilder:
    """The Markdown pages of every edition's site, with their assets and images, in the
    folders the site engine reads."""

    name = "pages"
    preparing = None
    writing = "Writing the pages"
    needs: tuple[str, ...] = ("pdf",)

    def prepare(self, edition: Context, build: Build) -> dict[str, str]:
        project = edition.project
        env = environment(project.template_dirs("site"), project.shown, edition.language)
        code = edition.language.code
        downloads = [download for download in build.made.get("pdf", [])
                     if download.language == code]
        jobs = prepared(build, "pdf", edition) or []
        return edition_pages(edition, env, downloads, [job for job in jobs if job.held],
                             prepared(build, "changes", edition),
                             [other.language for other in build.editions
                              if edition.source and not other.source])

    def write(self, prepared: list[tuple[Context, dict[str, str]]], build: Build) -> None:
        for edition, pages in prepared:
            docs = build.docs(edition)
            site.write_pages(pages, docs)
            site.copy_assets(edition.project, edition.catalog, docs)
            site.copy_images(edition.project, pages, docs)
