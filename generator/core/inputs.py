"""What a build reads, as one fingerprint: every file of the project and its overlay (but
what builds write, and the tools' own folders), the generator's code and the versions of
the installed libraries. A build whose inputs have the fingerprint of the last successful
one has nothing to do.

Files are known by their path, size and modification time, as ``make`` knows them: reading
each one would cost as much as the work saved. What the last build wrote is fingerprinted
the same way (``outputs``): a site or a stamp removed or changed since means work to do.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import generator
from generator.core.project import Project

SKIPPED = frozenset({"site", "build", ".git", ".venv", "node_modules", "__pycache__",
                     ".pytest_cache", ".hypothesis"})
"""Folders a build writes or that hold tools, not content (the iframe-worker shim in
``node_modules`` is counted on its own)."""
SHIM = Path("node_modules/iframe-worker/shim/index.js")


def _files(folder: Path, skipped: frozenset[str] = SKIPPED) -> list[tuple[str, int, int]]:
    found = []
    for current, folders, names in os.walk(folder):
        folders[:] = sorted(name for name in folders
                            if name not in skipped and not name.startswith(".site-"))
        for name in sorted(names):
            if name in skipped:
                continue
            path = os.path.join(current, name)
            try:
                stat = os.lstat(path)
            except OSError:
                continue
            found.append((os.path.relpath(path, folder), stat.st_size, stat.st_mtime_ns))
    return found


def fingerprint(project: Project, *options: object) -> str:
    """The fingerprint of everything a build of ``project`` with ``options`` reads."""
    digest = hashlib.sha256(repr(options).encode())
    code = Path(generator.__file__).parent
    for folder in dict.fromkeys([*project.layers, code]):
        digest.update(f"{folder}\0{_files(folder)}".encode())
    shim = project.root / SHIM
    if shim.is_file():
        stat = shim.stat()
        digest.update(f"{stat.st_size} {stat.st_mtime_ns}".encode())
    digest.update(sys.version.encode())
    digest.update(repr(_installed()).encode())
    return digest.hexdigest()


def _installed() -> list[str]:
    """The installed libraries with their versions: the names of their metadata folders
    (``weasyprint-70.0.dist-info``) on the module search path."""
    found = []
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        found += sorted(name for name in names if name.endswith((".dist-info", ".egg-info")))
    return found


def outputs(root: Path, *kept: str) -> str:
    """The fingerprint of what the builds wrote in ``root``: ``site/`` and ``build/`` (but
    the files named in ``kept``, written after it is taken), so that a build can tell that
    its outputs are as the last one left them."""
    digest = hashlib.sha256()
    for folder in (root / "site", root / "build"):
        digest.update(f"{folder.is_dir()}\0{_files(folder, frozenset(kept))}".encode())
    return digest.hexdigest()
