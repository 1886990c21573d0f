"""Translation catalogs are content: tried as a hostile translator would.

Every translation passes the English content's rules before it replaces the English (raw
HTML, event attributes, unsafe links, images outside the project, exactly the English's
placeholders however split over lines, the crisis numbers kept) and a template's word keeps
its English's structure, so that it cannot leave the link, cell or line the template puts it
in. A refused translation is a warning at its catalog line, shown in English, and the rest of
the build goes on; `check` says the same lines as `build`; `--strict` fails on them. A
catalog that cannot be read (another encoding, a broken line) is an error at its line. The
print margins' words are page elements, so no translation is read as CSS: one real Spanish
build with a hostile catalog proves every Spanish PDF keeps its crisis box, its 988/911
footer and the sample mark, and no script reaches the Spanish site or its search index.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from conftest import PROJECT, real_project, require_tool, reuse_build, run_module
from generator.core.project import Project
from generator.core.sample import MARK
from generator.core.translate import catalog_path, load_language

PO = "locales/es/LC_MESSAGES/messages.po"
SHOWN = "; until then the English is shown"
RAW_HTML = ("is not allowed in content; write it in Markdown (*emphasis*, **bold**, "
            "[link text](https://example.org))")
CRISIS = "Crisis? Call or text 988. In danger, call 911."
EDITION = "Edition %(edition)s"


def _translate(project: Path, changes: dict[str, str]) -> Path:
    """Put these translations (by msgctxt, or a word by its English) in the project's
    Spanish catalog, as a translator's tool writes it."""
    path = catalog_path(project, "es")
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="es")
    for message in catalog:
        key = message.context or message.id
        if key in changes:
            message.string = changes[key]
    with path.open("wb") as handle:
        write_po(handle, catalog, width=96, include_previous=True, sort_output=True)
    return path


def _content(key: str) -> bool:
    return key.count(":") >= 2


def _field(key: str) -> str:
    """How a problem names a message: its msgctxt, or a word its English."""
    return key if _content(key) else f'msgid "{key}"'


