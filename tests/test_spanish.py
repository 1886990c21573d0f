"""The Spanish edition as a member, a translator and an agency meet it.

The shipped catalog is current and keeps every placeholder; the program's terms are the
glossary's; the handbook and handouts read easily (INFLESZ, textstat's Spanish). Changing
one English handout sentence makes its message out of date: `translate status` says so, the
Spanish page shows the English with a note, and the Spanish handout PDF waits until it is
translated again. An overlay brings its own translations; `changes` lists what fell behind.
The built Spanish PDFs are read back: language, hyphenation, dates and the crisis block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
import yaml
from babel.messages.pofile import read_po, write_po

from conftest import PROJECT, pdf_pages, require_tool, shipped_catalog
from generator.core.content import load_catalog
from generator.builders import registry
from generator.builders.context import Build, editions, prepared
from generator.builders.pdf import PrintJob
from generator.core.catalog import Catalog
from generator.core.errors import Problem
from generator.core.language import Language
from generator.core.project import Project
from generator.core.readability import SPANISH_HANDBOOK_MIN, SPANISH_HANDOUT_MIN, inflesz
from generator.core.sample import MARK
from generator.core.translate import catalog_path, load_language

CATALOG = PROJECT / "locales" / "es" / "LC_MESSAGES" / "messages.po"
GLOSSARY = PROJECT / "locales" / "es" / "glossary.yml"
SENTENCE_LESSON = "boundaries"
CONTEXT = f"lesson:{SENTENCE_LESSON}:handout.body"
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


def _messages(path: Path = CATALOG) -> list:
    with path.open("rb") as handle:
        return [message for message in read_po(handle, locale="es") if message.id]


def _strings(message) -> list[str]:
    return [message.string] if isinstance(message.string, str) else list(message.string)


def _ids(message) -> list[str]:
    return [message.id] if isinstance(message.id, str) else list(message.id)


# --- the catalog as shipped ----------------------------------------------------------------


@dataclass
class Spanish:
    """The Spanish edition as ``check`` prepares it."""

    language: Language
    catalog: Catalog
    jobs: list[PrintJob]
    """Its PDFs, each with what holds it back."""
    pages: dict[str, str]
    notices: list[Problem]
    """What the build says holds its PDFs back."""

    @property
    def waiting(self) -> list[PrintJob]:
        """Its PDFs held back until their translation is current."""
        return [job for job in self.jobs if job.held]


def _spanish(project: Project) -> Spanish:
    found = editions(project)
    build = Build(project)
    registry.prepare(found, build)
    [edition] = found[1:]
    return Spanish(edition.language, edition.catalog,
                   prepared(build, "pdf", edition),
                   prepared(build, "pages", edition), build.warnings)


def test_every_member_text_and_word_is_translated_and_current(spanish, cli):
    result = cli(spanish, "translate", "status", "es")
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().endswith("0 to translate or review.")
    assert re.search(r"^templates\s+\d+\s+0\s+0\s+\d+", result.stdout, re.M), result.stdout


def test_translations_keep_placeholders_tags_and_markdown():
    wrong = []
    for message in _messages():
        for english, spanish in zip(_ids(message) * 3, _strings(message)):
            if sorted(JINJA.findall(english)) != sorted(JINJA.findall(spanish)):
                wrong.append((message.context or english, "placeholders"))
            for mark in (r"^\s*- ", r"^\s*\d+\. ", r"^#+ ", r"\*\*", r"%\(\w+\)s"):
                if len(re.findall(mark, english, re.M)) != len(re.findall(mark, spanish, re.M)):
                    wrong.append((message.context or english, mark))
    assert not wrong, wrong[:10]


def test_the_programs_terms_are_the_glossarys():
    terms = yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))["terms"]
    misses = []
    for message in _messages():
        if not message.context:
            continue  # a template's short label may name a term by itself only in English
        for term in terms:
            if re.search(rf"\b{re.escape(term['en'])}s?\b", JINJA.sub("", message.id), re.I) \
                    and not any(form.lower() in message.string.lower() for form in term["es"]):
                misses.append((message.context, term["en"]))
    assert not misses, misses[:10]


def test_members_are_addressed_as_usted_throughout():
    informal = re.compile(r"\b(tú|tienes|puedes|quieres|eres|estás|haces|necesitas|"
                          r"tu grupo|contigo)\b", re.I)
    found = [message.context or message.id for message in _messages()
             if any(informal.search(text) for text in _strings(message))]
    assert not found, found[:10]


def test_the_spanish_handbook_and_handouts_read_easily():
    by_item: dict[str, list[str]] = {}
    for message in _messages():
        if message.context:
            by_item.setdefault(":".join(message.context.split(":")[:2]), []).append(
                message.string)
    handbook = inflesz("\n\n".join(text for parts in by_item.values() for text in parts))
    assert handbook >= SPANISH_HANDBOOK_MIN, f"handbook INFLESZ {handbook:.1f}"
    scores = {item: inflesz("\n\n".join(parts)) for item, parts in by_item.items()
              if item.startswith("lesson:")}
    assert len(scores) == len(shipped_catalog().lessons)
    hard = {item: round(score, 1) for item, score in scores.items()
            if score < SPANISH_HANDOUT_MIN}
    assert not hard, f"handouts below INFLESZ {SPANISH_HANDOUT_MIN}: {hard}"


def test_the_spanish_content_is_the_catalogs(spanish):
    project = Project(spanish)
    english = load_catalog(project)
    translated = load_catalog(project, language=load_language(project, "es"))
    by_context = {message.context: message.string for message in _messages()}
    assert translated.lessons["grounding"].summary == by_context["lesson:grounding:summary"]
    assert translated.lessons["grounding"].summary != english.lessons["grounding"].summary
    # coach text stays English
    assert translated.lessons["grounding"].facilitator_script == \
        english.lessons["grounding"].facilitator_script


# --- an English sentence changes -----------------------------------------------------------


def _change_a_sentence(project: Path) -> str:
    lesson = project / "content" / "lessons" / f"{SENTENCE_LESSON}.yml"
    text = lesson.read_text(encoding="utf-8")
    start = text.index("  body: |\n") + len("  body: |\n")
    first = text[start:text.index("\n", start)]
    new = first.rstrip() + " You decide what feels right."
    lesson.write_text(text.replace(first, new, 1), encoding="utf-8")
    return new.strip()


def test_a_changed_sentence_is_out_of_date_shown_in_english_and_holds_its_pdf(spanish, cli):
    sentence = _change_a_sentence(spanish)
    result = cli(spanish, "translate", "status", "es")
    assert result.exit_code == 1
    row = next(line for line in result.stdout.splitlines()
               if line.startswith(f"lesson:{SENTENCE_LESSON} "))
    translated, stale, missing = map(int, row.split()[1:4])
    assert (stale, missing) == (1, 0) and translated > 20, row

    project = Project(spanish)
    edition = _spanish(project)
    assert edition.catalog.behind.texts == {f"lesson:{SENTENCE_LESSON}": [CONTEXT]}
    held = {job.target: job.held for job in edition.waiting}
    assert held == {f"es/handouts/{SENTENCE_LESSON}.pdf": (CONTEXT,),
                    "es/participant-handbook.pdf": (CONTEXT,),
                    "es/participant-handbook-large-print.pdf": (CONTEXT,)}
    pages = edition.pages
    page = pages[f"participants/lessons/{SENTENCE_LESSON}.md"]
    note = edition.language.gettext("Some parts of this page are in English while their "
                                    "translation is being updated. The English is the "
                                    "current text.")
    # the note is one admonition box, its text inside it, and the English sentence shows
    assert '!!! warning translation-note "Traducción en proceso"\n    ' + note in page
    assert sentence in page
    other = pages["participants/lessons/grounding.md"]
    assert "Traducción en proceso" not in other
    title = edition.catalog.lessons[SENTENCE_LESSON].title
    row = next(line for line in pages["downloads.md"].splitlines() if title in line)
    assert "href" not in row and edition.language.gettext(
        "Being updated: the translation of this document is not finished, so it is not "
        "printed yet.") in row, row

    # the translator updates the catalog: still out of date (fuzzy) until translated again
    assert cli(spanish, "translate", "update", "es").exit_code == 0
    po = catalog_path(spanish, "es")
    fuzzy = next(message for message in _messages(po) if message.context == CONTEXT)
    assert fuzzy.fuzzy and sentence in fuzzy.id
    edition = _spanish(Project(spanish))
    assert f"es/handouts/{SENTENCE_LESSON}.pdf" in {job.target for job in edition.waiting}
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="es")
    for message in catalog:
        if message.context == CONTEXT:
            message.string += " Usted decide lo que se siente bien."
            message.flags.discard("fuzzy")
    with po.open("wb") as handle:
        write_po(handle, catalog, include_previous=True)
    edition = _spanish(Project(spanish))
    assert not edition.waiting
    assert cli(spanish, "translate", "status", "es").exit_code == 0


def test_the_build_names_what_holds_a_spanish_pdf_back(spanish, cli):
    _change_a_sentence(spanish)
    result = cli(spanish, "check")
    assert result.exit_code == 0
    edition = _spanish(Project(spanish))
    notices = [str(problem) for problem in edition.notices]
    assert any(f"downloads/es/handouts/{SENTENCE_LESSON}.pdf" in notice and CONTEXT in notice
               and "translate update es" in notice for notice in notices), notices


# --- an overlay's own translations -----------------------------------------------------------


def test_an_overlay_translates_its_own_lesson(spanish, cli, tmp_path):
    overlay = tmp_path / "overlay"
    (overlay / "content" / "lessons").mkdir(parents=True)
    lesson = (spanish / "content" / "lessons" / "grounding.yml").read_text(encoding="utf-8")
    lesson = lesson.replace("id: grounding", "id: grounding-local", 1)
    (overlay / "content" / "lessons" / "grounding-local.yml").write_text(lesson, "utf-8")
    upstream_files = {path: path.read_bytes() for path in (spanish / "locales").rglob("*")
                      if path.is_file()}
    result = cli(spanish, "translate", "extract", "--overlay", str(overlay))
    assert result.exit_code == 0, result.output
    with (overlay / "locales" / "messages.pot").open("rb") as handle:
        contexts = {message.context for message in read_po(handle) if message.id}
    assert contexts and all(context.startswith("lesson:grounding-local:")
                            for context in contexts), sorted(contexts)[:5]
    assert cli(spanish, "translate", "update", "es", "--overlay", str(overlay)).exit_code == 0
    status = cli(spanish, "translate", "status", "es", "--overlay", str(overlay))
    assert status.exit_code == 1 and "lesson:grounding-local" in status.stdout
    # its translations: the upstream ones of the lesson it copies, under its own addresses
    po = catalog_path(overlay, "es")
    upstream = {message.context: message.string for message in _messages()}
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="es")
    for message in catalog:
        if message.context:
            message.string = upstream[message.context.replace("grounding-local", "grounding",
                                                              1)]
    with po.open("wb") as handle:
        write_po(handle, catalog)
    assert cli(spanish, "translate", "status", "es", "--overlay", str(overlay)).exit_code == 0
    # no command run for the overlay wrote to upstream's catalogs
    assert {path: path.read_bytes() for path in (spanish / "locales").rglob("*")
            if path.is_file()} == upstream_files
    project = Project(spanish, overlay)
    edition = _spanish(project)
    assert not edition.waiting
    page = edition.pages["participants/lessons/grounding-local.md"]
    assert upstream["lesson:grounding:summary"] in page


# --- what fell behind between two editions ---------------------------------------------------


def test_changes_lists_per_language_the_messages_that_fell_behind(spanish, cli):
    require_tool("git", "git")
    from test_changes import commit, git

    git(spanish, "init", "-q")
    commit(spanish, "Edition 2027.1", tag="v2027.1")
    _change_a_sentence(spanish)
    result = cli(spanish, "changes", "v2027.1")
    assert result.exit_code == 0, result.output
    section = result.output[result.output.index("Translations to bring up to date:"):]
    assert "es: 1 out of date, 0 new" in section
    assert f"out of date  {CONTEXT}" in section


# --- the agency's own names in Spanish -------------------------------------------------------


def _translate(project: Path, translations: dict[str, str]) -> None:
    """Give messages of the project's Spanish catalog these translations, by address, as a
    translator would with a PO editor."""
    path = catalog_path(project, "es")
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="es")
    for message in catalog:
        if message.context in translations:
            message.string = translations[message.context]
            message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog)


def test_the_agencys_names_and_hours_are_translated_messages_tied_to_their_english(spanish,
                                                                                  cli):
    """The crisis box's names and hours are catalog messages: a changed English hour is out
    of date in Spanish (printed in English, warned at its line) and a release refuses it
    until it is translated again."""
    agency = spanish / "content" / "agency.yml"
    settings = agency.read_text(encoding="utf-8")
    assert "translations:" not in settings  # nothing pre-filled that could pass as real
    edition = _spanish(Project(spanish))
    assert edition.catalog.agency.warmline.name == "Línea de apoyo local entre pares"
    handout = next(job for job in edition.jobs
                   if job.target == f"es/handouts/{SENTENCE_LESSON}.pdf")
    assert "Línea de apoyo local entre pares" in handout.html

    [hours] = [line for line in settings.splitlines() if line.startswith("  hours: Your warm")]
    line = settings.splitlines().index(hours) + 1
    agency.write_text(settings.replace(hours, "  hours: Every day, 4 pm to 10 pm"),
                      encoding="utf-8")
    edition = _spanish(Project(spanish))
    assert edition.catalog.agency.warmline.hours == "Every day, 4 pm to 10 pm"
    handout = next(job for job in edition.jobs
                   if job.target == f"es/handouts/{SENTENCE_LESSON}.pdf")
    assert "Every day, 4 pm to 10 pm" in handout.html
    assert "Horario de su línea de apoyo" not in handout.html
    checked = cli(spanish, "check")
    assert (f"content/agency.yml:{line}: warmline.hours: warning: the Spanish edition prints "
            "this in English: its translation (agency:warmline.hours) is missing") \
        in checked.stderr
    released = cli(spanish, "build", "--release")
    assert released.exit_code == 1
    assert (f"content/agency.yml:{line}: warmline.hours: a member's crisis box in the Spanish "
            "edition would print this in English") in released.stderr

    assert cli(spanish, "translate", "update", "es").exit_code == 0
    _translate(spanish, {"agency:warmline.hours": "todos los días, de 4 p.m. a 10 p.m."})
    edition = _spanish(Project(spanish))
    assert edition.catalog.agency.warmline.hours == "todos los días, de 4 p.m. a 10 p.m."
    assert "agency" not in edition.catalog.behind.texts


# --- the built Spanish edition ------------------------------------------------------------------


def _text(pdf: Path, layout: bool = False) -> str:
    """What pdftotext prints for a PDF: each page's text, ending in a form feed."""
    return "".join(page + "\f" for page in pdf_pages(pdf, layout))


