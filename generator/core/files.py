"""Reading input files only where they may be: inside the project or its overlay, ordinary
files, of a sane size, each checked before a byte of it is read.

A symbolic link that stays inside the project (or the overlay) is fine; one that leads out
of it is refused at the link, as is a device or a named pipe (reading one would never end
or would block), and a file above the size its kind may have.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from generator.core.errors import Problem
from generator.core.project import Project

MAX_TEMPLATE_BYTES = 1_000_000
"""Templates above this size are refused: the largest upstream one is about 10 kB."""
MAX_ASSET_BYTES = 10_000_000
"""Site assets above this size are refused: the largest upstream one is about 30 kB."""
MAX_CATALOG_BYTES = 10_000_000
"""Translation catalogs above this size are refused: the Spanish one is about 540 kB."""


class Refused(Exception):
    """A file that is not read; the message says why and what to do."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


def _limits(status: os.stat_result, limit: int, what: str, advice: str = "") -> None:
    """Refuse anything but an ordinary file of at most ``limit`` bytes."""
    if not stat.S_ISREG(status.st_mode):
        raise Refused(f"this is {_kind(status.st_mode)}, not an ordinary file; {what} must "
                      "be ordinary files")
    if status.st_size > limit:
        raise Refused(f"the file is {status.st_size:,} bytes; {what} may be at most "
                      f"{limit:,} bytes{advice}")


def check(path: Path, limit: int, what: str, advice: str = "") -> None:
    """Raise Refused unless ``path`` is an ordinary file of at most ``limit`` bytes (a
    missing file raises FileNotFoundError); ``advice`` follows the size refusal."""
    _limits(path.stat(), limit, what, advice)


def read_bytes(path: Path, limit: int, what: str, advice: str = "") -> bytes:
    """The bytes of ``path``, an ordinary file of at most ``limit`` bytes, or Refused.

    Checked before it is opened, and again on the opened file (opened without waiting, so
    that a pipe put in its place meanwhile cannot block), and never more than ``limit``
    bytes are read.
    """
    check(path, limit, what, advice)
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        _limits(os.fstat(handle), limit, what, advice)
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read(limit + 1)
    finally:
        os.close(handle)
    if len(data) > limit:
        raise Refused(f"the file is more than {limit:,} bytes; {what} may be at most "
                      f"{limit:,} bytes{advice}")
    return data


def link_out(path: Path, roots: list[Path]) -> tuple[Path, Path] | None:
    """The link on the way to ``path`` that leads out of ``roots``, and where it points;
    none when the path stays inside them (through links or not)."""
    if _inside(path, roots):
        return None
    absolute = Path(os.path.abspath(path))
    for root in roots:
        start = Path(os.path.abspath(root))
        if not absolute.is_relative_to(start):
            continue
        current = root  # as written, for messages
        for part in absolute.relative_to(start).parts:
            current = current / part
            if current.is_symlink() and not _inside(current, roots):
                return current, current.resolve()
    return path, absolute.resolve()


def _inside(path: Path, roots: list[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved.is_relative_to(root.resolve()) for root in roots)


def link_problem(project: Project, path: Path) -> Problem | None:
    """A Problem at the link that takes ``path`` out of the project or overlay folder it is
    in, if one does."""
    absolute = Path(os.path.abspath(path))
    layer = next((layer for layer in project.layers
                  if absolute.is_relative_to(os.path.abspath(layer))), None)
    found = link_out(path, [layer] if layer else project.layers)
    if found is None:
        return None
    link, target = found
    named = "the overlay" if layer and layer == project.overlay else "the project"
    thing = "folder" if target.is_dir() else "file"
    return Problem(project.shown(link), 0, "file",
                   f"is a link to {target}, outside {named}; copy the {thing} into {named} "
                   "instead of linking to it")


def file_problem(project: Project, path: Path, limit: int, what: str) -> Problem | None:
    """Why ``path`` may not be read (a link out of the project, not an ordinary file, too
    large), as a Problem at the link or the file; none when it may."""
    problem = link_problem(project, path)
    if problem:
        return problem
    try:
        check(path, limit, what)
    except Refused as refused:
        return Problem(project.shown(path), 0, "file", str(refused))
    except OSError as error:
        return Problem(project.shown(path), 0, "file",
                       f"cannot be read ({error.strerror or error})")
    return None


def walk(project: Project, folder: Path, problems: list[Problem]) -> Iterator[Path]:
    """Every ordinary file under ``folder``, following links that stay inside the project
    (each folder once); a link out of it is reported and not followed."""
    problem = link_problem(project, folder)
    if problem or not folder.is_dir():
        problems.extend([problem] if problem else [])
        return
    seen = {folder.resolve()}
    for directory, subfolders, names in os.walk(folder, followlinks=True):
        here = Path(directory)
        kept = []
        for name in sorted(subfolders):
            problem = link_problem(project, here / name)
            if problem:
                problems.append(problem)
            elif (here / name).resolve() not in seen:  # a link back up would loop
                seen.add((here / name).resolve())
                kept.append(name)
        subfolders[:] = kept
        for name in sorted(names):
            yield here / name


def tree_problems(project: Project) -> list[Problem]:
    """Every file under the templates (with the site assets) and the translation catalogs
    of the project and its overlay that the build may not read: links out of their
    folder, pipes and devices, files too large for their kind. ``check`` reports them
    before ``build`` would stop on them."""
    problems: list[Problem] = []
    for layer in project.layers:
        assets = layer / "templates" / "site" / "assets"
        for path in walk(project, layer / "templates", problems):
            large = path.is_relative_to(assets)
            problem = file_problem(project, path,
                                   MAX_ASSET_BYTES if large else MAX_TEMPLATE_BYTES,
                                   "site assets" if large else "templates")
            problems.extend([problem] if problem else [])
        for path in walk(project, layer / "locales", problems):
            problem = file_problem(project, path, MAX_CATALOG_BYTES, "translation catalogs")
            problems.extend([problem] if problem else [])
    return problems
