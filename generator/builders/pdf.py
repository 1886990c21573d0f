"""Stage 5c: printable PDFs with WeasyPrint.

Each document is rendered to HTML by the strict print templates (``templates/print/``), then
written as a tagged, fillable PDF. WeasyPrint may read only files inside the project and the
font package, and fetches nothing from the network. PDFs render in a process pool, and a
PDF is reused while its HTML, the images it prints, the fonts, the code that writes it and
the libraries that code runs are those of the last build.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import multiprocessing.util
import os
from collections.abc import Callable, Iterator
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse
from urllib.request import url2pathname


from generator.core import files, review
from generator.builders import book, fillable
from generator.builders.code_key import code_key
from generator.core.characters import FONT_DIR
from generator.core.catalog import Catalog, participant_view
from generator.core.errors import ContentError, EngineError, Problem
from generator.core.translate import catalog_path, update_command
from generator.core.write import die_with
from generator.core.language import SOURCE, Language
from generator.core.localize import item_of
from generator.core.markup import active_pages, to_html, to_inline_html
from generator.core.placeholders import money
from generator.core.project import Project
from generator.core.sample import MARK
from generator.core.schedule import Session, sessions, title
from generator.builders import routes
from generator.builders.context import Build, Context
from generator.builders.routes import Audience
from generator.builders.templating import Templates


@dataclass(frozen=True)
class Listing:
    """How the downloads page lists a PDF: for whom, its link text and what it is, and who
    fills in a form or when an agenda's session meets."""

    audience: Literal["members", "coaches"]
    """Who uses it: members (their handbooks, handouts and forms) or coaches (the manual,
    coach forms and agendas)."""
    label: str
    """Its link text, within its list (a handout is listed by its lesson's title)."""
    about: str | None = None
    """What it is, in one line; none for a session agenda, listed by its lesson."""
    fills_in: str | None = None
    """For a form: who writes on it, "member", "coach", "together" or "no one"."""
    date: dt.date | None = None
    """For a session agenda: the day of its session, when the agency has a start date."""
    lesson: str | None = None
    """For a session agenda: what its session is called, e.g. "Practice: Grounding"."""


@dataclass(frozen=True)
class PrintJob:
    """One PDF to write: where it goes under downloads/, and its HTML."""

    target: str
    """Where the PDF goes, under downloads/."""
    title: str
    """Its title on its own, as the "What's new" page and `curriculum changes` name it."""
    html: str
    """The whole document, ready for WeasyPrint."""
    listing: Listing
    """How the downloads page lists it."""
    includes: frozenset[tuple[str, str]] = frozenset()
    """The content items printed in it, as (kind, id); every PDF also carries the program
    and agency settings."""
    language: str = SOURCE
    """The language it is printed in; a translated PDF goes under downloads/LANG/."""
    held: tuple[str, ...] = ()
    """For a translated PDF, what it would print in English: the addresses of texts and the
    words whose translation is missing or out of date. A held PDF is not printed."""

    @property
    def group(self) -> str:
        """Its kind (its folder): handouts, forms, agendas or handbooks."""
        return folder_of(self)


@dataclass(frozen=True)
class Download:
    """A written PDF as the downloads page lists it."""

    target: str
    """Where the PDF is, under downloads/."""
    title: str
    """Its title on its own."""
    group: str
    """Its kind, which is its folder under downloads/: handouts, forms or agendas; the
    handbooks and the coach manual are "handbooks"."""
    size: int
    """Its size in bytes."""
    pages: int
    """How many pages it has."""
    listing: Listing
    """How the downloads page lists it."""
    language: str = SOURCE
    """The language it is printed in."""


def environment(template_dirs: list[Path], shown: Callable[[Path], str],
                language: Language) -> Templates:
    """Strict Jinja2 environment for the print templates, in a language: HTML templates
    escape what they print; the Markdown blocks they share with the site (``*.md.j2``) are
    Markdown as on the site, and become HTML through the ``md`` filter, which sanitises."""
    env = Templates(template_dirs, shown, language, autoescape=_escapes)
    env.filters["md"] = to_html
    env.filters["md_inline"] = to_inline_html
    return env


def _escapes(name: str | None) -> bool:
    return not (name or "").endswith(".md.j2")


