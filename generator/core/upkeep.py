"""Keeping an overlay: start one, copy upstream items into it, and see what to review.

``overlay copy`` records the upstream version (a hash of the item's data) of every file it
copies in ``upstream.yml``; ``overlay status`` compares those records with the upstream
files of today, so that after pulling a new edition the agency knows what to review.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.core import files, overlay
from generator.core.errors import Problem, RequestError, field_name, texts
from generator.core.load import load
from generator.core.parse import COLLECTIONS, MAX_FILE_BYTES, Document, find_files, parse
from generator.core.project import Project

RECORD = "upstream.yml"
"""The overlay's record of the upstream version of each copied file."""
KEPT = "upstream-copies"
"""In the overlay: the upstream file of each copied item, as it was when copied (or last
marked reviewed), so that ``overlay status`` can say what upstream changed since."""
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n\s*\n")
"""Where a text is split into sentences (and paragraphs) to say what changed."""
FOLDERS = {kind: folder for folder, kind in COLLECTIONS.items()}
"""The content folder of each kind of item."""
TEMPLATES = Path("templates") / "overlay"
"""The starting files of a new overlay, inside the project."""


class UpkeepError(RequestError):
    """An overlay request that cannot be carried out (exit code 2, like a usage error)."""


def fingerprint(data: Any) -> str:
    """A hash of an item's data: unchanged by comments, spacing or key order."""
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _upstream_docs(root: Path, problems: list[Problem]) -> dict[tuple[str, str], Document]:
    found = {}
    for path, kind in find_files(root):
        doc = parse(path, str(path.relative_to(root)), kind, problems, Project(root))
        if doc is not None:
            found[(kind, overlay.ident(doc) or kind)] = doc
    return found


def _with_schema_path(text: str, schema: Path, folder: Path) -> str:
    """The file's first line points editors at the schema, relative to its new folder."""
    first, _, rest = text.partition("\n")
    if "$schema=" not in first:
        return text
    return f"# yaml-language-server: $schema={os.path.relpath(schema, folder)}\n{rest}"


AGENCY_HEADER = """\
# This agency's settings: they replace the upstream content/agency.yml. Every value below
# starts as the upstream placeholder: until you replace them all, the build is a sample
# edition (every page says so, local crisis lines print blank) and
# `curriculum build --release --overlay DIR` refuses. Each line's comment says what the
# setting does and the values it takes.
"""


def _overlay_header(text: str) -> str:
    """The upstream settings with the opening comment written for an overlay."""
    lines = text.splitlines(keepends=True)
    first = 1 if lines and "$schema=" in lines[0] else 0
    end = first
    while end < len(lines) and lines[end].startswith("#"):
        end += 1
    return "".join([*lines[:first], AGENCY_HEADER, *lines[end:]])


def read_record(project: Project,
                problems: list[Problem] | None = None) -> dict[str, dict[str, str]]:
    """The overlay's record of copied items, keyed "kind id". A record that may not be read
    (a link out of the overlay, a pipe, too large) is added to ``problems``, or raised."""
    path = project.overlay / RECORD
    if not os.path.lexists(path):
        return {}
    problem = files.file_problem(project, path, MAX_FILE_BYTES, "overlay files")
    if problem and problems is not None:
        problems.append(problem)
        return {}
    if problem:
        raise UpkeepError(str(problem))
    data = yaml.safe_load(path.read_bytes().decode("utf-8")) or {}
    return data.get("copied", {}) if isinstance(data, dict) else {}


def _write_record(folder: Path, record: dict[str, dict[str, str]]) -> None:
    header = ("# Written by `curriculum overlay copy`: the upstream version of each file copied\n"
              "# into this overlay. `curriculum overlay status` compares it with upstream.\n")
    text = yaml.safe_dump({"copied": dict(sorted(record.items()))}, sort_keys=False)
    (folder / RECORD).write_text(header + text, encoding="utf-8")


def init(root: Path, folder: Path) -> list[Path]:
    """Start an overlay in ``folder``: agency settings, overlay.yml, a style sheet, a README."""
    if folder.exists() and any(folder.iterdir()):
        raise UpkeepError(f"{folder} already exists and is not empty")
    content = folder / "content"
    for sub in COLLECTIONS:
        (content / sub).mkdir(parents=True, exist_ok=True)
    agency = _overlay_header((root / "content" / "agency.yml").read_text(encoding="utf-8"))
    written = {
        content / "agency.yml": _with_schema_path(agency, root / "schemas" / "agency.schema.json",
                                                  content),
        content / "overlay.yml": _with_schema_path(
            (root / TEMPLATES / "overlay.yml").read_text(encoding="utf-8"),
            root / "schemas" / "overlay.schema.json", content),
        folder / "README.md": (root / TEMPLATES / "README.md").read_text(encoding="utf-8"),
        folder / "templates" / "site" / "assets" / "stylesheets" / "agency.css":
            (root / "templates" / "site" / "assets" / "stylesheets" / "agency.css").read_text(
                encoding="utf-8"),
    }
    for path, text in written.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for sub in COLLECTIONS:
        (content / sub / ".gitkeep").touch()
    return sorted(written)


