"""Stage 1b: validate every parsed content file against the models, with the overlay laid
over upstream and the agency's settings filled into the placeholders.

Every key keeps the line it was written on (``generator.core.parse``), so that any later problem
can say ``path:line``.
"""

from __future__ import annotations

import difflib
import pickle
import types
import typing
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.core import files, overlay, placeholders, sample
from generator.core.characters import deceptive, unprintable, unprintable_warning
from generator.core.errors import Loc, Problem, field_name, texts
from generator.core.language import ENGLISH, Language
from generator.core.localize import Behind, localize
from generator.core.models import EDITION_PATTERN, ID_PATTERN, KINDS
from generator.core.parse import COLLECTIONS, Document, find_files, parse
from generator.core.project import Project


@dataclass
class Item:
    """A validated content item and the document it came from."""

    model: BaseModel
    doc: Document


def validate(doc: Document, problems: list[Problem]) -> Item | None:
    """Validate a Document against its model, mapping every error to its line."""
    model = KINDS[doc.kind]
    try:
        return Item(model.model_validate(doc.data), doc)
    except ValidationError as error:
        found = [(_data_loc(detail["loc"], doc.data), detail) for detail in error.errors()]
        misspelt = {(*loc[:-1], _suggestion(model, loc)) for loc, detail in found
                    if detail["type"] == "extra_forbidden"}
        for loc, detail in found:
            if detail["type"] == "missing" and loc in misspelt:
                continue  # the "did you mean" of the unknown field already says it
            if detail["type"] == "missing":
                line, message = _missing(doc, model, loc)
            else:
                line, message = doc.line(loc), _message(detail, model, loc)
            problems.append(Problem(doc.path, line, field_name(loc), message))
        return None


def _missing(doc: Document, model: type[BaseModel], loc: Loc) -> tuple[int, str]:
    """Where a missing required field belongs (after the field before it in the model, or
    at the top of its mapping) and a one-line example of it."""
    parent, name = loc[:-1], str(loc[-1])
    owner = _model_at(model, parent)
    fields = list(owner.model_fields)
    present = doc.data
    for part in parent:
        present = present[part] if isinstance(present, (dict, list)) else {}
    before = [key for key in fields[:fields.index(name)] if isinstance(present, dict)
              and key in present] if name in fields else []
    info = owner.model_fields.get(name)
    described = (info.description or "").split(". ")[0].strip().rstrip(".") if info else ""
    nested = find_model(info.annotation) if info else None
    if nested is not None and typing.get_origin(info.annotation) is list:
        example = f"{name}: followed by a list of items, each starting with '- '"
    elif nested is not None:
        fields_of = ", ".join(list(nested.model_fields)[:3])
        example = f"{name}: followed by its own fields ({fields_of} ...)"
    else:
        example = f"{name}: {described or '...'}"
    if before:
        where = (*parent, before[-1])
        return doc.line(where), (f"the required field '{name}' is missing; add it after "
                                 f"'{before[-1]}', e.g. {example}")
    return doc.line(parent) if parent else doc.line(()), (
        f"the required field '{name}' is missing; add it at the top of this mapping, e.g. "
        f"{example}")


def _data_loc(loc: Loc, data: Any) -> Loc:
    """Drop the parts of a pydantic location that name union members, not data keys."""
    kept: list[str | int] = []
    current = data
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            current = current[part]
        elif not last:
            continue
        kept.append(part)
    return tuple(kept)


def _message(detail: dict[str, Any], model: type[BaseModel], loc: Loc) -> str:
    kind = detail["type"]
    if kind == "missing":
        return "this required field is missing"
    if kind == "extra_forbidden":
        close = _suggestion(model, loc)
        known = ", ".join(_model_at(model, loc[:-1]).model_fields)
        hint = f"; did you mean '{close}'?" if close else f"; the known fields are {known}"
        return f"unknown field '{loc[-1]}'{hint}"
    value = detail.get("input")
    if kind == "string_pattern_mismatch" and detail["ctx"]["pattern"] == ID_PATTERN:
        return ("an id may hold only lower-case letters, digits and single hyphens, e.g. "
                f"'personal-boundaries'; it becomes a file name (found {value!r})")
    if kind == "string_pattern_mismatch" and detail["ctx"]["pattern"] == EDITION_PATTERN:
        return f"an edition is the year, a dot and a number, e.g. '2027.1' (found {value!r})"
    if kind.startswith(("date_", "datetime_")):
        reason = detail["msg"].rsplit(",", 1)[-1].strip()
        return (f"should be a real date written as year-month-day, e.g. 2027-01-14 "
                f"(found {value!r}: {reason})")
    if kind == "int_type":
        return f"should be a whole number, written without quotes, e.g. 5 (found {value!r})"
    if kind == "bool_type":
        return f"should be true or false, written without quotes (found {value!r})"
    if kind in ("string_too_long", "too_long") and isinstance(value, str):
        limit = detail["ctx"]["max_length"]
        return f"is {len(value.strip()):,} characters long; at most {limit} fit here: shorten it"
    if kind.startswith("time_"):
        return f"should be a time on the 24-hour clock, e.g. \"17:30\" (found {value!r})"
    message = detail["msg"].replace("Input should be", "should be")
    if kind == "value_error":
        return message.removeprefix("Value error, ")
    if isinstance(value, list):
        return f"{message} (found a list)"
    if isinstance(value, dict):
        return f"{message} (found a mapping)"
    shown = repr(value)
    return f"{message} (found {shown if len(shown) <= 60 else shown[:57] + '...'})"