def jobs(catalog: Catalog, env: Templates, dated: list[Session],
         audience: Audience = "everyone") -> list[PrintJob]:
    """Every PDF of an edition for its audience: for everyone the handbooks, handouts,
    forms, coach manual and one agenda per session; for members (a translated edition) the
    member PDFs only (handbooks, handouts, member forms), each with what holds it back."""
    coaches = audience == "everyone"
    language = env.language
    _ = language.gettext
    agency = catalog.agency
    lessons = catalog.lessons_in_order()
    forms = sorted(catalog.forms.values(), key=lambda form: form.title)
    participant_forms = [form for form in forms if form.audience == "participant"]
    common: dict[str, Any] = {
        "program": catalog.program,
        "agency": agency,
        "sample": catalog.sample,
        "sample_mark": _(MARK),
        "unreviewed_mark": _(review.NOTE),
        "unreviewed": False,
        "budget": money(agency, agency.budget.amount, language),
        "font_dir": FONT_DIR.as_uri(),
        "paper": "A4" if agency.paper_size == "a4" else "letter",
        "large_print": False,
        "lesson_titles": {lesson.id: lesson.title for lesson in lessons},
    }
    found: list[PrintJob] = []
    route = routes.Routes(language.code)
    # a translation no qualified translator reviewed: the template words and the agency's
    # texts print in every PDF, an item's texts in the PDFs that print the item
    unreviewed_items = {item_of(key) for key in language.unreviewed if key in language.content}
    every_pdf_unreviewed = bool(language.unreviewed - language.content.keys()
                                or "agency" in unreviewed_items)

    def add(target: str, title: str, template: str, listing: Listing,
            includes: frozenset[tuple[str, str]], heading: str | None = None,
            **extra: Any) -> None:
        """A PDF; ``heading`` is the title its pages print, when not its own title."""
        unreviewed = bool(every_pdf_unreviewed or any(
            f"{kind}:{ident}" in unreviewed_items for kind, ident in includes))
        html, missed = env.render(template, {**common, "title": heading or title,
                                             "unreviewed": unreviewed, **extra})
        held = [context for kind, ident in sorted(includes)
                for context in catalog.behind.texts.get(f"{kind}:{ident}", [])]
        held += sorted(missed)
        found.append(PrintJob(target, title, html, listing, includes, language.code,
                              tuple(held)))

    handbook = {"chapters": catalog.chapters_of("participant"),
                "lessons": [participant_view(lesson) for lesson in lessons],
                "forms": participant_forms}
    in_handbook = _items(lesson=lessons, form=participant_forms, chapter=handbook["chapters"])
    add(route.handbook_pdf(), _("Participant handbook"), "participant-handbook.html.j2",
        Listing("members", _("Participant handbook"),
                _("Give one to each member: how the group works, the social budget, and every "
                  "handout and member form.")), in_handbook, **handbook)
    add(route.handbook_pdf(large_print=True), _("Participant handbook, large print"),
        "participant-handbook.html.j2",
        Listing("members", _("Participant handbook, large print"),
                _("The same handbook in 18 pt type, for a member who finds small print hard "
                  "to read.")), in_handbook, heading=_("Participant handbook"), **handbook,
        large_print=True)
    if coaches:
        coach_manual = {"chapters": catalog.chapters_of("coach"), "lessons": lessons,
                        "forms": forms, "sessions": list(catalog.sessions.values())}
        add(route.coach_manual_pdf(), "Coach manual", "coach-manual.html.j2",
            Listing("coaches", "Coach manual",
                    "How to run the group, with every lesson plan and session agenda and "
                    "master copies of all forms."),
            _items(lesson=lessons, form=forms, chapter=coach_manual["chapters"],
                   session=coach_manual["sessions"]), **coach_manual)
    for lesson in lessons:
        add(route.handout_pdf(lesson.id), _("%(lesson)s: handout") % {"lesson": lesson.title},
            "handout.html.j2", Listing("members", lesson.title, lesson.framing_questions[0]),
            _items(lesson=[lesson]), lesson=participant_view(lesson))
    for form in forms if coaches else participant_forms:
        add(route.form_pdf(form.id), form.title, "form.html.j2",
            Listing("members" if form.audience == "participant" else "coaches", form.title,
                    form.purpose, fills_in=form.who_fills_in), _items(form=[form]), form=form)
    for session in dated if coaches else []:
        name = f"Session {session.number} agenda"
        found.append(PrintJob(route.agenda_pdf(session.number), f"{name}: {title(session)}",
                              env.page("agenda.html.j2", {**common, "title": name,
                                                          "session": session,
                                                          "session_title": title(session)}),
                              Listing("coaches", f"Session {session.number}",
                                      date=session.starts.date() if session.starts else None,
                                      lesson=title(session)),
                              _items(lesson=[session.lesson], session=[session.agenda])))
    return found


