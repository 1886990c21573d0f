"""Translations of what members read: gettext catalogs of every member-facing text (Babel).

The English YAML stays the source. ``extract`` writes ``locales/messages.pot`` with one
message per member-facing field of the lessons, member forms and participant handbook
chapters, as written (placeholders such as ``{{ budget }}`` stay placeholders, so a
translation serves every agency). Each message's context is a stable address of its field,
``lesson:grounding:handout.body``, with list entries addressed by their key (title, id or
term) where they have one; the field's description is the translator's comment. ``update``
merges the template into ``locales/LANG/LC_MESSAGES/messages.po``: a message whose English
changed becomes fuzzy and keeps the old English (``#|``) so the translator sees what
changed. ``status`` counts, per item, the messages translated, out of date and missing.

The templates' own words (``{% trans %}``, ``_("...")``) and the generator's (``_()``,
``N_()``) are messages too, known by their English, counted under "templates". An overlay
writes and updates catalogs of its own, for its own and replaced items and templates;
``load_language`` lays them over upstream's and keeps only what is current.
``fallen_behind`` compares two editions' states for ``curriculum changes``.

A catalog is content from outside (a volunteer, a translation platform): a catalog that
cannot be read (a line in another encoding than it declares, a string without its closing
quote) is an error at its line; each translation passes the English content's rules
(``refusal``) before it replaces the English, and a refused one is a warning at its line,
with the English shown in its place (``check --strict`` and ``build --strict`` fail on it).
"""

from __future__ import annotations

import codecs
import datetime as dt
import dataclasses
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import PoFileError, denormalize, normalize, read_po, write_po

from generator.core import files, review
from generator.core.characters import unprintable, unprintable_warning
from generator.core.catalog import Catalog as CatalogOfContent
from generator.core.check import image_refusals
from generator.core.errors import ContentError, Problem
from generator.core.language import SOURCE, Language, known
from generator.core.load import find_model
from generator.core.localize import (CRISIS_BOX, TRANSLATED_KINDS, item_of, texts,
                                     translation_refusal)
from generator.core.models import KINDS
from generator.core.parse import find_files, parse
from generator.core.project import Project

LOCALES = Path("locales")
"""Where the catalogs live, in the project (and in an overlay)."""
TEMPLATE = LOCALES / "messages.pot"
"""The template every language's catalog is updated from."""
HEADER = ("# Translations (%(language)s) of the member-facing texts of the It's My Life: Peer\n"
          "# Partners curriculum. Update with `curriculum translate update %(language)s`;\n"
          "# use the program's terms in glossary.yml beside this folder. CC BY-SA 4.0.")
"""The comment on top of a new catalog."""
WORDS = "templates"
"""The item the templates' and the program's own words are counted under."""
TEMPLATE_FOLDERS = ("site", "print", "common")
"""The template folders whose words are translated (those a template marks)."""
JINJA = {"extensions": "jinja2.ext.i18n", "trimmed": "true"}
"""How Babel reads the templates: as Templates renders them."""
_QUOTED = r'"(?:[^"\\]|\\.)*"'
PO_LINE = re.compile(rf"(?:#.*|(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s*{_QUOTED}"
                     rf"|{_QUOTED})?")
"""A line of a catalog, spaces aside: a comment, a keyword with its quoted text, or more
quoted text (Babel reads a string without its closing quote without a word)."""
CHARSET = re.compile(rb"charset=([A-Za-z0-9_.:-]+)")
"""The encoding a catalog's header declares."""


@dataclass(frozen=True)
class Message:
    """One member-facing text, where it is, and what it is for."""

    context: str | None
    """Its stable address: kind, id and field path; none for a template's own word,
    which is known by its English."""
    text: str | tuple[str, str]
    """The English, as written in the content file or the template (singular and plural
    for a word with a number)."""
    comment: str
    """The field's description, for the translator."""
    location: tuple[str, int]
    """The content file or template and the line it comes from."""
    layer: Path
    """The folder it comes from: the project, or the overlay."""