def copy(root: Path, folder: Path, kind: str, ident: str) -> Path:
    """Copy the upstream item ``kind``/``ident`` into the overlay and record its version."""
    problems: list[Problem] = []
    doc = _upstream_docs(root, problems).get((kind, ident))
    if doc is None:
        raise UpkeepError(f"upstream has no {kind} with the id '{ident}'")
    source = root / doc.path
    target = folder / "content" / FOLDERS[kind] / source.name
    if os.path.lexists(target):
        raise UpkeepError(f"{target} already exists; the overlay already has its own copy")
    project = Project(root, folder)
    record = read_record(project)  # before writing anything: it may refuse
    outside = (files.link_problem(project, target)
               or files.link_problem(project, folder / KEPT / FOLDERS[kind] / source.name))
    if outside:  # nothing is written through a link out of the overlay
        raise UpkeepError(str(outside))
    target.parent.mkdir(parents=True, exist_ok=True)
    text = source.read_text(encoding="utf-8")
    target.write_text(_with_schema_path(text, root / "schemas" / f"{kind}.schema.json",
                                        target.parent), encoding="utf-8")
    shutil.copystat(source, target)
    record[f"{kind} {ident}"] = _keep(project, kind, doc, text)
    _write_record(folder, record)
    return target


def _keep(project: Project, kind: str, doc: Document, text: str) -> dict[str, str]:
    """Keep the upstream file ``doc`` (its ``text``) in the overlay; its record entry.
    Nothing is written through a link that leads out of the overlay."""
    kept = Path(KEPT) / FOLDERS[kind] / Path(doc.path).name
    folder = project.overlay
    outside = files.link_problem(project, folder / kept)
    if outside:
        raise UpkeepError(str(outside))
    (folder / kept).parent.mkdir(parents=True, exist_ok=True)
    (folder / kept).write_text(text, encoding="utf-8")
    return {"upstream": doc.path, "version": fingerprint(doc.data), "kept": kept.as_posix()}


def reviewed(root: Path, folder: Path, kind: str, ident: str) -> str:
    """Record that the overlay's copy of ``kind``/``ident`` has taken in upstream's current
    version: ``overlay status`` compares with that from now on. Returns what was recorded."""
    project = Project(root, folder)
    record = read_record(project)
    key = f"{kind} {ident}"
    if key not in record:
        raise UpkeepError(f"{RECORD} records no copy of the {kind} '{ident}'; "
                          "`curriculum overlay status` lists the copies")
    doc = _upstream_docs(root, []).get((kind, ident))
    if doc is None:
        raise UpkeepError(f"upstream has no {kind} with the id '{ident}' any more")
    text = (root / doc.path).read_text(encoding="utf-8")
    record[key] = _keep(project, kind, doc, text)
    _write_record(folder, record)
    return f"upstream version {record[key]['version']} of {doc.path}"


def upstream_changes(before: Any, after: Any) -> list[str]:
    """What upstream changed in an item, field by field, with the sentences removed (-) and
    added (+): "handout.body: - “Old sentence.”"."""
    old, new = dict(texts(before)), dict(texts(after))
    found = []
    for loc in [*old, *(loc for loc in new if loc not in old)]:
        was, now = old.get(loc, ""), new.get(loc, "")
        if was == now:
            continue
        name = field_name(loc)
        if not was or not now:
            found.append(f"{name}: {'added' if now else 'removed'}")
            continue
        a = [part.strip() for part in _SENTENCE.split(was) if part.strip()]
        b = [part.strip() for part in _SENTENCE.split(now) if part.strip()]
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
            found += [f"{name}: - “{sentence}”" for sentence in a[i1:i2] if op != "equal"]
            found += [f"{name}: + “{sentence}”" for sentence in b[j1:j2] if op != "equal"]
    return found


@dataclass(frozen=True)
class Line:
    """One line of ``overlay status``."""

    change: overlay.Change
    review: str | None
    """Why the agency should look at it again, or None."""
    changed: tuple[str, ...] = ()
    """What upstream changed since the copy, field by field (``upstream_changes``)."""


def _kept(project: Project, copied: dict[str, str], problems: list[Problem]) -> Any:
    """The data of the upstream file kept when an item was copied, or None (an overlay
    copied before files were kept, or a kept file that may not be read)."""
    name = copied.get("kept")
    if not isinstance(name, str) or project.overlay is None:
        return None
    path = project.overlay / name
    if not os.path.lexists(path) or not path.resolve().is_relative_to(
            (project.overlay / KEPT).resolve()):
        return None
    doc = parse(path, project.shown(path), "kept", problems, project)
    return None if doc is None else doc.data


def status(root: Path, folder: Path) -> tuple[list[Line], list[Problem]]:
    """What the overlay replaces, adds and disables, and which replaced items changed
    upstream since they were copied. Also returns the content problems, if any."""
    project = Project(root, folder)
    loaded = load(project)
    record = read_record(project, loaded.problems)
    upstream = _upstream_docs(root, [])
    lines = []
    for change in loaded.changes:
        review = None
        changed: list[str] = []
        if change.action == "replaces" and change.kind not in overlay.SINGLES:
            copied = record.get(f"{change.kind} {change.ident}")
            current = upstream.get((change.kind, change.ident))
            if copied is None:
                review = ("no record of the upstream version it was made from; compare it "
                          f"with {change.upstream} by hand, or copy it again with "
                          "`curriculum overlay copy`")
            elif current is None:
                review = "upstream no longer has this item"
            elif fingerprint(current.data) != copied["version"]:
                before = _kept(project, copied, loaded.problems)
                if before is None:
                    review = (f"upstream changed since you copied it: compare with "
                              f"{change.upstream}")
                else:
                    changed = upstream_changes(before, current.data)
                    review = ("upstream changed since you copied it (below); take what you "
                              "want into your copy, then run `curriculum overlay reviewed "
                              f"{change.kind} {change.ident} --overlay {folder}`")
        lines.append(Line(change, review, tuple(changed)))
    for key, copied in record.items():
        kind, ident = key.split(" ", 1)
        if not any(line.change.kind == kind and line.change.ident == ident for line in lines):
            lines.append(Line(overlay.Change("recorded", kind, ident, RECORD, copied["upstream"]),
                              f"{RECORD} records a copy, but the overlay has no {kind} "
                              f"'{ident}'; remove the entry"))
    return lines, loaded.problems