def prepare(project: Project, catalog: Catalog, language: Language,
            audience: Audience = "everyone") -> list[PrintJob]:
    """Every PDF of an edition in its language, for its audience, as print pages from the
    project's print templates; raises ContentError listing every broken template."""
    env = environment(project.template_dirs("print"), project.shown, language)
    found = jobs(catalog, env, sessions(catalog), audience)
    env.raise_problems()
    active = active_pages({routes.DOWNLOADS + job.target: job.html for job in found})
    if active:
        raise ContentError(active)
    return found


def _items(**by_kind: list[Any]) -> frozenset[tuple[str, str]]:
    """(kind, id) of every item given, by kind: ``_items(lesson=[...], form=[...])``."""
    return frozenset((kind, item.id) for kind, items in by_kind.items() for item in items)


def folder_of(job: PrintJob | Download) -> str:
    """A PDF's kind, its folder under downloads/ (or downloads/LANG/): handouts, forms,
    agendas, or "handbooks" for the handbooks and the coach manual."""
    return routes.group_of(job.target, job.language)


def writer_key() -> str:
    """What every PDF depends on besides its print page: the fonts' bytes, the generator's
    code that writes a PDF (``_work`` and all it runs of the generator: this module's
    writing part, ``book``, ``fillable``, the file checks of the fetcher) and the installed
    versions of the libraries that code uses (WeasyPrint, pikepdf, fontTools and all they
    require). Read from the code, see ``code_key``; computed once per build."""
    digest = hashlib.sha256(code_key(_work).encode())
    for font in sorted(FONT_DIR.glob("*.ttf")):
        digest.update(f"{font.name}:{hashlib.sha256(font.read_bytes()).hexdigest()}\n".encode())
    return digest.hexdigest()


def _fingerprint(job: PrintJob, writer: str) -> str:
    """What the PDF depends on: its HTML (templates, content, settings) and ``writer``;
    the files it read besides (images) are in its stamp."""
    return book.key(writer, job.html)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files_read(project: Project, paths: list[Path]) -> dict[str, str]:
    """The files a PDF read (its images; the fonts are in ``writer_key``), each with a hash
    of its bytes, by its path in the project (absolute for a file of the overlay)."""
    root = project.root.resolve()
    return {(path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)):
            _digest(path) for path in paths}


def _current(stamp: dict[str, Any], fingerprint: str, root: Path,
             digests: dict[Path, str | None]) -> bool:
    """Whether a written PDF is what its job would write now: the same fingerprint, and
    every file it read unchanged (``digests`` keeps the hashes already made this build)."""
    if stamp.get("fingerprint") != fingerprint:
        return False
    for where, digest in stamp.get("read", {}).items():
        path = root / where
        if path not in digests:
            try:
                digests[path] = _digest(path)
            except OSError:  # moved or removed: the PDF is rendered again
                digests[path] = None
        if digests[path] != digest:
            return False
    return True