def _line(path: Path, key: str) -> int:
    """The line of a message's msgid (after its msgctxt), read as a translator sees it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if _content(key):
        start = lines.index(f'msgctxt "{key}"')
        return next(number for number, line in enumerate(lines[start:], start + 1)
                    if line.startswith("msgid "))
    return lines.index(f'msgid "{key}"') + 1


# --- each kind of refused translation, at its line ------------------------------------------

CASES = {
    "script in a word": (
        "Print this handout (PDF)", "Imprima <script>alert(1)</script>",
        f"raw HTML (<script>) {RAW_HTML}"),
    "an event attribute in a word": (
        "Print this handout (PDF)", 'Imprima <img src="x" onerror="alert(1)">',
        f'raw HTML (<img src="x" onerror="alert(1)">) {RAW_HTML}'),
    "a javascript: link in a word": (
        "Print this handout (PDF)", "[Imprima](javascript:alert(1))",
        "this text would put a 'javascript:' address on the page, which content may not do; "
        "links may use http:, https:, mailto: or tel: only"),
    "a word that leaves its link's text": (
        "Print this handout (PDF)", "x](javascript:alert(1)) [",
        "the translation links to 'javascript:alert(1)': a link keeps its English's address "
        "(none), or points to a heading of the page (#...) or to an https:// address (a site "
        "in the language)"),
    "a word that splits a table cell": (
        "Letter", "Carta | <b>",
        "raw HTML (<b>) " + RAW_HTML),
    "a word that leaves the YAML front matter": (
        "Downloads", 'Descargas"\ntemplate: main.html',
        "the translation has 1 line break where the English has 0: these open or close parts "
        "of the page (links, tags, table cells, lines), so keep as many as the English has"),
    "a word that would close a CSS rule": (
        EDITION, "Edición %(edition)s\n} .crisis { display: none }",
        "the translation has 1 '{' where the English has 0: these open or close parts of the "
        "page (links, tags, table cells, lines), so keep as many as the English has"),
    "crisis words without the crisis numbers": (
        CRISIS, "¿Crisis? Hable con su guía.",
        "the translation leaves out the numbers 911, 988 of the English: keep them"),
    "a lone percent sign in a word": (
        "Print this handout (PDF)", "Imprima al 100%",
        "a percent sign is written '%%' in this text (a single '%' is a placeholder)"),
    "Jinja split over two lines": (
        "lesson:grounding:summary", "Anclaje. {{ 7*191\n}}",
        "the translation does not keep the English's placeholders (none): write each one "
        "exactly once, as in the English"),
    "a Jinja comment": (
        "lesson:grounding:summary", "Anclaje. {# x #}",
        "'{#' outside a placeholder would be read as a template; write only the English's "
        "placeholders"),
    "a content title that leaves its link's text": (
        "lesson:grounding:title", "x](javascript:alert(1)) [",
        "the translation links to 'javascript:alert(1)': a link keeps its English's address "
        "(none), or points to a heading of the page (#...) or to an https:// address (a site "
        "in the language)"),
    "raw HTML in a content text": (
        "lesson:grounding:handout.body", 'Texto. <img src="x" onerror="alert(1)">',
        f'raw HTML (<img src="x" onerror="alert(1)">) {RAW_HTML}'),
    "an image from outside the project": (
        "lesson:grounding:handout.body", "Texto. ![mapa](https://example.org/x.png)",
        "the image 'https://example.org/x.png' points outside the project; images must be "
        "files inside the project (links in text may point to web addresses)"),
    "a direction override in a word": (
        "Letter", "Carta \u202egnp.exe",
        "the translation holds U+202E RIGHT-TO-LEFT OVERRIDE (after 'Carta '), an invisible "
        "character that changes the order in which the text around it is shown; delete it "
        "(letters of right-to-left scripts such as Arabic or Hebrew are fine)"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_refused_translation_is_named_at_its_line_and_the_english_is_used(spanish, case):
    key, text, reason = CASES[case]
    line = _line(_translate(spanish, {key: text}), key)
    language = load_language(Project(spanish), "es")
    assert [str(problem) for problem in language.problems] == [
        f"{PO}:{line}: {_field(key)}: warning: {reason}{SHOWN}"]
    assert key not in language.content and key not in language.words


def test_a_character_the_print_font_lacks_is_a_warning_and_the_translation_is_used(spanish):
    key = "lesson:grounding:summary"
    line = _line(_translate(spanish, {key: "Anclaje \U0001F600"}), key)
    language = load_language(Project(spanish), "es")
    assert [str(problem) for problem in language.problems] == [
        f"{PO}:{line}: {key}: warning: the print font (Atkinson Hyperlegible) has no U+1F600 "
        "GRINNING FACE; the PDFs show it in another font of the computer that builds them, or "
        "as an empty box where it has none: write it in words or leave it out"]
    assert language.content[key][1] == "Anclaje \U0001F600"


def test_the_shipped_catalog_passes_every_rule(spanish):
    language = load_language(Project(spanish), "es")
    assert language.problems == []


def test_translated_words_are_escaped_in_the_print_pages(spanish):
    """A word that passes the rules still reaches a print page as text, never as HTML."""
    from generator.builders.pdf import environment

    language = load_language(Project(spanish), "es")
    language.words[CRISIS] = "988 & 911 <b>"
    env = environment(Project(spanish).template_dirs("print"), str, language)
    assert env.from_string('{{ _("%s") }}' % CRISIS).render() == "988 &amp; 911 &lt;b&gt;"


# --- catalogs that cannot be read: errors at their line, in check, build and status ----------


def _latin1(project: Path) -> int:
    path = catalog_path(project, "es")
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("latin-1", errors="replace"))
    return next(number for number, line in enumerate(text.splitlines(), 1)
                if not line.isascii())


def _unterminated(project: Path) -> int:
    path = catalog_path(project, "es")
    text = path.read_text(encoding="utf-8")
    broken = text.replace('msgstr "Imprima esta hoja para llevar (PDF)"',
                          'msgstr "Imprima esta hoja', 1)
    path.write_text(broken, encoding="utf-8")
    return broken.splitlines().index('msgstr "Imprima esta hoja') + 1


UNREADABLE = {
    "saved in Latin-1, declared UTF-8": (
        _latin1, "this line is not written in UTF-8, the encoding the catalog declares: save "
                 "the catalog as UTF-8 (as your editor's \"encoding\" setting names it)"),
    "a msgstr without its closing quote": (
        _unterminated, "this line is not a catalog line (a # comment, msgctxt, msgid or msgstr "
                       "with its text in quotes, or more text in quotes): is a closing quote "
                       "missing, or a quote inside the text not written \\\"?"),
}


@pytest.mark.parametrize("case", UNREADABLE)
def test_a_catalog_that_cannot_be_read_is_an_error_at_its_line(spanish, cli, case):
    spoil, message = UNREADABLE[case]
    line = spoil(spanish)
    expected = f"{PO}:{line}: catalog: {message}"
    for command, outcome in ((["check"], "nothing was built"), (["build"], "nothing was built"),
                             (["translate", "status", "es"], "no status was made")):
        result = cli(spanish, *command)
        assert result.exit_code == 1, (command, result.output)
        assert result.stderr.splitlines() == [expected, f"1 problem found; {outcome}."], command
    assert not (spanish / "site").exists()


def test_an_overlays_catalog_is_checked_over_upstreams(spanish, cli, tmp_path):
    overlay = tmp_path / "overlay"
    (overlay / "content").mkdir(parents=True)
    shutil.copy(PROJECT / "examples" / "riverside" / "upstream.yml", overlay / "upstream.yml")
    po = catalog_path(overlay, "es")
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "Print this handout (PDF)"\nmsgstr "<script>alert(1)</script>"\n',
                  encoding="utf-8")
    result = cli(spanish, "check", "--overlay", str(overlay))
    assert result.exit_code == 0, result.output
    assert (f'{po}:5: msgid "Print this handout (PDF)": warning: raw HTML (<script>) '
            f'{RAW_HTML}{SHOWN}'
            in result.stderr.splitlines())
    assert cli(spanish, "check", "--overlay", str(overlay), "--strict").exit_code == 1


# --- one real Spanish build with a hostile catalog -----------------------------------------

REFUSED = {
    "Print this handout (PDF)": ('Imprima <script>alert(1)</script> [x](javascript:alert(2)) '
                                 '<img src="x" onerror="alert(3)">',
                                 f"raw HTML (<script>) {RAW_HTML}"),
    "Print or fill in this form (PDF)": (
        "x](javascript:alert(4)) [",
        "the translation links to 'javascript:alert(4)': a link keeps its English's address "
        "(none), or points to a heading of the page (#...) or to an https:// address (a site "
        "in the language)"),
    "Home": ("Inicio al 100%",
             "a percent sign is written '%%' in this text (a single '%' is a placeholder)"),
    "lesson:grounding:summary": (
        "Anclaje. {{ 7*191\n}}",
        "the translation does not keep the English's placeholders (none): write each one "
        "exactly once, as in the English"),
}
CSS_LIKE = '"; display: none; content: "'
"""What closed the CSS string the margins' words were once placed in: now it is only text."""
ACCEPTED = {
    CRISIS: f"¿Crisis? Llame o escriba al 988. Peligro: 911. {CSS_LIKE}",
    EDITION: f"Edición %(edition)s {CSS_LIKE}",
    MARK: f"Edición de muestra {CSS_LIKE}",
}
HELD = {"es/participant-handbook.pdf", "es/participant-handbook-large-print.pdf",
        "es/handouts/grounding.pdf"}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, built_project):
    """The real project with a hostile Spanish catalog, checked (plain and strict) and built
    (strict, then plain). It starts from the build folder of the real project built before,
    so the English PDFs, which no translation reaches, are reused; every Spanish one is
    made again (the catalog changes their margins' words)."""
    project = real_project(tmp_path_factory.mktemp("hostile") / "project")
    reuse_build(built_project, project)
    path = _translate(project, {**{key: text for key, (text, _) in REFUSED.items()},
                                **ACCEPTED})
    return {"project": project, "lines": {key: _line(path, key) for key in REFUSED},
            "status": run_module(project, "translate", "status", "es"),
            "check": run_module(project, "check"),
            "strict": run_module(project, "check", "--strict"),
            "build_strict": run_module(project, "build", "--strict"),
            "build": run_module(project, "build", timeout=1200)}


