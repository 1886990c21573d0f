"""Stage 1c: what members read, as addressed texts, and the content in another language.

Every member-facing text of the content (the participant fields of a lesson and its
activities' member steps, the member forms, the participant handbook chapters) has a stable
address, its message context: ``lesson:grounding:handout.body``, with list entries addressed
by their key (title, id or term) where they have one, else by position. ``localize`` puts a
language's current translation in place of each English text, before the agency's settings
fill the placeholders; a text with no current translation stays English and is recorded as
behind, so pages can say so and PDFs are not printed with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from generator.core.characters import deceptive
from generator.core.errors import Loc
from generator.core.language import Language
from generator.core.markup import refusal
from generator.core.parse import Document

PARTICIPANT_LESSON_FIELDS = (
    "id", "title", "kind", "skill_area", "sequence", "summary", "framing_questions",
    "objectives", "skill_steps", "practice", "journal_prompt", "handout", "key_takeaways",
    "safety",
)
"""The lesson fields members see (P in the content guide); activities add their member steps."""
NOT_TEXT = {"id", "kind", "sequence", "audience", "fills_in", "handbook", "order", "draft",
            "type", "required", "lines", "rows", "level", "minutes", "grouping",
            "may_stir_feelings", "url"}
"""Fields that hold no words for members to read."""
KEYS = ("id", "title", "term")
"""What addresses an entry of a list, where its entries have one."""
TRANSLATED_KINDS = ("lesson", "form", "chapter", "agency")
"""The kinds of item with member-facing texts."""
AGENCY_TEXTS = {
    "program_name": None,
    "coaches": ("name", "hours"),
    "meeting": ("place",),
    "warmline": ("name", "hours"),
    "crisis": {"local_lines": ("name", "hours")},
}
"""The agency's settings that members read in words (names, roles, places and hours; not
numbers or addresses), translated as messages addressed by the setting:
``agency:warmline.hours``, ``agency:crisis.local_lines[0].name``."""
CRISIS_BOX = ("agency:warmline.", "agency:crisis.")
"""The agency's texts printed in every member's crisis box."""


def member_data(doc: Document) -> dict[str, Any] | None:
    """The member-facing part of a content file as written, or None if members see none.
    List positions are those of the file, so that a text's place in the view is its place
    in the file."""
    data = doc.data
    if doc.kind == "agency":
        return _settings(data, AGENCY_TEXTS)
    if data.get("draft") is True or not isinstance(data.get("id"), str):
        return None
    if doc.kind == "lesson":
        view = {key: data[key] for key in PARTICIPANT_LESSON_FIELDS if key in data}
        activities = data.get("activities")
        if isinstance(activities, list):
            view["activities"] = [
                {key: activity[key] for key in ("title", "member_instructions")
                 if key in activity} if isinstance(activity, dict) else {}
                for activity in activities]
        return view
    if doc.kind == "form" and data.get("audience") == "participant":
        return data
    if doc.kind == "chapter" and data.get("handbook") == "participant":
        return data
    return None


FILLED = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|%\(\w+\)s", re.DOTALL)
"""What a text leaves for the build to fill: the agency's placeholders (and their
conditions, ``{% if journals == "collected" %}``) and a template word's ``%(name)s``; a
placeholder may be split over lines."""
READ_AS_CODE = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
"""What Jinja reads as code in a text it fills, besides the placeholders themselves."""
STRUCTURE = "[]<>{}|`\n"
"""The characters that open or close something in Markdown or HTML (a link, a tag, an
attribute list, a table cell, code) or end a line: a template word's translation has as
many of each as its English."""
TARGET = re.compile(r"\]\(\s*([^\s()]*(?:\([^\s()]*\)[^\s()]*)*)")
"""A link's address, after its text."""
NUMBER = re.compile(r"\d{3,}")
"""A number the reader may need to dial or find (988, 911): a translation keeps each."""


def _settings(data: Any, shape: Any) -> Any:
    """The part of settings ``data`` that ``shape`` names (``AGENCY_TEXTS``): a key with
    None is kept whole, a tuple of keys keeps those keys of each entry of a list (or of one
    mapping), a mapping goes down a level."""
    if shape is None:
        return data
    if isinstance(data, list):
        return [_settings(item, shape) for item in data]
    if not isinstance(data, dict):
        return None
    if isinstance(shape, tuple):
        return {key: data[key] for key in shape if key in data}
    return {key: _settings(data[key], inner) for key, inner in shape.items() if key in data}


def placeholders(text: str) -> list[str]:
    """The placeholders of a text, however they are spaced or split over lines."""
    return sorted("".join(found.split()) for found in FILLED.findall(text))


def fits(english: str, translation: str) -> bool:
    """Whether a translation keeps every placeholder of its English, and adds none."""
    return placeholders(english) == placeholders(translation)