def test_the_spanish_pdfs_are_all_there_in_spanish(built):
    folder = built / "downloads" / "es"
    catalog = shipped_catalog()
    member_forms = {form.id for form in catalog.forms.values() if form.audience == "participant"}
    assert {path.stem for path in (folder / "forms").glob("*.pdf")} == member_forms
    assert {path.stem for path in (folder / "handouts").glob("*.pdf")} == set(catalog.lessons)
    assert (folder / "participant-handbook.pdf").is_file()
    assert (folder / "participant-handbook-large-print.pdf").is_file()
    assert not (folder / "coach-manual.pdf").exists() and not (folder / "agendas").exists()
    for pdf in folder.rglob("*.pdf"):
        with pikepdf.open(pdf) as document:
            assert str(document.Root.Lang) == "es", pdf.name


def test_spanish_pdfs_carry_the_crisis_block_dates_and_hyphenation(built):
    folder = built / "downloads" / "es"
    for handout in sorted((folder / "handouts").glob("*.pdf")):
        text = " ".join(_text(handout).split())
        assert "988" in text and "911" in text, handout.name
        assert re.search(r"español,? marque 2", text, re.I), handout.name
    handbook = _text(folder / "participant-handbook.pdf", layout=True)
    months = "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|" \
             "noviembre|diciembre"
    assert re.search(rf"Edición [\d.]+ · ({months}) de \d{{4}}", handbook), "no Spanish date"
    # Spanish hyphenation: words split at the end of a line by Pyphen's Spanish rules
    broken = re.findall(r"([a-záéíóúñ]{2,})[-‐]\n\s*([a-záéíóúñ]{2,})", handbook)
    assert len(broken) >= 5, broken
    words = {head + tail for head, tail in broken}
    english = set(re.findall(r"[a-záéíóúñ]+", _text(built / "downloads" /
                                                    "participant-handbook.pdf").lower()))
    assert len(words - english) >= 5, words


