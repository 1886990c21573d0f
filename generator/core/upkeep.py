"""Keeping an overlay: start one, copy upstream items into it, and see what to review.

``overlay copy`` records the upstream version (a hash of the item's data) of every file it
copies in ``upstream.yml``; ``overlay status`` compares those records with the upstream
files of today, so that after pulling a new edition the agency knows what to review.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.core import files, overlay
from generator.core.errors import Problem, RequestError
from generator.core.load import load
from generator.core.parse import COLLECTIONS, MAX_FILE_BYTES, Document, find_files, parse
from generator.core.project import Project

RECORD = "upstream.yml"
"""The overlay's record of the upstream version of each copied file."""
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
    outside = files.link_problem(project, target)
    if outside:  # nothing is written through a link out of the overlay
        raise UpkeepError(str(outside))
    target.parent.mkdir(parents=True, exist_ok=True)
    text = source.read_text(encoding="utf-8")
    target.write_text(_with_schema_path(text, root / "schemas" / f"{kind}.schema.json",
                                        target.parent), encoding="utf-8")
    shutil.copystat(source, target)
    record[f"{kind} {ident}"] = {"upstream": doc.path, "version": fingerprint(doc.data)}
    _write_record(folder, record)
    return target


@dataclass(frozen=True)
class Line:
    """One line of ``overlay status``."""

    change: overlay.Change
    review: str | None
    """Why the agency should look at it again, or None."""


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
                review = (f"upstream changed since you copied it: compare with "
                          f"{change.upstream}")
        lines.append(Line(change, review))
    for key, copied in record.items():
        kind, ident = key.split(" ", 1)
        if not any(line.change.kind == kind and line.change.ident == ident for line in lines):
            lines.append(Line(overlay.Change("recorded", kind, ident, RECORD, copied["upstream"]),
                              f"{RECORD} records a copy, but the overlay has no {kind} "
                              f"'{ident}'; remove the entry"))
    return lines, loaded.problems