def _describe(model: Any, path: tuple[str, ...]) -> str:
    """The description of the field at ``path`` in ``model``, from its docstring."""
    description = ""
    for part in path:
        info = getattr(model, "model_fields", {}).get(part)
        if info is None:
            continue
        description = " ".join((info.description or "").split())
        model = find_model(info.annotation) or model
    return description


def _content_messages(project: Project, problems: list[Problem]) -> list[Message]:
    found: dict[str, Message] = {}
    for layer in reversed(project.layers):  # an overlay's item replaces the upstream one
        for path, kind in find_files(layer):
            if kind not in TRANSLATED_KINDS:
                continue
            doc = parse(path, project.shown(path), kind, problems, project)
            if doc is None:
                continue
            if kind == "agency":  # its settings, addressed by where they sit
                prefix = "agency:"
            elif isinstance(doc.data.get("id"), str):
                prefix = f"{kind}:{doc.data['id']}:"
            else:
                continue
            for key in [key for key in found if key.startswith(prefix)]:
                del found[key]
            for context, loc, fields, text in texts(doc):
                found[context] = Message(context, text, _describe(KINDS[kind], fields),
                                         (doc.path, doc.line(loc)), layer)
    return list(found.values())


def _word_messages(project: Project) -> list[Message]:
    """The words the templates (overlay's first) and the generator itself mark."""
    found: dict[Any, Message] = {}
    sources = [(layer / "templates" / folder, "**.j2", "jinja2", layer)
               for layer in reversed(project.layers) for folder in TEMPLATE_FOLDERS]
    sources.insert(0, (Path(__file__).parent.parent, "**.py", "python", project.root))
    for folder, pattern, method, layer in sources:
        if not folder.is_dir():
            continue
        for name, line, text, comments, _context in extract_from_dir(
                folder, method_map=[(pattern, method)], options_map={pattern: JINJA}):
            shown = project.shown(folder / name)
            if method == "python":
                shown = f"generator/{name}"
            text = text if isinstance(text, str) else tuple(text[:2])
            found.setdefault(text, Message(None, text, " ".join(comments), (shown, line),
                                           layer))
    return list(found.values())


def messages(project: Project) -> tuple[list[Message], list[Problem]]:
    """Every member-facing text of the project (and its overlay) and every word its
    templates mark, in a stable order."""
    problems = files.tree_problems(project)  # Babel reads every template it finds
    if problems:
        return [], problems
    found = _content_messages(project, problems) + _word_messages(project)
    return sorted(found, key=_order), problems


def _order(message: Message) -> tuple[str, str]:
    text = message.text if isinstance(message.text, str) else message.text[0]
    return (message.context or "", text)


def _own(project: Project) -> Path:
    """The folder whose catalogs the commands write: the overlay's when there is one."""
    return project.overlay or project.root


def template(project: Project) -> Catalog:
    """The catalog template (POT) of the member-facing texts and words of the project, or
    with an overlay, of the overlay's own and replaced items and its own templates (the
    upstream catalogs translate the rest)."""
    found, problems = messages(project)
    if problems:
        raise ContentError(problems)
    catalog = Catalog(project="peer-partners-curriculum", fuzzy=False)
    for message in found:
        if message.layer == _own(project):
            catalog.add(message.text, context=message.context,
                        auto_comments=[message.comment] if message.comment else [],
                        locations=[message.location])
    return catalog


WIDTH = 96
"""The width catalogs are written at."""