def _refusals(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(f"{PO}:")]


def test_check_and_build_report_the_same_refusals_and_go_on(hostile):
    lines = hostile["lines"]
    expected = sorted(f"{PO}:{lines[key]}: {_field(key)}: warning: {reason}{SHOWN}"
                      for key, (_text, reason) in REFUSED.items())
    check, build = hostile["check"], hostile["build"]
    assert check.returncode == 0 and build.returncode == 0, build.stderr
    refused = [line for line in _refusals(check.stderr) if "not printed" not in line]
    assert sorted(refused) == expected
    assert _refusals(build.stderr) == _refusals(check.stderr)
    assert "Traceback" not in check.stderr + build.stderr


def test_status_counts_refused_translations_as_to_review(hostile):
    status = hostile["status"]
    assert status.returncode == 1 and not status.stderr, status.stderr
    assert status.stdout.splitlines()[-1].endswith(
        f"current, {len(REFUSED)} to translate or review.")


def test_strict_check_and_build_fail_on_refused_translations(hostile):
    for run in (hostile["strict"], hostile["build_strict"]):
        assert run.returncode == 1, run.stderr
        assert set(_refusals(hostile["check"].stderr)) <= set(run.stderr.splitlines())


def test_no_script_link_or_expression_reaches_the_spanish_site(hostile):
    site = hostile["project"] / "site"
    pages = [*(site / "es").rglob("*.html"), site / "es" / "search" / "search_index.json"]
    assert len(pages) > 20
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for bad in ("<script>alert", "onerror", "javascript:", "1337", "template: main"):
            assert bad not in text, (page, bad)


