"""Live preview: MkDocs' own server, fed by a watcher that regenerates the pages.

Saving a content file or a template regenerates the Markdown; MkDocs sees the changed pages,
rebuilds and reloads the browser. A save with mistakes prints them and keeps the last good
pages on screen.
"""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

from generator.errors import ContentError
from generator.pipeline import BUILD_DIR, generate, load_catalog
from generator.project import Project

POLL_SECONDS = 0.3


def _snapshot(project: Project) -> dict[Path, float]:
    watched: dict[Path, float] = {}
    for layer in project.layers:
        for folder in ("content", "templates"):
            for path in (layer / folder).rglob("*"):
                if path.is_file():
                    watched[path] = path.stat().st_mtime
    return watched


def regenerate(project: Project) -> bool:
    """Regenerate the pages from the current content; print problems instead of raising."""
    try:
        generate(project, load_catalog(project), project.root / BUILD_DIR / "preview")
    except ContentError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr, flush=True)
        print("Fix the problems above; the preview shows the last good version.",
              file=sys.stderr, flush=True)
        return False
    return True


def _watch(project: Project, stop: threading.Event) -> None:
    seen = _snapshot(project)
    while not stop.wait(POLL_SECONDS):
        current = _snapshot(project)
        if current != seen:
            seen = current
            if regenerate(project):
                print("Content changed: pages regenerated.", file=sys.stderr, flush=True)


def serve(project: Project, dev_addr: str) -> None:
    """Serve the site with live reload until interrupted."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    config = generate(project, load_catalog(project), project.root / BUILD_DIR / "preview")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(project, stop), daemon=True)
    watcher.start()
    try:
        mkdocs_serve(config_file=str(config), livereload=True, dev_addr=dev_addr)
    finally:
        stop.set()