def translation_refusal(english: str, translation: str, word: bool,
                        images: Callable[[str], list[str]] = lambda text: []) -> str | None:
    """Why a translation may not replace its English, or None when it may.

    Every translation passes the rules of the English content (raw HTML, event attributes
    and links other than http:, https:, mailto: and tel: are refused; see
    ``generator.core.markup.refusal``), keeps exactly the English's placeholders however it
    splits them over lines, holds nothing else Jinja would read (``{{``, ``{%``, ``{#`` and
    their ends) and no character that hides or reorders text
    (``generator.core.characters.deceptive``), and keeps every number of three digits or more
    (988, 911).

    A translation lands in the middle of a template: a template's own ``word`` inside a
    link's text in Markdown (``[{{ _("Print this handout (PDF)") }}](...)``), a table cell,
    a heading or an HTML element, and a content text too (``[{{ lesson.title }}](...)``).
    Both may carry Markdown of their own ("The [schedule](…) of sessions"), so
    they are not escaped; instead a translation keeps its English's structure: as many of
    each of ``[ ] < > { } |`` and backticks (and for a word, of line breaks; a paragraph of
    content may take more lines), so that it cannot close or open anything the template
    owns, and each link's address as in the English, or a heading of the page
    (``#para-guias``) or an ``https://`` address (the language's own version of a site).
    A word is %-formatted too, so a ``%`` must be a placeholder of its English or ``%%``.
    ``images`` says why a text's images may not be printed (a content text's must be files
    in the project).
    """
    hidden = deceptive(translation)
    if hidden:
        return f"the translation {hidden}"
    if not fits(english, translation):
        return ("the translation does not keep the English's placeholders "
                f"({', '.join(sorted(set(FILLED.findall(english)))) or 'none'}): write each "
                "one exactly once, as in the English")
    rest = FILLED.sub("", translation)
    code = READ_AS_CODE.search(rest)
    if code:
        return (f"'{code.group(0)}' outside a placeholder would be read as a template; write "
                "only the English's placeholders")
    if word and "%" in rest.replace("%%", ""):  # words are %-formatted
        return "a percent sign is written '%%' in this text (a single '%' is a placeholder)"
    lost = sorted(set(NUMBER.findall(english)) - set(NUMBER.findall(translation)))
    if lost:
        return (f"the translation leaves out the number{'s' if len(lost) > 1 else ''} "
                f"{', '.join(lost)} of the English: keep {'them' if len(lost) > 1 else 'it'}")
    return (refusal(translation) or next(iter(images(translation)), None)
            or _structure_change(english, translation, word))


def _structure_change(english: str, translation: str, word: bool) -> str | None:
    kept = set(TARGET.findall(english))
    moved = [address for address in TARGET.findall(translation) if address not in kept
             and not address.startswith(("#", "https://"))]
    if moved:
        return (f"the translation links to '{moved[0]}': a link keeps its English's address "
                f"({', '.join(sorted(kept)) or 'none'}), or points to a heading of the page "
                "(#...) or to an https:// address (a site in the language)")
    for char in STRUCTURE if word else STRUCTURE.replace("\n", ""):
        if english.count(char) != translation.count(char):
            shown = "line break" if char == "\n" else f"'{char}'"
            return (f"the translation has {translation.count(char)} {shown} where the English "
                    f"has {english.count(char)}: these open or close parts of the page (links, "
                    "tags, table cells, lines), so keep as many as the English has")
    return None


def item_of(context: str) -> str:
    """The item a message belongs to: "lesson:grounding" for "lesson:grounding:summary",
    "agency" for the agency's settings ("agency:warmline.hours")."""
    if context.startswith("agency:"):
        return "agency"
    return ":".join(context.split(":")[:2])


def texts(doc: Document) -> Iterator[tuple[str, Loc, tuple[str, ...], str]]:
    """Every member-facing text of a file: (its address, its place in the data, its field
    path in the model, the English)."""
    view = member_data(doc) if doc.kind in TRANSLATED_KINDS else None
    if not view:
        return
    prefix = "agency:" if doc.kind == "agency" else f"{doc.kind}:{doc.data['id']}:"
    for address, loc, fields, text in _walk(view, (), (), ()):
        yield prefix + ".".join(address), loc, fields, text


def _walk(value: Any, address: tuple[str, ...], loc: Loc, fields: tuple[str, ...]):
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in NOT_TEXT:
                yield from _walk(item, (*address, str(key)), (*loc, key), (*fields, str(key)))
    elif isinstance(value, list):
        key = next((name for name in KEYS if value and all(
            isinstance(item, dict) and isinstance(item.get(name), str) for item in value)
            and len({item[name] for item in value}) == len(value)), None)
        for index, item in enumerate(value):
            part = f"[{item[key]}]" if key else f"[{index}]"
            yield from _walk(item, (*address[:-1], address[-1] + part) if address else (part,),
                             (*loc, index), fields)
    elif isinstance(value, str) and value.strip():
        yield address, loc, fields, value


@dataclass
class Behind:
    """The member-facing texts of the content left in English in a language, because their
    translation is missing or out of date."""

    texts: dict[str, list[str]] = field(default_factory=dict)
    """Item ("lesson:grounding") -> the addresses of its texts left in English."""
    where: dict[str, tuple[str, int]] = field(default_factory=dict)
    """Each such text's content file and line."""


def localize(docs: list[Document], language: Language) -> Behind:
    """Put the language's current translation in place of every member-facing text of the
    documents; return the texts left in English."""
    behind = Behind()
    if language.source:
        return behind
    for doc in docs:
        found = list(texts(doc))
        for context, loc, _fields, english in found:
            current = language.content.get(context)
            if current and current[0] == english:
                _put(doc.data, loc, current[1])
            else:
                behind.texts.setdefault(item_of(context), []).append(context)
                behind.where.setdefault(context, (doc.path, doc.line(loc)))
    return behind


def _put(data: Any, loc: Loc, value: str) -> None:
    for part in loc[:-1]:
        data = data[part]
    data[loc[-1]] = value