def test_every_spanish_pdf_keeps_its_crisis_box_footer_and_sample_mark(hostile):
    require_tool("pdftotext", "poppler-utils")
    folder = hostile["project"] / "site" / "downloads"
    pdfs = sorted((folder / "es").rglob("*.pdf"))
    printed = {str(path.relative_to(folder)) for path in pdfs}
    assert len(printed) == 28 - len(HELD) and not printed & HELD
    # the footer's boxes sit side by side: their lines interleave in the text
    footer = ("¿Crisis? Llame o escriba al 988. Peligro: 911.", f"Edición {_edition()}",
              "display: none")
    for path in pdfs:
        pages = [" ".join(page.split()) for page in subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True,
            check=True).stdout.split("\f")[:-1]]
        if "/handouts/" in str(path):
            assert re.search(r"español,? marque 2", " ".join(pages), re.I), path
        for number, page in enumerate(pages, 1):
            assert page.startswith(ACCEPTED[MARK]), (path, number, page[:80])
            cover = "no es para participantes" in page
            blank = page == ACCEPTED[MARK]
            assert cover or blank or all(part in page for part in footer), (
                path, number, page[-160:])


def _edition() -> str:
    from generator.core.content import load_catalog

    return load_catalog(PROJECT).program.edition


def test_a_catalog_folder_that_names_no_language_is_refused(spanish, cli):
    """A catalog's folder becomes its edition's folder (site/LANG/) and its Babel locale:
    a name that is no language code is an error at the folder, not a traceback."""
    for name in ("zz", "x-y"):
        folder = spanish / "locales" / name / "LC_MESSAGES"
        folder.mkdir(parents=True)
        shutil.copy(catalog_path(spanish, "es"), folder / "messages.po")
    said = "is not a language code: name a language's folder by its two- or three-letter " \
           "code in lower case (es, fr, vi, zh), as the translation tools do"
    for command in ("check", "build"):
        result = cli(spanish, command)
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [
            f"locales/x-y: language: 'x-y' {said}", f"locales/zz: language: 'zz' {said}",
            "2 problems found; nothing was built."]
    result = cli(spanish, "translate", "status", "qq")
    assert (result.exit_code, result.stderr.splitlines()[0]) == (
        1, f"locales/qq: language: 'qq' {said}")


def test_a_language_babel_knows_without_a_us_variant_has_its_dates():
    """French, Vietnamese, Chinese: Babel has no fr_US, so the language's own data serves."""
    import datetime as dt

    from generator.core.language import Language

    assert "janvier" in Language("fr").long_date(dt.date(2027, 1, 12))
    assert Language("vi").time12(dt.time(18, 0))