def test_dates_times_and_money_read_as_in_spanish_in_the_us():
    import datetime as dt

    spanish = load_language(Project(PROJECT), "es")
    assert spanish.day(dt.date(2027, 1, 12)) == "martes, 12 de enero de 2027"
    assert spanish.time12(dt.time(18, 0)) == "6:00 p.m."
    assert spanish.money(1200) == "$1,200"  # Spanish in the US groups thousands with commas
    assert spanish.weekday("Tuesday") == "martes"


def test_every_spanish_pdf_page_is_marked_as_a_sample(built):
    mark = load_language(Project(PROJECT), "es").gettext(MARK)
    assert mark != MARK
    for pdf in sorted((built / "downloads" / "es").rglob("*.pdf")):
        require_tool("pdftotext", "poppler-utils")
        pages = _text(pdf).split("\f")[:-1]
        for number, page in enumerate(pages, 1):
            assert mark in " ".join(page.split()), f"{pdf.name} page {number}"


def test_the_spanish_site_has_the_member_pages_only(built):
    spanish = built / "es"
    assert 'lang="es"' in (spanish / "index.html").read_text(encoding="utf-8")[:300]
    assert not (spanish / "coaches").exists()
    english = {path.relative_to(built).as_posix() for path in
               (built / "participants").rglob("*.html")}
    translated = {path.relative_to(spanish).as_posix() for path in
                  (spanish / "participants").rglob("*.html")}
    coach_forms = {f"participants/forms/{form.id}.html"
                   for form in shipped_catalog().forms.values()
                   if form.audience != "participant"}
    assert translated == english - coach_forms
    lesson = (spanish / "participants" / "lessons" / "grounding.html").read_text("utf-8")
    assert "Traducción en proceso" not in lesson  # the shipped catalog is current


