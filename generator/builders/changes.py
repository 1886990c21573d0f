"""Stage 6: what changed between two editions, item by item, and which PDFs to reprint.

An edition is a project folder, an edition number such as ``2027.1`` (its tag ``v2027.1``,
else the newest commit whose program.yml names it), or any other git revision of the
project, exported with ``git archive``. Both editions are loaded and checked like a build;
items are matched by kind and id and compared field by field. What to reprint comes from
the print pages themselves: both editions are rendered with the current templates, and a
PDF whose page changed (beyond the edition label) is listed, under each item it prints.
"""

from __future__ import annotations

import dataclasses
import difflib
import io
import json
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from generator.builders import pdf, pages as render, routes
from generator.builders.context import Build, Context, prepared
from generator.core import translate
from generator.core.catalog import Catalog
from generator.core.errors import ContentError, Problem, RequestError
from generator.core.language import ENGLISH
from generator.core.models import EDITION_PATTERN, Program
from generator.core.project import Project

KINDS = {"lesson": "Lessons", "form": "Forms", "session": "Session agendas",
         "chapter": "Handbook chapters", "program": "Program settings",
         "agency": "Agency settings"}
"""Every kind compared, in report order, with its heading."""
GROUPS = {"lesson": "lessons", "form": "forms", "session": "sessions", "chapter": "chapters"}
"""Where the catalog keeps each kind of item."""
ACTIONS = ("changed", "added", "removed")
"""Within a kind, changed items come first."""
EDITION_FIELDS = {"edition", "edition_date", "previous_edition"}
"""Program fields that name the edition itself; a new edition always changes them."""
ENTRY = {"activities": "activity", "timing": "segment", "peer_sharing": "sharing segment",
         "skill_block": "skill-block segment", "fields": "field", "columns": "column",
         "sections": "section", "sources": "source", "scenarios": "scenario",
         "glossary": "term", "common_challenges": "challenge", "coaches": "coach",
         "local_lines": "crisis line", "every_two_weeks": "every-two-weeks session",
         "weekly": "weekly session", "parts": "part", "segments": "segment",
         "guidance": "note"}
"""What one entry of a list field is called in the report ("activity “Role play” added")."""
KEYS = ("id", "title", "term", "name")
"""Entries of a list are matched by the first of these that every entry has, uniquely."""
SHORT = 40
"""Values up to this length are quoted in full ("changed from 10 to 15")."""


class EditionError(RequestError):
    """An edition that cannot be opened: neither a folder, an edition in the repository's
    history, nor a git revision (exit code 2, like a usage error)."""


@dataclass(frozen=True)
class Reprint:
    """A printed material: where it is under downloads/, and its title."""

    target: str
    """Path under downloads/, e.g. ``handouts/boundaries.pdf``."""
    title: str
    """Its title on the downloads page."""


@dataclass(frozen=True)
class ItemChange:
    """One item that was added, removed or changed, and what that means for print."""

    kind: str
    """lesson, form, session, chapter, program or agency."""
    ident: str
    """The item's id (the kind, for the program and agency settings)."""
    title: str
    """Its title in the newer edition (the older one, when removed)."""
    action: str
    """"added", "removed" or "changed"."""
    details: tuple[str, ...] = ()
    """For a changed item, each field or entry that changed, in plain words."""
    reprint: tuple[Reprint, ...] | None = ()
    """The PDFs of the newer edition whose pages changed because of this item."""


@dataclass(frozen=True)
class Report:
    """Everything that differs between two editions."""

    old: Program
    """The older edition's program settings (edition number and date)."""
    new: Program
    """The newer edition's program settings."""
    items: tuple[ItemChange, ...]
    """Each added, removed and changed item once, by kind."""
    reprint: tuple[Reprint, ...]
    """Every PDF that is new or whose pages changed, in the downloads page's order."""
    withdrawn: tuple[Reprint, ...]
    """PDFs of the older edition that the newer one no longer has."""
    translations: tuple[translate.Behind, ...] = ()
    """Per language, the messages that became out of date or are new and untranslated."""

    def of_kind(self, kind: str) -> list[ItemChange]:
        """The changes to one kind of item."""
        return [item for item in self.items if item.kind == kind]

    @property
    def reprint_targets(self) -> set[str]:
        """The paths of the PDFs to reprint."""
        return {reprint.target for reprint in self.reprint}