def _suggestion(model: type[BaseModel], loc: Loc) -> str | None:
    """The known field closest to the unknown one at ``loc``, if any is close."""
    known = list(_model_at(model, loc[:-1]).model_fields)
    close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
    return close[0] if close else None


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel]:
    """The model class that describes the mapping at ``loc``."""
    for part in loc:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(str(part))
        if info is None:
            return model
        found = find_model(info.annotation)
        if found is None:
            return model
        model = found
    return model


def find_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType, typing.Annotated, dict):
        for arg in typing.get_args(annotation):
            found = find_model(arg)
            if found is not None:
                return found
    return None


def refuse_deceptive(doc: Document, problems: list[Problem],
                     warnings: list[Problem] | None = None) -> None:
    """Every text of the file as written (before placeholders are filled, so that a
    setting is blamed once, at its own line) holds no character that hides or reorders
    what it shows. With ``warnings``, also a warning for each character of a text the
    print font cannot show, at its line."""
    if doc.written and warnings is not None:  # the same bytes give the same findings
        refused, unshown = _as_written(doc.path, doc.written)
    else:
        refused, unshown = _characters(doc, warnings is not None)
    problems.extend(refused)
    if warnings is not None:
        warnings.extend(unshown)


@lru_cache(maxsize=512)
def _as_written(path: str, written: bytes) -> tuple[tuple[Problem, ...], tuple[Problem, ...]]:
    """``_characters`` of a file as read, once per process for the same bytes (the live
    preview reads every file again after each save)."""
    data, lines = pickle.loads(written)
    return _characters(Document(path, "", data, lines), True)


def _characters(doc: Document, printed: bool) -> tuple[tuple[Problem, ...], tuple[Problem, ...]]:
    """The deceptive characters of every text of a document (problems), and (if
    ``printed``) the ones the print font cannot show (warnings)."""
    refused: list[Problem] = []
    unshown: list[Problem] = []
    for loc, text in texts(doc.data):
        reason = deceptive(text)
        if reason:
            refused.append(Problem(doc.path, doc.line(loc), field_name(loc), reason))
        if printed:
            unshown.extend(Problem(doc.path, doc.line(loc), field_name(loc),
                                   unprintable_warning(character), severity="warning")
                           for character in unprintable(text))
    return tuple(refused), tuple(unshown)


@dataclass
class Loaded:
    """Everything ``load`` found: valid items, problems, and what the files declare."""

    items: list[Item]
    problems: list[Problem]
    declared: dict[str, set[str]]
    """The ids each kind of file declares, valid or not, so that a reference to an item
    whose file has mistakes is not reported as a reference to nothing."""
    program: Document | None
    """The program file as parsed, for checks that need no valid model."""
    settings: Document | None = None
    """The overlay's ``content/overlay.yml`` as parsed, if there is one."""
    changes: list[overlay.Change] = field(default_factory=list)
    """What the overlay replaces, adds and disables."""
    documents: list[Document] = field(default_factory=list)
    """Every parsed file in use, valid or not, for checks that need no valid model."""
    warnings: list[Problem] = field(default_factory=list)
    """Things worth a second look in the files as written, e.g. characters the print font
    cannot show."""
    behind: Behind = field(default_factory=Behind)
    """In a translated edition, the member-facing texts left in English."""


def load(project: Project, language: Language = ENGLISH) -> Loaded:
    """Parse and validate every content file of the project and its overlay, in a language.

    Overlay files replace upstream items with the same id and add the others. In another
    language than English, each member-facing text is its current translation (or stays
    English, recorded in ``Loaded.behind``). The agency settings are validated first:
    their values, in the language, fill the placeholders (``{{ budget }}``) in the text of
    every other file before it is validated.
    """
    problems: list[Problem] = []
    warnings: list[Problem] = []
    parsed: dict[Path, list[Document]] = {}
    unreadable: dict[str, set[str]] = {}
    for layer in project.layers:
        parsed[layer] = []
        for folder in [layer / "content", *(layer / "content" / sub for sub in COLLECTIONS)]:
            if outside := files.link_problem(project, folder):
                problems.append(outside)
        for path, kind in find_files(layer, overlay=layer == project.overlay):
            doc = parse(path, project.shown(path), kind, problems, project)
            if doc is None:  # its id is most likely its file name: no follow-on errors
                unreadable.setdefault(kind, set()).add(path.stem)
            else:
                refuse_deceptive(doc, problems, warnings)
                parsed[layer].append(doc)
    upstream = parsed[project.root]
    over = parsed.get(project.overlay, []) if project.overlay else []
    settings = next((doc for doc in over if doc.kind == "overlay"), None)
    docs, changes = overlay.stack(upstream, over, settings, problems)
    behind = localize(docs, language)
    declared: dict[str, set[str]] = unreadable
    for doc in docs:
        if isinstance(doc.data.get("id"), str):
            declared.setdefault(doc.kind, set()).add(doc.data["id"])
    items: list[Item] = []
    known: dict[str, str] | None = None
    for doc in docs:
        if doc.kind == "agency":
            item = validate(doc, problems)
            if item is not None:
                # every output prints these settings: no placeholder number among them
                item.model = sample.printable(item.model)
                items.append(item)
                known = placeholders.values(item.model, language)
    for doc in docs:
        if doc.kind == "agency":
            continue
        if known is not None:
            placeholders.fill(doc, known, problems)
        item = validate(doc, problems)
        if item is not None:
            items.append(item)
    program = next((doc for doc in docs if doc.kind == "program"), None)
    return Loaded(items, problems, declared, program, settings, changes, docs, warnings,
                  behind)