@pytest.mark.parametrize("where", ["file", "served"])
def test_spanish_search_finds_budget_boundaries_and_receipts(browser, server, built, where):
    from test_site_search import _top

    base = (server if where == "served" else built.resolve().as_uri() + "/") + "es/"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(base + "index.html")
        found = {query: [result["page"] for result in _top(page, base, query)]
                 for query in ("presupuesto", "límites", "recibos")}
    finally:
        context.close()
    assert "participants/handbook/social-budget.html" in found["presupuesto"], found
    assert f"participants/lessons/{SENTENCE_LESSON}.html" in found["límites"], found
    assert any(page_.startswith("participants/forms/receipt-log.html") or
               page_.startswith("participants/handbook/social-budget.html")
               for page_ in found["recibos"]), found


def test_the_language_selector_leads_to_the_same_page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(server + "participants/lessons/grounding.html")
        page.locator(".md-header__option .md-select").hover()
        page.locator("a.md-select__link[hreflang=es]").click()
        page.wait_for_load_state("load")
        assert page.url == server + "es/participants/lessons/grounding.html"
        assert page.evaluate("document.documentElement.lang") == "es"
        page.locator(".md-header__option .md-select").hover()
        page.locator("a.md-select__link[hreflang=en]").click()
        page.wait_for_load_state("load")
        assert page.url == server + "participants/lessons/grounding.html"
        page.goto(server + "coaches/index.html")  # no Spanish coach pages: the Spanish home
        assert page.locator("a.md-select__link[hreflang=es]").get_attribute("href") == \
            "../es/index.html"
        # a link into the Spanish site leads where it says (served, nothing redirects it)
        page.goto(server + "downloads.html")
        # every script of the page has run (Material's publishes component$ last) before
        # the click, so that one that would take the click over has had its chance
        page.wait_for_function("window.component$ !== undefined"
                               " && document.readyState === 'complete'")
        page.locator("article a[hreflang=es]").click()
        page.wait_for_load_state("load")
        assert page.url == server + "es/downloads.html"
    finally:
        context.close()


