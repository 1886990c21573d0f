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
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from generator.errors import ContentError, Problem
from generator.load import _find_model
from generator.parse import Document, find_files, parse
from generator.models import KINDS
from generator.project import Project
from generator.render import PARTICIPANT_LESSON_FIELDS

LOCALES = Path("locales")
"""Where the catalogs live, in the project (and in an overlay)."""
TEMPLATE = LOCALES / "messages.pot"
"""The template every language's catalog is updated from."""
NOT_TEXT = {"id", "kind", "sequence", "audience", "fills_in", "handbook", "order", "draft",
            "type", "required", "lines", "rows", "level", "minutes", "grouping",
            "may_stir_feelings", "url"}
"""Fields that hold no words for members to read."""
KEYS = ("id", "title", "term")
"""What addresses an entry of a list, where its entries have one."""


@dataclass(frozen=True)
class Message:
    """One member-facing text, where it is, and what it is for."""

    context: str
    """Its stable address: kind, id and field path."""
    text: str
    """The English, as written in the content file."""
    comment: str
    """The field's description, for the translator."""
    location: tuple[str, int]
    """The content file and line it comes from."""


def _member_data(doc: Document) -> dict[str, Any] | None:
    """The member-facing part of a content file as written, or None if members see none."""
    data = doc.data
    if data.get("draft") is True:
        return None
    if doc.kind == "lesson":
        view = {key: data[key] for key in PARTICIPANT_LESSON_FIELDS if key in data}
        view["activities"] = [{key: activity[key] for key in ("title", "member_instructions")
                               if key in activity}
                              for activity in data.get("activities") or []
                              if isinstance(activity, dict)]
        return view
    if doc.kind == "form" and data.get("audience") == "participant":
        return data
    if doc.kind == "chapter" and data.get("handbook") == "participant":
        return data
    return None


def _describe(model: Any, path: tuple[str, ...]) -> str:
    """The description of the field at ``path`` in ``model``, from its docstring."""
    description = ""
    for part in path:
        info = getattr(model, "model_fields", {}).get(part)
        if info is None:
            continue
        description = " ".join((info.description or "").split())
        model = _find_model(info.annotation) or model
    return description


def _walk(value: Any, address: tuple[str, ...], loc: tuple, fields: tuple[str, ...]):
    """Every text of a value: (address parts, data location, field path)."""
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


def messages(project: Project) -> tuple[list[Message], list[Problem]]:
    """Every member-facing text of the project (and its overlay), in a stable order."""
    problems: list[Problem] = []
    found: dict[str, Message] = {}
    for layer in reversed(project.layers):  # an overlay's item replaces the upstream one
        for path, kind in find_files(layer):
            if kind not in ("lesson", "form", "chapter"):
                continue
            doc = parse(path, project.shown(path), kind, problems)
            view = _member_data(doc) if doc else None
            if not view or not isinstance(doc.data.get("id"), str):
                continue
            prefix = f"{kind}:{doc.data['id']}:"
            for key in [key for key in found if key.startswith(prefix)]:
                del found[key]
            for address, loc, fields, text in _walk(view, (), (), ()):
                context = prefix + ".".join(address)
                found[context] = Message(context, text, _describe(KINDS[kind], fields),
                                         (doc.path, doc.line(loc)))
    return sorted(found.values(), key=lambda message: message.context), problems


def template(project: Project) -> Catalog:
    """The catalog template (POT) of the project's member-facing texts."""
    found, problems = messages(project)
    if problems:
        raise ContentError(problems)
    catalog = Catalog(project="peer-partners-curriculum", fuzzy=False)
    for message in found:
        catalog.add(message.text, context=message.context, auto_comments=[message.comment],
                    locations=[message.location])
    return catalog


def _write(catalog: Catalog, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=96, include_previous=True, sort_output=True)
    path.write_bytes(buffer.getvalue())
    return path


def _read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def catalog_path(root: Path, language: str) -> Path:
    """Where a language's catalog is kept."""
    return root / LOCALES / language / "LC_MESSAGES" / "messages.po"


def extract(project: Project) -> Path:
    """Write the template, ``locales/messages.pot``."""
    return _write(template(project), project.root / TEMPLATE)


def update(project: Project, language: str) -> Path:
    """Merge the current template into the language's catalog (made if it does not exist):
    new messages are added, changed English becomes fuzzy with the old English kept."""
    path = catalog_path(project.root, language)
    current = template(project)
    if path.is_file():
        catalog = _read(path, language)
    else:
        catalog = Catalog(locale=language, project="peer-partners-curriculum", fuzzy=False)
    catalog.update(current, no_fuzzy_matching=True, update_header_comment=False)
    # Babel matches by text within a context; a changed English text under the same
    # address is the same message out of date: mark it fuzzy and keep the old English.
    for old in list(catalog.obsolete.values()):
        fresh = next((message for message in catalog if message.context == old.context
                      and message.id and not message.string), None)
        if fresh is not None and old.string:
            fresh.string = old.string
            fresh.previous_id = [old.id]
            fresh.flags.add("fuzzy")
            del catalog.obsolete[(old.id, old.context) if old.context else old.id]
    return _write(catalog, path)


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


def status(project: Project, language: str) -> list[ItemStatus]:
    """Per item, the messages of the current template translated, out of date and missing."""
    path = catalog_path(project.root, language)
    translations = {message.context: message for message in _read(path, language)
                    if message.id} if path.is_file() else {}
    counts: dict[str, list[int]] = {}
    for message in template(project):
        if not message.id:
            continue
        item = ":".join(message.context.split(":")[:2])
        found = translations.get(message.context)
        done = found is not None and bool(found.string)
        current = done and found.id == message.id and not found.fuzzy
        counts.setdefault(item, [0, 0, 0])[0 if current else 1 if done else 2] += 1
    return [ItemStatus(item, *numbers) for item, numbers in sorted(counts.items())]