def _stamp(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


PARTS = "pdf-parts"
"""Next to the stamps: the PDF of each part of a book, named by its key, with its stamp."""


@dataclass(frozen=True)
class Binding:
    """A book to bind from its parts' PDFs (``book``), in a worker process."""

    html: str
    """The book's whole print page."""
    target: str
    """Where the book's PDF goes."""
    name: str
    """Its path under downloads/, for messages."""
    project: Project
    """The project its files come from."""
    stamp: str
    """Where its stamp goes."""
    fingerprint: str
    """What it is made from (``_fingerprint``)."""
    writer: str
    """``writer_key``, which every part's key includes."""
    parts: str
    """The folder of the parts' PDFs."""


def write_all(project: Project, print_jobs: list[PrintJob], folder: Path, stamps: Path,
              workers: int | None = None,
              step: Callable[[int, int, str], None] | None = None) -> list[Download]:
    """Write every PDF into ``folder``; reuse those whose inputs did not change.

    ``stamps`` keeps each written PDF's fingerprint (its print page and ``writer_key``), the
    files it read with a hash of each, and its page count, so that an unchanged PDF is
    neither rendered nor read again. A book (``book``) is printed in parts, kept next to the
    stamps, and bound: an edit renders again only the parts it changed. PDFs of items that
    no longer exist are removed, and parts no book uses. Returns what the downloads page
    lists.
    """
    todo: list[tuple[str, str, str, Project, str, str, bool]] = []
    bindings: list[Binding] = []
    written = []
    writer = writer_key()
    root = project.root.resolve()
    parts_folder = stamps.parent / PARTS
    used: set[str] = set()
    digests: dict[Path, str | None] = {}
    for job in print_jobs:
        target = folder / job.target
        stamp = stamps / (job.target + ".json")
        fingerprint = _fingerprint(job, writer)
        written.append(target)
        cut = book.split(job.html)
        old = _stamp(stamp)
        current = target.is_file() and _current(old, fingerprint, root, digests)
        if cut is not None:
            used.update(key for key in (old.get("front"), old.get("numbers")) if key)
            for index in range(len(cut.parts)):
                page = cut.part(index)
                key = book.key(writer, page)
                if key in used:
                    continue
                used.add(key)
                if not current and not _part_current(parts_folder, key, root, digests):
                    todo.append((page, str(parts_folder / f"{key}.pdf"), job.target, project,
                                 str(parts_folder / f"{key}.json"), key, True))
        if current:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.unlink(missing_ok=True)
        if cut is None:
            todo.append((job.html, str(target), job.target, project, str(stamp), fingerprint,
                         False))
        else:
            bindings.append(Binding(job.html, str(target), job.target, project, str(stamp),
                                    fingerprint, writer, str(parts_folder)))
    for stale in set(folder.rglob("*.pdf")) - set(written):
        stale.unlink()
    for partial in folder.rglob("*.partial"):  # of a killed build: never to be published
        if partial.is_file():
            partial.unlink()
    parts_folder.mkdir(parents=True, exist_ok=True)
    sizes = {job.target: len(job.html) for job in print_jobs}
    _run(todo, bindings, sizes, workers, step)
    for binding in bindings:
        bound = _stamp(Path(binding.stamp))
        used.update((bound["front"], bound["numbers"]))
    for key in {path.stem for path in parts_folder.iterdir()} - used:
        for path in parts_folder.glob(f"{key}.*"):
            path.unlink()
    return [_download(job, folder / job.target, _stamp(stamps / (job.target + ".json")))
            for job in print_jobs]


def _run(todo: list[tuple[Any, ...]], bindings: list[Binding], sizes: dict[str, int],
         workers: int | None, step: Callable[[int, int, str], None] | None) -> None:
    """Write every PDF and book's part of ``todo`` in worker processes, and bind each book
    as soon as its parts are written; raises ContentError for the problems found. The parts
    of the largest books go first, so that a book is bound while the other PDFs are
    written and both cores stay busy to the end."""
    total = len(todo) + len(bindings)
    if not total:
        return
    workers = workers or min(total, os.cpu_count() or 1)
    if workers == 1:
        problems = _collect(_in_turn(todo, bindings), total, step)
    else:
        todo.sort(key=lambda task: (-sizes.get(task[2], 0), -len(task[0])))
        try:
            with ProcessPoolExecutor(max_workers=workers, initializer=die_with,
                                     initargs=(os.getpid(),)) as pool:
                problems = _collect(_as_done(pool, todo, bindings), total, step)
        except BrokenProcessPool:
            raise EngineError("a process writing the PDFs was stopped (killed, or the "
                              "machine ran out of memory); run the build again") from None
    if problems:
        raise ContentError(problems)


def _in_turn(todo: list[tuple[Any, ...]],
             bindings: list[Binding]) -> Iterator[tuple[str, Problem | OSError | None]]:
    """Each task's name and result, one after the other in this process; a book is bound
    after its parts (and not at all when one could not be written)."""
    missing = set()
    for task in todo:
        result = _write_one(task)
        if result is not None:
            missing.add(task[2])
        yield task[2], result
    for binding in bindings:
        if binding.name not in missing:
            yield binding.name, _bind_one(binding)


def _as_done(pool: ProcessPoolExecutor, todo: list[tuple[Any, ...]],
             bindings: list[Binding]) -> Iterator[tuple[str, Problem | OSError | None]]:
    """Each task's name and result as it finishes; a book is bound once every part of it
    is written (and not at all when one could not be)."""
    left = Counter(task[2] for task in todo)
    books = {binding.name: binding for binding in bindings}
    running: dict[Any, Any] = {pool.submit(_work, task): task for task in todo}
    running |= {pool.submit(_work, binding): binding for binding in bindings
                if not left[binding.name]}
    while running:
        finished, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in finished:
            task = running.pop(future)
            result = future.result()
            yield _name(task), result
            if isinstance(task, Binding) or task[2] not in books:
                continue
            left[task[2]] -= 1
            if result is not None:
                books.pop(task[2])  # a part is missing: the book is not bound
            elif not left[task[2]]:
                binding = books[task[2]]
                running[pool.submit(_work, binding)] = binding


def _name(task: Any) -> str:
    return task.name if isinstance(task, Binding) else task[2]


def _collect(results: Iterator[tuple[str, Problem | OSError | None]], total: int,
             step: Callable[[int, int, str], None] | None) -> list[Problem]:
    """The problems among finished PDFs, reporting each PDF as it is done; the first
    fault of the machine (a full disk, a folder that cannot be written) is raised once
    every PDF is done."""
    problems = []
    faults = []
    for done, (name, problem) in enumerate(results, 1):
        if isinstance(problem, OSError):
            faults.append(problem)
        elif problem:
            problems.append(problem)
        if step:
            step(done, total, name)
    if faults:
        raise faults[0]
    return problems


def _download(job: PrintJob, path: Path, stamp: dict[str, Any]) -> Download:
    group = folder_of(job)
    return Download(job.target, job.title, group, path.stat().st_size, stamp["pages"],
                    job.listing, job.language)


def _work(task: Any) -> Problem | OSError | None:
    """Do one task in a worker process: bind a book, or write a PDF or a book's part."""
    if isinstance(task, Binding):
        return _bind_one(task)
    return _write_one(task)


def _bind_one(task: Binding) -> Problem | OSError | None:
    """Bind a book from its parts' PDFs (written before): print its front matter with the
    contents' page numbers and a page of numbers in its style, then bind (``book``)."""
    cut = book.split(task.html)
    assert cut is not None
    folder = Path(task.parts)
    keys = [book.key(task.writer, cut.part(index)) for index in range(len(cut.parts))]
    stamps = [_stamp(folder / f"{key}.json") for key in keys]
    page = cut.front_page(book.page_numbers([stamp["pages"] for stamp in stamps],
                                            [stamp["anchors"] for stamp in stamps]))
    front = book.key(task.writer, page)
    numbers_page = cut.numbers_page()
    numbers = book.key(task.writer, numbers_page)
    made = (_part(page, folder, front, task)
            or _part(numbers_page, folder, numbers, task, tagged=False))
    if made is not None:
        return made
    front_stamp = _stamp(folder / f"{front}.json")
    partial = Path(task.target + ".partial")
    try:
        book.bind(folder / f"{front}.pdf", [folder / f"{key}.pdf" for key in keys],
                  [front_stamp["levels"], *(stamp["levels"] for stamp in stamps)],
                  folder / f"{numbers}.pdf", partial, task.html)
        partial.replace(task.target)
        read = {where: digest for stamp in [*stamps, front_stamp]
                for where, digest in stamp["read"].items()}
        Path(task.stamp).write_text(json.dumps({
            "fingerprint": task.fingerprint, "read": read,
            "pages": front_stamp["pages"] + sum(stamp["pages"] for stamp in stamps),
            "front": front, "numbers": numbers}))
    except OSError as error:
        partial.unlink(missing_ok=True)
        return error
    return None


def _part_current(folder: Path, key: str, root: Path, digests: dict[Path, str | None]) -> bool:
    """Whether the part of a book with this key is written, and every file it read is
    unchanged."""
    return (folder / f"{key}.pdf").is_file() and _current(_stamp(folder / f"{key}.json"), key,
                                                          root, digests)


def _part(page: str, folder: Path, key: str, task: Binding,
          tagged: bool = True) -> Problem | OSError | None:
    """Write a page of a book's binding (its front matter, its page numbers) into the parts'
    folder, unless it is there."""
    if _part_current(folder, key, task.project.root.resolve(), {}):
        return None
    return _write_one((page, str(folder / f"{key}.pdf"), task.name, task.project,
                       str(folder / f"{key}.json"), key, True), tagged)


_PARSED: dict[tuple[str, ...], tuple[Any, Any, list[Path]]] = {}
"""In a worker process, each style sheet it parsed: with its fonts loaded (WeasyPrint's
``FontConfiguration``) and the files it read. The pages of a kind (the forms, the parts of a
book) share one, so it is parsed once and not once per PDF."""


def _parsed_style(html: str, project: Project,
                  base_url: str) -> tuple[str, tuple[Any, Any, list[Path]]]:
    """The page without its style sheet, and the sheet parsed (as ``_PARSED`` keeps it).
    Given to WeasyPrint as a user style sheet, it ranks as the page's own did: above the
    browser's defaults, below the page's other style elements and ``style`` attributes."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    found = book.STYLE.search(html)  # the first: print.css.j2
    if not found:
        return html, (None, FontConfiguration(), [])
    key = (base_url, *map(str, project.layers), found[1])
    if not _PARSED:
        # Each sheet's fonts wait in a temporary folder, removed when the sheet is dropped:
        # dropped as the process ends (a worker of the pool ends without running atexit
        # hooks, but with the finalizers of multiprocessing).
        multiprocessing.util.Finalize(None, _PARSED.clear, exitpriority=10)
    if key not in _PARSED:
        read: list[Path] = []
        fonts = FontConfiguration()
        stylesheet = CSS(string=found[1], base_url=base_url, font_config=fonts,
                         url_fetcher=confined_fetcher(project, read))
        if len(_PARSED) >= 32:
            _PARSED.clear()
        _PARSED[key] = (stylesheet, fonts, read)
    return html[:found.start()] + html[found.end():], _PARSED[key]


def _write_one(args: tuple[Any, ...], tagged: bool = True) -> Problem | OSError | None:
    """Render one PDF (in a worker process); a file the page may not read or that cannot
    be fetched comes back as a Problem, a machine that cannot write the PDF as its OSError
    (naming its file). Any other exception is a bug and is raised with its traceback (the
    next build removes the partial file).

    ``args`` are the print page, the PDF's path, its name under downloads/, the project,
    where its stamp goes, its fingerprint and (optionally) whether it is a book's part: a
    part's form is repaired when the book is bound, and its stamp keeps its anchors and
    the levels of its bookmarks for the binding. A page printed ``tagged=False`` (a book's
    page of numbers) is only measured, never published."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError, URLFetchingError

    html, target, name, project, stamp, fingerprint = args[:6]
    part = len(args) > 6 and args[6]
    read: list[Path] = []
    fetcher = confined_fetcher(project, read)
    partial = Path(target + ".partial")
    options: dict[str, Any] = {"pdf_forms": True, "optimize_images": True}
    if tagged:
        options["pdf_variant"] = "pdf/ua-1"
    try:
        base_url = project.root.resolve().as_uri() + "/"
        html, (stylesheet, fonts, fetched) = _parsed_style(html, project, base_url)
        read += fetched
        with _unprinted_images() as unprinted:
            document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
                stylesheets=[stylesheet] if stylesheet else [], font_config=fonts, **options)
        if unprinted:  # WeasyPrint leaves such an image out and goes on: not silently here
            return Problem(routes.DOWNLOADS + name, 0, "pdf",
                           f"an image could not be printed ({unprinted[0]}); check the "
                           "logo and the images in the content (`curriculum check`)")
        document.write_pdf(str(partial), **options)
        if not part:
            fillable.repair(partial, html)
        partial.replace(target)
        found = {"fingerprint": fingerprint, "read": _files_read(project, read),
                 "pages": len(document.pages)}
        if part:
            found["anchors"] = {anchor: index for index, page in enumerate(document.pages)
                                for anchor in page.anchors}
            found["levels"] = [bookmark[0] for page in document.pages
                               for bookmark in page.bookmarks]
        Path(stamp).write_text(json.dumps(found))
    # What the page asks for: a file our fetcher refuses (FatalURLFetchingError, which
    # derives from BaseException) or one that cannot be fetched (an OSError, but not the
    # machine's). WeasyPrint logs and skips every other fault of HTML, CSS and images.
    except (FatalURLFetchingError, URLFetchingError) as error:
        partial.unlink(missing_ok=True)
        return Problem(routes.DOWNLOADS + name, 0, "pdf",
                       f"could not be made ({type(error).__name__}: {error}); "
                       "check the print templates and styles")
    except OSError as error:  # the disk, not the templates: a full disk, say
        if partial.is_file():
            partial.unlink()
        if not (isinstance(error.filename, str) and os.path.isabs(error.filename)):
            # a write that finds the disk full names no file, pikepdf names a stream
            error.filename = str(partial)
        return error
    return None


