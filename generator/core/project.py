"""The project being built: the upstream folder and, optionally, an agency's overlay on top.

An overlay has the same layout as the project (``content/``, ``templates/``, asset files).
Wherever the build looks for a file by its path inside the project (a template, a logo, a
style sheet), the overlay's file wins and the upstream one is the fallback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    """Where the content, templates and assets come from, and where the output goes."""

    root: Path
    """The upstream project folder (holds mkdocs.yml); ``site/`` and ``build/`` go here."""
    overlay: Path | None = None
    """An agency's overlay folder laid over the upstream one, or none."""

    @property
    def layers(self) -> list[Path]:
        """The folders to look in, the overlay first."""
        return [self.overlay, self.root] if self.overlay else [self.root]

    def template_dirs(self, kind: str) -> list[Path]:
        """Template folders for ``kind`` ("site" or "print") and the shared ones, overlay
        first, so that an overlay template replaces the upstream one of the same name."""
        return [layer / "templates" / sub for sub in (kind, "common") for layer in self.layers]

    def find(self, relative: str) -> Path | None:
        """The file at ``relative`` inside the project, from the overlay when it has one.

        An absolute path is found only when it lies inside the project or the overlay.
        """
        if Path(relative).is_absolute():
            path = Path(relative)
            return path.resolve() if self.contains(path) and path.is_file() else None
        for layer in self.layers:
            candidate = (layer / relative.lstrip("/")).resolve()
            if candidate.is_relative_to(layer.resolve()) and candidate.is_file():
                return candidate
        return None

    def escapes(self, relative: str) -> bool:
        """Whether a path, as written, leads outside the project: absolute elsewhere, or up
        through ``..`` (links on the way are checked on their own, ``files.link_problem``)."""
        if Path(relative).is_absolute():
            return not any(Path(os.path.normpath(relative)).is_relative_to(os.path.abspath(layer))
                           for layer in self.layers)
        written = os.path.normpath(relative)
        return written == ".." or written.startswith("../")

    def contains(self, path: Path) -> bool:
        """Whether ``path`` lies inside the project or its overlay."""
        resolved = path.resolve()
        return any(resolved.is_relative_to(layer.resolve()) for layer in self.layers)

    def shown(self, path: Path) -> str:
        """How a path is shown in messages: relative to the project folder when inside it
        (a link as written, not where it leads)."""
        for written, root in ((os.path.abspath(path), os.path.abspath(self.root)),
                              (path.resolve(), self.root.resolve())):
            if Path(written).is_relative_to(root):
                return str(Path(written).relative_to(root))
        return str(path)


OVERLAY_FOLDERS = ("content", "templates", "locales")
"""What an overlay holds (at least one): ``curriculum overlay init`` makes ``content/``."""


def overlay_problem(root: Path, overlay: Path) -> str | None:
    """Why ``overlay`` cannot be laid over the project at ``root``, or none: it must be a
    folder of its own that looks like an overlay, so that no other folder of the machine
    (``/etc``) is read as one."""
    folder, project = overlay.resolve(), root.resolve()
    if folder == project or project.is_relative_to(folder):
        return (f"{overlay} is the project itself or holds it; an overlay is a folder of "
                "its own (`curriculum overlay init DIR` starts one)")
    if not any((overlay / name).is_dir() for name in OVERLAY_FOLDERS):
        return (f"{overlay} does not look like an overlay: an overlay holds content/ (its "
                "agency.yml, lessons, forms), templates/ or locales/, as `curriculum overlay "
                "init DIR` makes")
    return None