def _with_previous(text: str, catalog: Catalog) -> str:
    """The written catalog with each out-of-date message's previous English (``#|``), as
    GNU gettext writes it. Babel (2.19) writes it through its comment wrapper, which joins
    the lines of a text of several lines into ``#|`` lines that msgfmt rejects and that
    Babel itself then drops."""
    for message in catalog:
        if not message.previous_id or not isinstance(message.id, str):
            continue
        start = (f"msgctxt {normalize(message.context, width=WIDTH)}\n" if message.context
                 else f"msgid {normalize(message.id, width=WIDTH)}\n")
        at = text.find("\n" + start) + 1
        if at:
            previous = normalize(message.previous_id[0], prefix="#| ", width=WIDTH)
            text = f"{text[:at]}#| msgid {previous}\n{text[at:]}"
    return text


_CREATED = re.compile(rb'^"POT-Creation-Date: [^"]*"\n', re.MULTILINE)
"""The header line that says when a catalog was made: a new time at every run."""


def _write(catalog: Catalog, path: Path) -> Path:
    """Write a catalog as translators' tools expect it, sorted, with each message's
    previous English (``_with_previous``). A content text is not flagged as a %-format
    (Babel guesses so from a "%" in it, and msgfmt then holds the translation to it). Its
    references name files without line numbers, which move with every edit of the code;
    and a catalog whose messages did not change is left as it is (only its creation time
    would), so that an unchanged project's update changes no tracked file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for message in catalog:
        if message.context:  # a content text: Markdown, never a %-format ("63% said yes")
            message.flags.discard("python-format")
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, sort_output=True, include_lineno=False)
    data = _with_previous(buffer.getvalue().decode("utf-8"), catalog).encode("utf-8")
    if path.is_file() and not path.is_symlink():
        old = files.read_bytes(path, files.MAX_CATALOG_BYTES, "translation catalogs")
        if _CREATED.sub(b"", old) == _CREATED.sub(b"", data):
            return path
    path.write_bytes(data)
    return path


def _read(project: Project, path: Path, language: str | None = None) -> Catalog:
    """A catalog of the project or overlay, read only when it is an ordinary file inside it
    of sane size; or ContentError at its file and line when it is not one: a line in
    another encoding than it declares, a string without its closing quote, an entry Babel
    cannot read."""
    problem = files.file_problem(project, path, files.MAX_CATALOG_BYTES, "translation catalogs")
    if problem:
        raise ContentError([problem])
    data = files.read_bytes(path, files.MAX_CATALOG_BYTES, "translation catalogs")
    shown = project.shown(path)
    problem = _syntax_problem(data, shown)
    if problem is None:
        try:
            return _read_previous(read_po(io.BytesIO(data), locale=language,
                                          abort_invalid=True))
        except PoFileError as error:
            said = re.sub(r" on \d+$", "", str(error))  # the line is the Problem's
            problem = Problem(shown, error.lineno, "catalog",
                              f"{said}: write each entry as msgctxt (if any), msgid and "
                              "msgstr, each with its text in quotes")
        except (ValueError, UnicodeError) as error:
            problem = Problem(shown, 1, "catalog", f"the catalog cannot be read: {error}")
    raise ContentError([problem])


def _read_previous(catalog: Catalog) -> Catalog:
    """The catalog with each out-of-date message's previous English (its ``#| msgid``
    lines) in its place: Babel (2.19) reads those lines as translator comments."""
    for message in [*catalog, *catalog.obsolete.values()]:
        lines = [comment[1:].strip() for comment in message.user_comments
                 if comment.startswith("|")]
        if not lines:
            continue
        message.user_comments = [comment for comment in message.user_comments
                                 if not comment.startswith("|")]
        field, found = "", {}
        for line in lines:
            keyword, _, rest = line.partition(" ")
            if keyword in ("msgctxt", "msgid", "msgid_plural"):
                field, line = keyword, rest
            if field:
                found[field] = f"{found[field]}\n{line}" if field in found else line
        if "msgid" in found:
            message.previous_id = [denormalize(found["msgid"])]
    return catalog


def _syntax_problem(data: bytes, shown: str) -> Problem | None:
    declared = CHARSET.search(data)
    charset = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        codecs.lookup(charset)
    except LookupError:
        return Problem(shown, data[:declared.start()].count(b"\n") + 1, "catalog",
                       f"the catalog declares an unknown encoding '{charset}': save it as "
                       "UTF-8 and declare charset=UTF-8")
    for number, raw in enumerate(data.splitlines(), 1):
        try:
            line = raw.decode(charset)
        except UnicodeDecodeError:
            name = charset.upper()
            return Problem(shown, number, "catalog",
                           f"this line is not written in {name}, the encoding the catalog "
                           f"declares: save the catalog as {name} (as your editor's "
                           "\"encoding\" setting names it)")
        if not PO_LINE.fullmatch(line.strip()):
            return Problem(shown, number, "catalog",
                           "this line is not a catalog line (a # comment, msgctxt, msgid or "
                           "msgstr with its text in quotes, or more text in quotes): is a "
                           "closing quote missing, or a quote inside the text not written \\\"?")
    return None


def languages(project: Project) -> list[str]:
    """The languages with a catalog, in the project or its overlay: each is an edition.
    Raises ContentError for a catalog whose folder names no language Babel knows (its
    name becomes the edition's folder, ``site/LANG/``)."""
    found = {path.parent.parent.name: path for layer in reversed(project.layers)
             for path in (layer / LOCALES).glob("*/LC_MESSAGES/messages.po")}
    problems = [Problem(project.shown(path.parent.parent), 0, "language",
                        _unknown(code)) for code, path in sorted(found.items())
                if not known(code)]
    if problems:
        raise ContentError(problems)
    return sorted(found)


def _unknown(code: str) -> str:
    return (f"'{code}' is not a language code: name a language's folder by its two- or "
            "three-letter code in lower case (es, fr, vi, zh), as the translation tools do")


def _language(code: str) -> str:
    """``code`` when it names a language; else a ContentError (for the commands that take
    a language from their user)."""
    if not known(code):
        raise ContentError([Problem(str(LOCALES / code), 0, "language", _unknown(code))])
    return code


def update_command(project: Project, language: str) -> str:
    """The command that brings a language's catalog up to date for this project: with
    ``--overlay`` when it has one, so that the overlay's own catalog is the one written."""
    overlay = f" --overlay {project.shown(project.overlay)}" if project.overlay else ""
    return f"curriculum translate update {language}{overlay}"


def catalog_path(root: Path, language: str) -> Path:
    """Where a language's catalog is kept."""
    return root / LOCALES / language / "LC_MESSAGES" / "messages.po"


def extract(project: Project) -> Path:
    """Write the template, ``locales/messages.pot`` (the overlay's, with an overlay)."""
    return _write(template(project), _own(project) / TEMPLATE)


def update(project: Project, language: str) -> Path:
    """Merge the current template into the language's catalog (made if it does not exist):
    new messages are added, changed English becomes fuzzy with the old English kept."""
    path = catalog_path(_own(project), _language(language))
    current = template(project)
    if os.path.lexists(path):  # a pipe or a link out is refused, not written over
        catalog = _read(project, path, language)
    else:
        catalog = Catalog(locale=language, project="peer-partners-curriculum", fuzzy=False,
                          header_comment=HEADER % {"language": language})
    # Babel keeps a message's flags through an update but not its previous English
    previous = {message.context or message.id: message.previous_id for message in catalog
                if message.previous_id}
    catalog.update(current, no_fuzzy_matching=True, update_header_comment=False)
    for message in catalog:
        key = message.context or message.id
        if message.fuzzy and not message.previous_id and key in previous:
            message.previous_id = previous[key]
    # Babel matches by text within a context; a changed English text under the same
    # address is the same message out of date: mark it fuzzy and keep the old English.
    for old in list(catalog.obsolete.values()):
        fresh = next((message for message in catalog if message.context == old.context
                      and message.id and not message.string), None)
        if fresh is not None and old.string:
            fresh.string = old.string
            # the English it was translated from, however many changes ago
            fresh.previous_id = old.previous_id or [old.id]
            fresh.flags.add("fuzzy")
            del catalog.obsolete[(old.id, old.context) if old.context else old.id]
    if project.overlay:
        _start_from_upstream(project, catalog, language)
    return _write(catalog, path)


def _start_from_upstream(project: Project, catalog: Catalog, language: str) -> None:
    """An overlay's copy of an upstream item starts from upstream's translation of each of
    its texts not yet translated in the overlay: current where the copy's English is
    upstream's, out of date (upstream's English kept as the previous) where the copy
    changed it. Upstream's catalog is only read."""
    path = catalog_path(project.root, language)
    if not path.is_file():
        return
    upstream = {message.context: message for message in _read(project, path, language)
                if message.context and message.string and not message.fuzzy}
    for message in catalog:
        found = upstream.get(message.context) if message.context else None
        if found is None or message.string:
            continue
        message.string = found.string
        if found.id != message.id:
            message.flags.add("fuzzy")
            message.previous_id = [found.id]


@dataclass(frozen=True)
class ItemStatus:
    """How far one item's translation is."""

    item: str
    """The item, as "lesson:grounding"."""
    translated: int
    """Messages translated and current."""
    fuzzy: int
    """Messages translated from an older English: out of date."""
    missing: int
    """Messages not translated yet."""
    unreviewed: int = 0
    """Messages translated and current that no qualified translator has reviewed."""
    critical: int = 0
    """Of those, the ones that matter for safety and rights (``review.critical``)."""


def _translations(project: Project, language: str) -> dict[Any, tuple[Any, Path]]:
    """Every translated message of the language's catalogs, the overlay's over upstream's,
    with the catalog it is written in, by key: a content text by its address, a word by
    its English; raises ContentError for every catalog that cannot be read."""
    found: dict[Any, tuple[Any, Path]] = {}
    problems: list[Problem] = []
    for layer in reversed(project.layers):
        path = catalog_path(layer, language)
        if not os.path.lexists(path):
            continue
        try:
            catalog = _read(project, path, language)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        for message in catalog:
            if message.id and message.string:
                found[_key(message)] = (message, path)
    if problems:
        raise ContentError(problems)
    return found


def _key(message: Any) -> Any:
    if message.context:
        return message.context
    return message.id if isinstance(message.id, str) else message.id[0]


def _strings(message: Any) -> list[str]:
    """A message's translation, or each of its plural forms."""
    return [message.string] if isinstance(message.string, str) else list(message.string)


def refusal(found: Any, project: Project) -> str | None:
    """Why a translation may not replace its English (see
    ``generator.core.localize.translation_refusal``; a content text's images must also be files
    in the project), or None."""
    ids = [found.id] if isinstance(found.id, str) else list(found.id)
    for index, string in enumerate(_strings(found)):
        english = ids[min(index, len(ids) - 1)]
        if found.context:
            reason = translation_refusal(english, string, word=False,
                                         images=lambda text: image_refusals(text, project))
        else:
            reason = translation_refusal(english, string, word=True)
        if reason:
            return reason
    return None


def _current(found: Any, english: Any, project: Project) -> bool:
    """Whether a catalog entry translates this English, whole, within the rules, and is
    not marked out of date."""
    same = found.id == english if isinstance(english, str) else tuple(found.id) == english
    return (same and not found.fuzzy and all(_strings(found))
            and refusal(found, project) is None)


def states(project: Project, language: str) -> dict[Any, tuple[str, int]]:
    """Every message of the project (by address, or a word by its English) with its item
    and its state in the language: 0 translated and current, 1 out of date, 2 missing."""
    translations = _translations(project, language)
    found_messages, problems = messages(project)
    if problems:
        raise ContentError(problems)
    found: dict[Any, tuple[str, int]] = {}
    for message in found_messages:
        text = message.text
        key = message.context or (text if isinstance(text, str) else text[0])
        entry = translations.get(key)
        state = 2 if entry is None else 0 if _current(entry[0], text, project) else 1
        found[key] = (item_of(message.context) if message.context else WORDS, state)
    return found


def status(project: Project, language: str) -> list[ItemStatus]:
    """Per item (and for the templates' words), the messages translated, out of date and
    missing, against the overlay's and the upstream catalogs."""
    code = _language(language)
    current = current_translations(project, code)
    problems: list[Problem] = []
    checked = review.reviewed(review.read(project, code, problems), current)
    if problems:
        raise ContentError(problems)
    counts: dict[str, list[int]] = {}
    for key, (item, state) in states(project, code).items():
        numbers = counts.setdefault(item, [0, 0, 0, 0, 0])
        numbers[state] += 1
        if state == 0 and key not in checked:
            numbers[3] += 1
            numbers[4] += review.critical(key)
    return [ItemStatus(item, *numbers) for item, numbers in sorted(counts.items())]


def record_reviews(project: Project, language: str, items: list[str], by: str,
                   on: dt.date) -> tuple[Path, int]:
    """Record that a qualified translator reviewed every current translation of ``items``
    (as ``translate status`` names them: "lesson:grounding", "agency", "templates"; all
    with "all"); returns the reviews file and how many were recorded."""
    code = _language(language)
    current = current_translations(project, code)
    wanted = set(items)
    keys = [key for key, (item, state) in states(project, code).items()
            if state == 0 and key in current and ("all" in wanted or item in wanted)]
    unknown = wanted - {"all"} - {item for item, _state in states(project, code).values()}
    if unknown:
        raise ContentError([Problem(str(catalog_path(Path("."), code)), 0, "item",
                                    f"no item '{name}' has messages in this language; "
                                    "`curriculum translate status` lists them")
                            for name in sorted(unknown)])
    return review.record(project, code, keys, current, by, on), len(keys)


@dataclass(frozen=True)
class Behind:
    """A message of a language that was current in the older edition and is not now, or
    that is new and not translated yet."""

    language: str
    """The language's code."""
    key: str
    """The message's address (a template word: its English)."""
    why: str
    """"out of date" (its English changed) or "new"."""


def fallen_behind(old: Project, new: Project) -> list[Behind]:
    """Per language of either edition, the messages that became out of date or are new and
    untranslated between the two editions."""
    found = []
    for language in sorted(set(languages(old)) | set(languages(new))):
        before = states(old, language)
        for key, (_item, state) in states(new, language).items():
            if state == 0:
                continue
            if key not in before:
                found.append(Behind(language, str(key), "new"))
            elif before[key][1] == 0:
                found.append(Behind(language, str(key), "out of date"))
    return found


def load_language(project: Project, code: str) -> Language:
    """The language with every translation of its catalogs that is current and passes the
    rules of ``refusal``: content texts by address (with the English they translate), words
    by their English. A refused translation is a problem of the language at its catalog line
    (a warning: the English is shown instead); a catalog that cannot be read raises
    ContentError."""
    if code == SOURCE:
        return Language(code)
    content: dict[str, tuple[str, str]] = {}
    words: dict[str, str] = {}
    where: dict[str, tuple[str, int]] = {}
    problems: list[Problem] = []
    current: dict[Any, tuple[Any, Any]] = {}
    for key, (found, path) in _translations(project, code).items():
        if found.fuzzy or not all(_strings(found)):
            continue
        reason = refusal(found, project)
        if reason:
            shown = project.shown(path)
            problems.append(Problem(shown, found.lineno, _field(found),
                                    f"{reason}; until then the English is shown",
                                    severity="warning"))
            # what this holds back is named at the refused translation
            for english in [key] if found.context else _english(found):
                where[english] = (shown, found.lineno)
            continue
        for character in dict.fromkeys(character for string in _strings(found)
                                       for character in unprintable(string)):
            problems.append(Problem(project.shown(path), found.lineno, _field(found),
                                    unprintable_warning(character),
                                    severity="warning"))
        current[key] = (found.id, found.string)
        if found.context:
            content[key] = (found.id, found.string)
        elif isinstance(found.id, str):
            words[found.id] = found.string
        else:  # Spanish has three forms (one, many, other): the last is the usual plural
            words[found.id[0]] = found.string[0]
            words[found.id[1]] = found.string[-1]
    unusable: list[Problem] = []
    reviews = review.read(project, code, unusable)
    problems += [dataclasses.replace(problem, severity="warning",
                                     message=f"{problem.message}; until then its reviews "
                                             "are not counted") for problem in unusable]
    unreviewed = frozenset(current) - review.reviewed(reviews, current)
    return Language(code, content=content, words=words, where=where, problems=problems,
                    unreviewed=unreviewed)


def current_translations(project: Project, code: str) -> dict[Any, tuple[Any, Any]]:
    """Every translation of the language that is current and may be used, by key (a text's
    address, a word's English): its English and its translation."""
    return {key: (found.id, found.string)
            for key, (found, _path) in _translations(project, code).items()
            if not found.fuzzy and all(_strings(found)) and refusal(found, project) is None}


def _english(found: Any) -> list[str]:
    """A word's English: its singular and plural for a word with a number."""
    return [found.id] if isinstance(found.id, str) else list(found.id[:2])


def _field(found: Any) -> str:
    """How a message is named in a problem (at the line of its msgid): its context, or a
    word its English."""
    if found.context:
        return found.context
    english = " ".join(_key(found).split())
    if len(english) > 60:  # a paragraph: its first words name it
        english = english[:60].rsplit(" ", 1)[0] + " …"
    return f'msgid "{english}"'


def agency_behind(catalog: CatalogOfContent, language: Language,
                  project: Project) -> tuple[list[Problem], list[Problem]]:
    """The agency's texts that ``language``'s edition prints in English (their translation is
    missing, or translates an English that has changed), at their setting's line: a warning
    each, and for those of the crisis box a problem that stops a release."""
    warnings: list[Problem] = []
    release: list[Problem] = []
    command = update_command(project, language.code)
    for address in catalog.behind.texts.get("agency", []):
        path, line = catalog.behind.where[address]
        setting = address.removeprefix("agency:")
        what = (f"the {language.in_english} edition prints this in English: its translation "
                f"({address}) is missing, or translates English that has since changed. Run "
                f"`{command}`, translate it, and build again")
        warnings.append(Problem(path, line, setting, what, severity="warning"))
        if address.startswith(CRISIS_BOX):
            release.append(Problem(path, line, setting,
                                   f"a member's crisis box in the {language.in_english} "
                                   f"edition would print this in English (no current "
                                   f"translation of {address}); run `{command}` and "
                                   "translate it"))
    return warnings, release


def unreviewed_critical(language: Language, project: Project) -> list[Problem]:
    """What stops a release of ``language``'s edition: its translations that matter for
    safety and rights (``review.critical``) and that no qualified translator reviewed as
    they are; one problem at the language's reviews file, naming a few."""
    keys = sorted(key for key in language.unreviewed if review.critical(key))
    if not keys:
        return []
    named = "; ".join(keys[:3]) + (f" and {len(keys) - 3} more" if len(keys) > 3 else "")
    own = review.path(project.overlay or project.root, language.code)
    return [Problem(project.shown(own), 0, "reviews",
                    f"the {language.in_english} edition prints {len(keys)} translation"
                    f"{'s' if len(keys) != 1 else ''} critical for safety and rights that no "
                    f"qualified translator has reviewed ({named}). Have them reviewed and "
                    f"record it with `curriculum translate reviewed {language.code} ITEM... "
                    "--by NAME`, or publish English only (languages: [] in the agency "
                    "settings)")]