@contextlib.contextmanager
def _unprinted_images() -> Iterator[list[str]]:
    """The images WeasyPrint could not load or draw while rendering, which it only logs."""
    found: list[str] = []

    class Unprinted(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.ERROR and "image" in str(record.msg):
                found.append(record.getMessage())

    handler = Unprinted()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield found
    finally:
        logger.removeHandler(handler)


MAX_FETCHED_BYTES = 10_000_000
"""Files the PDFs read (images, fonts) above this size are refused."""


def confined_fetcher(project: Project, read: list[Path] | None = None) -> Any:
    """A WeasyPrint URL fetcher that reads files of the project, its overlay and the font
    package, and nothing else. A project file the overlay also has is read from the overlay.
    Each file of the project or overlay it reads is added to ``read``, when given.

    Made on demand so that WeasyPrint is imported only where PDFs are written.
    """
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    root = project.root.resolve()

    class Confined(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            parsed = urlparse(url)
            if parsed.scheme != "file":
                raise FatalURLFetchingError(
                    f"refused to fetch {url}: only files inside the project may be used")
            path = Path(url2pathname(parsed.path)).resolve()
            if path.is_relative_to(root):
                path = project.find(path.relative_to(root).as_posix()) or path
            if not (project.contains(path) or path.is_relative_to(FONT_DIR)):
                raise FatalURLFetchingError(f"refused to read {path}: outside the project")
            try:  # the path is resolved: any link on the way is followed and judged above
                files.check(path, MAX_FETCHED_BYTES, "files the PDFs read")
            except (files.Refused, OSError) as refused:
                raise FatalURLFetchingError(f"refused to read {path}: {refused}") from None
            if read is not None and not path.is_relative_to(FONT_DIR):
                read.append(path)
            return super().fetch(path.as_uri(), headers)

    return Confined(allowed_protocols={"file"})


def held_notices(language: Language, catalog: Catalog, jobs: list[PrintJob],
                 project: Project) -> list[Problem]:
    """What holds back a translated edition's PDFs, for the build's output: one line per set
    of PDFs held by the same texts, at the first English text's file and line (or the
    catalog's), with the command that updates the project's catalog (its overlay's, with
    one)."""
    code = language.code
    groups: dict[tuple[str, ...], list[str]] = {}
    for job in jobs:
        if job.held:
            groups.setdefault(job.held, []).append(routes.DOWNLOADS + job.target)
    found = []
    for held, targets in groups.items():
        where = {**catalog.behind.where, **language.where}
        path, line = next((where[key] for key in held if key in where),
                          (str(catalog_path(Path("."), code)), 1))
        shown = ", ".join(targets[:3]) + (f" and {len(targets) - 3} more"
                                          if len(targets) > 3 else "")
        texts = "; ".join(held[:3]) + (f" and {len(held) - 3} more" if len(held) > 3 else "")
        found.append(Problem(path, line, shown,
                             f"not printed in this language until these are translated "
                             f"and current: {texts}. Run `{update_command(project, code)}`, "
                             "translate them, and build again",
                             severity="warning"))
    return found


class PdfBuilder:
    """Every PDF of every edition (a translated edition's member PDFs, those whose every
    text and word is translated and current), into the English site's downloads."""

    name = "pdf"
    preparing = "Preparing the print pages"
    writing = "Writing PDFs (unchanged ones are reused)"
    needs: tuple[str, ...] = ()

    def prepare(self, edition: Context, build: Build) -> list[PrintJob]:
        jobs = prepare(edition.project, edition.catalog, edition.language, edition.audience)
        if not edition.source:
            build.warnings.extend(held_notices(edition.language, edition.catalog, jobs,
                                                edition.project))
        return jobs

    def write(self, prepared: list[tuple[Context, list[PrintJob]]], build: Build) -> None:
        english = next(edition for edition, _ in prepared if edition.source)
        printed = [job for _, jobs in prepared for job in jobs if not job.held]
        build.made[self.name] = write_all(build.project, printed,
                                          build.docs(english) / routes.DOWNLOADS,
                                          build.folder / "pdf-stamps", step=build.progress.step)