@pytest.mark.parametrize("name", ["index.html", "participants/lessons/boundaries.html",
                                  "participants/forms/spending-plan.html", "downloads.html"])
def test_spanish_pages_on_a_phone_pass_axe(browser, server, name):
    from test_browser import SHOTS, _axe

    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(server + "es/" + name)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"es-{name.replace('/', '-')}.png"), full_page=True)
        assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert _axe(page) == []
    finally:
        context.close()


def test_a_translation_that_drops_a_placeholder_is_not_used(spanish, cli):
    po = catalog_path(spanish, "es")
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="es")
    broken = next(message for message in catalog
                  if message.context and "{{ budget }}" in message.id)
    broken.string = broken.string.replace("{{ budget }}", "{{ presupuesto }}")
    with po.open("wb") as handle:
        write_po(handle, catalog)
    status = cli(spanish, "translate", "status", "es")
    assert status.exit_code == 1 and "1 to translate or review" in status.stdout
    edition = _spanish(Project(spanish))
    [problem] = edition.language.problems
    assert problem.path == "locales/es/LC_MESSAGES/messages.po" and problem.line > 1
    assert "{{ budget }}" in problem.message and problem.field == broken.context
    assert broken.context in edition.catalog.behind.texts[":".join(broken.context.split(":")[:2])]