# --- opening an edition -------------------------------------------------------------------


@contextmanager
def opened(source: str, root: Path) -> Iterator[Path]:
    """The project folder of an edition: ``source`` itself when it is a folder (relative to
    ``root``), else the edition number or git revision ``source`` of ``root``'s repository,
    exported to a temporary folder that is removed afterwards."""
    folder = root / source
    if folder.is_dir():
        yield folder
        return
    with tempfile.TemporaryDirectory(prefix="edition-") as temporary:
        _export(source, root, Path(temporary))
        yield Path(temporary)


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    """Run git in ``root``; the caller reads its return code."""
    git = shutil.which("git")
    if git is None:
        raise EditionError("git is not installed, so an edition can only be a folder")
    return subprocess.run([git, "-C", str(root), *args], capture_output=True, check=False)


def _export(revision: str, root: Path, target: Path) -> None:
    """Write the project's files as of ``revision`` into ``target`` with ``git archive``."""
    where = _git(root, "rev-parse", "--show-prefix")
    if where.returncode != 0:
        raise EditionError(f"'{revision}' is not a folder, and the project is not in a git "
                           f"repository where it could be a revision")
    commit = _commit_of(revision, root, where.stdout.decode().strip())
    # run in a subfolder of the repository, git archives only that folder
    archive = _git(root, "archive", "--format=tar", commit)
    if archive.returncode != 0:
        raise EditionError(f"git could not export '{revision}': "
                           f"{archive.stderr.decode().strip()}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        try:
            tar.extractall(target, filter="data")
        except tarfile.FilterError as error:  # e.g. a committed link that leaves the tree
            raise EditionError(f"'{revision}' holds a file that cannot be read safely "
                               f"({error}); remove it from that commit or compare folders "
                               "instead") from None


def _commit_of(revision: str, root: Path, prefix: str) -> str:
    """The commit an edition number or a git revision names; ``prefix`` is where the project
    is in the repository."""
    if re.fullmatch(EDITION_PATTERN, revision):
        return _edition_commit(revision, root, prefix)
    # an option is never a revision ("--all" would be taken as one)
    commit = None if revision.startswith("-") else _revision(root, revision)
    if commit is None:
        raise EditionError(f"'{revision}' is neither a folder nor a git revision (tag, "
                           f"branch or commit) of this repository")
    return commit


def _revision(root: Path, revision: str) -> str | None:
    """The commit of a git revision, or None when the repository has none of that name."""
    found = _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    return found.stdout.decode().strip() if found.returncode == 0 else None


def _edition_commit(edition: str, root: Path, prefix: str) -> str:
    """The commit of edition number ``edition``: its tag ``v<edition>``, else the newest
    commit whose program.yml names it, so that a clone or fork without tags still has its
    editions."""
    commit = _revision(root, f"v{edition}") or _last_of(edition, root, prefix)
    if commit is None:
        raise EditionError(f"edition {edition}: no tag v{edition} and no commit whose "
                           f"content/program.yml names edition {edition}; fetch the tags "
                           f"(git fetch --tags), or give a commit or a folder instead")
    return commit


def _last_of(edition: str, root: Path, prefix: str) -> str | None:
    """The newest commit whose program.yml names ``edition``, that is the edition as it was
    when the next one began; None when no commit names it."""
    # the commits that changed program.yml, newest first (the pathspec is relative to root)
    listed = _git(root, "rev-list", "HEAD", "--", "content/program.yml")
    commits = listed.stdout.decode().split() if listed.returncode == 0 else []
    for index, commit in enumerate(commits):
        if _names_edition(root, commit, prefix, edition):
            # the commits until the next change to program.yml are this edition too
            last = _revision(root, f"{commits[index - 1]}^" if index else "HEAD")
            return last if last and _names_edition(root, last, prefix, edition) else commit
    return None


def _names_edition(root: Path, commit: str, prefix: str, edition: str) -> bool:
    """Whether program.yml, as of ``commit``, has ``edition: <edition>``."""
    shown = _git(root, "show", f"{commit}:{prefix}content/program.yml")
    if shown.returncode != 0:  # the commit that deleted it
        return False
    try:
        data = yaml.safe_load(shown.stdout)
    except yaml.YAMLError:
        return False
    # compared as text: an edition written unquoted is read as a number
    return isinstance(data, dict) and str(data.get("edition")) == edition


def _load(folder: Path, overlay: Path | None, label: str) -> Catalog:
    """An edition's checked content; its problems name the edition before the path."""
    from generator.core.content import load_catalog

    try:
        return load_catalog(Project(folder, overlay), rules=False)  # as it was published
    except ContentError as error:
        raise ContentError([dataclasses.replace(problem, path=f"{label}:{problem.path}")
                            for problem in error.problems]) from None


def between(root: Path, old: str, new: str | None = None,
            overlay: Path | None = None) -> Report:
    """Compare edition ``old`` with edition ``new`` (default: the project folder as it is
    now), both with the same overlay, if any. Raises EditionError or ContentError."""
    project = Project(root, overlay)
    with opened(old, root) as old_folder:
        before = _load(old_folder, overlay, old)
        if new is None:
            from generator.core.content import load_catalog

            after = load_catalog(project, rules=False)
            behind = translate.fallen_behind(Project(old_folder, overlay), project)
        else:
            with opened(new, root) as new_folder:
                after = _load(new_folder, overlay, new)
                behind = translate.fallen_behind(Project(old_folder, overlay),
                                                 Project(new_folder, overlay))
    return dataclasses.replace(compare(before, after, project), translations=tuple(behind))


def since_previous(project: Project, catalog: Catalog,
                   print_jobs: list[pdf.PrintJob]) -> Report:
    """What changed since the edition ``previous_edition`` names, given this edition's
    print pages; problems in opening it are reported at that setting."""
    source = catalog.program.previous_edition
    assert source is not None
    try:
        with opened(source, project.root) as folder:
            before = _load(folder, project.overlay, source)
    except EditionError as error:
        doc = catalog.settings["program"].doc
        raise ContentError([Problem(doc.path, doc.line(("previous_edition",)),
                                    "previous_edition", str(error))]) from None
    return compare(before, catalog, project, print_jobs)


# --- comparing -----------------------------------------------------------------------------


def compare(old: Catalog, new: Catalog, project: Project,
            new_jobs: list[pdf.PrintJob] | None = None) -> Report:
    """Every item added, removed or changed from ``old`` to ``new``, with what to reprint.
    ``new_jobs`` are the newer edition's print pages, when the build has made them."""
    edition = old.program
    # the edition label is on every page; only the content counts as a change
    old = dataclasses.replace(old, program=old.program.model_copy(
        update={field: getattr(new.program, field) for field in EDITION_FIELDS}))
    old_jobs = pdf.prepare(project, old, ENGLISH)
    new_jobs = new_jobs if new_jobs is not None else pdf.prepare(project, new, ENGLISH)
    before = {job.target: job for job in old_jobs}
    changed = [job for job in new_jobs
               if job.target not in before or before[job.target].html != job.html]
    withdrawn = tuple(Reprint(job.target, job.title) for job in old_jobs
                      if job.target not in {job.target for job in new_jobs})
    items: list[ItemChange] = []
    for kind in KINDS:
        old_items, new_items = _by_id(old, kind), _by_id(new, kind)
        found = []
        for ident in sorted(old_items.keys() | new_items.keys()):
            change = _item_change(kind, ident, old_items.get(ident), new_items.get(ident))
            if change is not None:
                prints = _reprinted(change, old_items.get(ident), new, changed, before, project)
                found.append(dataclasses.replace(change, reprint=prints))
        items.extend(sorted(found, key=lambda item: (ACTIONS.index(item.action),
                                                     item.title.lower())))
    # a year-plan change whose effect could not be rendered alone gets what nothing else
    # explains (agendas renumbered, for instance)
    explained = {reprint for item in items for reprint in item.reprint or ()}
    items = [item if item.reprint is not None else dataclasses.replace(item, reprint=tuple(
        Reprint(job.target, job.title) for job in changed
        if Reprint(job.target, job.title) not in explained)) for item in items]
    return Report(edition, new.program, tuple(items),
                  tuple(Reprint(job.target, job.title) for job in changed), withdrawn)


def _reprinted(change: ItemChange, old_model: BaseModel | None, new: Catalog,
               changed: list[pdf.PrintJob], before: dict[str, pdf.PrintJob],
               project: Project) -> tuple[Reprint, ...] | None:
    """The changed PDFs that print this item and changed because of it.

    A changed item is put back as it was in the newer edition: the PDFs whose pages then
    differ are the ones it changed. None when that cannot be rendered on its own (a year
    plan that names a lesson the newer edition no longer has).
    """
    kind, ident = change.kind, change.ident
    if change.action == "changed":
        try:
            alternative = {job.target: job.html for job in
                           pdf.prepare(project, _with(new, kind, ident, old_model), ENGLISH)}
        except KeyError:
            return None
        found = [job for job in changed if alternative.get(job.target) != job.html]
    elif change.action == "added":
        found = [job for job in changed if (kind, ident) in job.includes]
    else:  # removed: the pages that printed it in the older edition
        found = [job for job in changed
                 if job.target in before and (kind, ident) in before[job.target].includes]
    return tuple(Reprint(job.target, job.title) for job in found)


def _with(catalog: Catalog, kind: str, ident: str, model: Any) -> Catalog:
    """The catalog with one item (or the program or agency settings) replaced."""
    if kind in ("program", "agency"):
        return dataclasses.replace(catalog, **{kind: model})
    group = GROUPS[kind]
    return dataclasses.replace(catalog, **{group: {**getattr(catalog, group), ident: model}})


def _by_id(catalog: Catalog, kind: str) -> dict[str, BaseModel]:
    if kind in ("program", "agency"):
        return {kind: getattr(catalog, kind)}
    return dict(getattr(catalog, GROUPS[kind]))


def _item_change(kind: str, ident: str, old: BaseModel | None,
                 new: BaseModel | None) -> ItemChange | None:
    if old is None or new is None:
        model = new or old
        return ItemChange(kind, ident, _title(kind, model), "added" if old is None else "removed")
    before, after = _comparable(kind, old), _comparable(kind, new)
    if before == after:
        return None
    details = differences(before, after)
    if kind == "lesson" and before["timing"] == after["timing"]:
        details.append("timing unchanged")
    return ItemChange(kind, ident, _title(kind, new), "changed", tuple(details))


def _title(kind: str, model: Any) -> str:
    return KINDS[kind] if kind in ("program", "agency") else model.title


def _comparable(kind: str, model: BaseModel) -> dict[str, Any]:
    """The item as plain data; a form's fields are listed on their own, by id, so that a
    field moved to another section is not reported as removed and added."""
    data = model.model_dump(mode="json")
    if kind == "program":
        data = {key: value for key, value in data.items() if key not in EDITION_FIELDS}
    if kind == "form":
        data["fields"] = [field for section in data["sections"] for field in section["fields"]]
        data["sections"] = [{key: value for key, value in section.items() if key != "fields"}
                            for section in data["sections"]]
    return data


def differences(old: Any, new: Any, path: tuple[str, ...] = ()) -> list[str]:
    """What differs between two values of plain data, each difference in plain words:
    "`handout.body` rewritten", "activity “Role play” added", "field `photo_consent` added".
    ``path`` is where the values are: field names and list entries."""
    if old == new:
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        for key in list(old) + [key for key in new if key not in old]:
            if key not in new or key not in old:
                state = "removed" if key not in new else "added"
                found.append(f"{_where(path + (key,))} {state}")
            else:
                found.extend(differences(old[key], new[key], path + (key,)))
        return found
    if isinstance(old, list) and isinstance(new, list):
        return _list_differences(old, new, path)
    return [f"{_where(path)} {_how(old, new)}"]


def _list_differences(old: list, new: list, path: tuple[str, ...]) -> list[str]:
    name = path[-1] if path else "item"
    entry = ENTRY.get(name, name.rstrip("s").replace("_", " "))
    key = _key(old, new)
    if key:
        before = {item[key]: item for item in old}
        after = {item[key]: item for item in new}
        shown = (lambda value: f"`{value}`") if key == "id" else (lambda value: f"“{value}”")
        found = [f"{entry} {shown(ident)} removed" for ident in before if ident not in after]
        found += [f"{entry} {shown(ident)} added" for ident in after if ident not in before]
        for ident in (ident for ident in after if ident in before):
            found.extend(differences(before[ident], after[ident],
                                     path[:-1] + (f"{entry} {shown(ident)}",)))
        if not found:
            found.append(f"{_where(path)} reordered")
        return found
    if not any(isinstance(item, dict) for item in old + new):
        return [f"{_where(path)} {_counts(old, new)}"]
    found = []
    matcher = difflib.SequenceMatcher(a=[json.dumps(item, sort_keys=True) for item in old],
                                      b=[json.dumps(item, sort_keys=True) for item in new],
                                      autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        paired = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for offset in range(paired):
            found.extend(differences(old[i1 + offset], new[j1 + offset],
                                     path[:-1] + (f"{entry} {j1 + offset + 1}",)))
        if op in ("delete", "replace"):
            found += [f"{entry} {index + 1} removed" for index in range(i1 + paired, i2)]
        if op in ("insert", "replace"):
            found += [f"{entry} {index + 1} added" for index in range(j1 + paired, j2)]
    return found


def _key(old: list, new: list) -> str | None:
    """The field that names each entry of both lists uniquely, if there is one."""
    entries = old + new
    if not entries or not all(isinstance(item, dict) for item in entries):
        return None
    for key in KEYS:
        if all(key in item for item in entries) and all(
                len({item[key] for item in items}) == len(items) for items in (old, new)):
            return key
    return None


def _where(path: tuple[str, ...]) -> str:
    """A path as the report shows it: "`handout.body`", "activity “Role play”:
    `debrief`"."""
    words: list[str] = []
    fields: list[str] = []
    for part in path:
        if " " in part:  # a list entry, already worded
            if fields:
                words.append(f"`{'.'.join(fields)}`")
                fields = []
            words.append(part)
        else:
            fields.append(part)
    if fields:
        words.append(f"`{'.'.join(fields)}`")
    return ": ".join(words)


def _how(old: Any, new: Any) -> str:
    """How a single value changed: quoted when short, else edited or rewritten."""
    if old is None or new is None:
        return "added" if old is None else "removed"
    if not isinstance(old, str) or not isinstance(new, str) or max(len(old), len(new)) <= SHORT:
        return f"changed from {_short(old)} to {_short(new)}"
    similar = difflib.SequenceMatcher(a=old, b=new, autojunk=False).ratio()
    return "edited" if similar >= 0.5 else "rewritten"


def _short(value: Any) -> str:
    return f"“{value}”" if isinstance(value, str) else json.dumps(value)


def _counts(old: list, new: list) -> str:
    """How a list of values changed: "2 added, 1 rewritten", or "reordered"."""
    added = removed = rewritten = 0
    matcher = difflib.SequenceMatcher(a=[str(item) for item in old],
                                      b=[str(item) for item in new], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "replace":
            rewritten += min(i2 - i1, j2 - j1)
        added += max(0, (j2 - j1) - (i2 - i1)) if op in ("insert", "replace") else 0
        removed += max(0, (i2 - i1) - (j2 - j1)) if op in ("delete", "replace") else 0
    if not (added or removed or rewritten):
        return "reordered"
    counts = [(added, "added"), (removed, "removed"), (rewritten, "rewritten")]
    return "changed: " + ", ".join(f"{count} {state}" for count, state in counts if count)


# --- the report as a page and as text -----------------------------------------------------


def changes_page(project: Project, report: Report, links: bool = False,
                 catalog: Catalog | None = None) -> str:
    """The "What's new in this edition" page; with ``links``, items and PDFs link to their
    pages in the site of ``catalog``."""
    env = render.environment(project.template_dirs("site"), project.shown, ENGLISH)
    text = env.page("whats-new.md.j2", _changes_context(report, links, catalog))
    env.raise_problems()
    return text


def _changes_context(report: Report, links: bool, catalog: Catalog | None) -> dict[str, Any]:
    route = routes.Routes()

    def item_page(change: ItemChange) -> str | None:
        if catalog is None:
            return None
        if change.kind == "lesson":
            return route.lesson_plan(change.ident)
        if change.kind == "form":
            return route.form_page(catalog.forms[change.ident])
        if change.kind == "session":
            return route.session_page(change.ident)
        if change.kind == "chapter":
            return route.chapter_page(catalog.chapters[change.ident])
        return route.year_plan if change.kind == "program" else None

    return {"report": report, "links": links, "kinds": KINDS, "item_page": item_page,
            **route.links(route.whats_new)}


def heading(report: Report) -> str:
    """The report's first line: which two editions it compares."""
    return (f"Changes from edition {report.old.edition} ({report.old.edition_date}) "
            f"to {report.new.edition} ({report.new.edition_date})")


def lines(report: Report) -> list[str]:
    """The report as plain text, as the command prints it."""
    out = [heading(report)]
    if not report.items and not report.reprint and not report.withdrawn:
        return out + ["", "No content changed; nothing to reprint."]
    for kind, title in KINDS.items():
        changes = report.of_kind(kind)
        if changes:
            out += ["", title]
        for change in changes:
            name = change.title if kind in ("program", "agency") else \
                f"{change.title} ({change.ident})"
            out.append(f"  {change.action:<8} {name}" +
                       (f": {'; '.join(change.details)}" if change.details else ""))
            if change.reprint:
                out.append(f"           reprint: "
                           f"{', '.join(reprint.target for reprint in change.reprint)}")
    out += ["", f"Reprint ({len(report.reprint)} PDF{'' if len(report.reprint) == 1 else 's'}):"]
    out += [f"  {reprint.target}  ({reprint.title})" for reprint in report.reprint] or ["  none"]
    if report.withdrawn:
        out += ["", "No longer printed:"]
        out += [f"  {reprint.target}  ({reprint.title})" for reprint in report.withdrawn]
    languages = sorted({behind.language for behind in report.translations})
    if languages:
        out += ["", "Translations to bring up to date:"]
    for language in languages:
        found = [behind for behind in report.translations if behind.language == language]
        stale = sum(behind.why == "out of date" for behind in found)
        out.append(f"  {language}: {stale} out of date, {len(found) - stale} new "
                   f"(`curriculum translate update {language}`, then translate them)")
        out += [f"    {behind.why:<12} {behind.key}" for behind in found]
    if report.old.edition == report.new.edition:
        out += ["", f"Both are numbered {report.new.edition}: raise `edition` and "
                    f"`edition_date` in content/program.yml before you publish."]
    return out


class ChangesBuilder:
    """What changed since the previous edition, when the program names one: the "What's
    new" page of the English site, and the PDFs to print again (marked on its downloads
    page). Compared in a build only (``check`` does not open the previous edition)."""

    name = "changes"
    preparing = None
    writing = None
    needs: tuple[str, ...] = ()

    def prepare(self, edition: Context, build: Build) -> tuple[Report, str] | None:
        catalog = edition.catalog
        if not (build.writing and edition.source and catalog.program.previous_edition):
            return None
        with build.progress.stage("Comparing with the previous edition"):
            report = since_previous(edition.project, catalog, prepared(build, "pdf", edition))
            return report, changes_page(edition.project, report, links=True, catalog=catalog)

    def write(self, prepared: list[tuple[Context, Any]], build: Build) -> None:
        """Nothing of its own: the pages builder writes the page."""
