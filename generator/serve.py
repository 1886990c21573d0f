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

POLL_SECONDS = 0.3


def _snapshot(root: Path) -> dict[Path, float]:
    watched: dict[Path, float] = {}
    for folder in ("content", "templates"):
        for path in (root / folder).rglob("*"):
            if path.is_file():
                watched[path] = path.stat().st_mtime
    return watched


def regenerate(root: Path) -> bool:
    """Regenerate the pages from the current content; print problems instead of raising."""
    try:
        generate(root, load_catalog(root), root / BUILD_DIR / "preview")
    except ContentError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr, flush=True)
        print("Fix the problems above; the preview shows the last good version.",
              file=sys.stderr, flush=True)
        return False
    return True


def _watch(root: Path, stop: threading.Event) -> None:
    seen = _snapshot(root)
    while not stop.wait(POLL_SECONDS):
        current = _snapshot(root)
        if current != seen:
            seen = current
            if regenerate(root):
                print("Content changed: pages regenerated.", file=sys.stderr, flush=True)


def serve(root: Path, dev_addr: str) -> None:
    """Serve the site with live reload until interrupted."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    config = generate(root, load_catalog(root), root / BUILD_DIR / "preview")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(root, stop), daemon=True)
    watcher.start()
    try:
        mkdocs_serve(config_file=str(config), livereload=True, dev_addr=dev_addr)
    finally:
        stop.set()