def test_with_an_overlay_the_hint_names_the_overlay(spanish, tmp_path):
    """An overlay's texts are translated in its own catalog: the build's hint for what holds
    a PDF back names ``--overlay``, so that following it updates that catalog, not
    upstream's."""
    overlay = tmp_path / "overlay"
    (overlay / "content" / "lessons").mkdir(parents=True)
    lesson = (spanish / "content" / "lessons" / "grounding.yml").read_text(encoding="utf-8")
    (overlay / "content" / "lessons" / "grounding-local.yml").write_text(
        lesson.replace("id: grounding", "id: grounding-local", 1), "utf-8")
    project = Project(spanish, overlay)
    notices = [str(problem) for problem in _spanish(project).notices
               if "not printed in this language" in str(problem)]
    assert notices and all(
        f"`curriculum translate update es --overlay {project.shown(overlay)}`" in notice
        for notice in notices), notices
    upstream = [str(problem) for problem in _spanish(Project(spanish)).notices]
    assert not any("--overlay" in notice for notice in upstream)


def test_an_overlays_copy_starts_from_the_upstream_translation(spanish, cli, tmp_path):
    """A trainer copies a lesson into an overlay and edits one sentence of its handout: the
    overlay's catalog starts from upstream's translation, current for the texts the copy
    keeps and out of date (with upstream's English to compare) for the edited one; the
    upstream catalog is not written."""
    overlay = tmp_path / "overlay"
    (overlay / "content" / "lessons").mkdir(parents=True)
    text = (spanish / "content" / "lessons" / "grounding.yml").read_text(encoding="utf-8")
    end = text.index(".", text.index("body:", text.index("handout:")))
    (overlay / "content" / "lessons" / "grounding.yml").write_text(
        text[:end] + " Take your time." + text[end:], "utf-8")
    upstream = catalog_path(spanish, "es")
    before = upstream.read_bytes()
    result = cli(spanish, "translate", "update", "es", "--overlay", str(overlay))
    assert result.exit_code == 0, result.output
    assert upstream.read_bytes() == before
    english = {message.context: message for message in _messages()}
    with catalog_path(overlay, "es").open("rb") as handle:
        copied = {message.context: message for message in read_po(handle) if message.context}
    edited = copied["lesson:grounding:handout.body"]
    assert edited.fuzzy and edited.string == english["lesson:grounding:handout.body"].string
    assert "Take your time." in edited.id
    kept = copied["lesson:grounding:title"]
    assert not kept.fuzzy and kept.string == english["lesson:grounding:title"].string
