"""Live preview: the generator's own live-reload server (``livereload``), with the site
engine behind its adapter (``builders.engines``).

Saving a content file or a template regenerates the Markdown pages; only the pages whose text
changed are written, and the engine renders only those (the whole site when the navigation, a
page's front matter or the settings change), then the open browser tab reloads.

A save with mistakes keeps the last good pages, and every page shows the problems (file, line,
message) in a banner at its top until they are fixed; the terminal lists them too, and
otherwise says only what changed.

The preview makes no PDFs and serves none: its pages, settings and site live in a temporary
folder of its own (``curriculum-preview-*``, made at the start and removed at the end), never
in the build's ``build/docs/``, which holds the PDFs of the last build; they are generated with
an empty downloads list, and the downloads page says that ``curriculum build`` makes the PDFs.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from contextlib import suppress
from pathlib import Path
from typing import Any

from generator import livereload
from generator.builders import calendar, pages as render, routes, site
from generator.builders.engines import mkdocs_material
from generator.core.language import ENGLISH
from generator.builders.context import Context
from generator.core.content import load_catalog
from generator.core.errors import ContentError, EngineError, Problem
from generator.core.project import Project
from generator.builders.templating import Templates

PREVIEW_PREFIX = "curriculum-preview-"
"""The preview's own temporary folder: ``docs/`` (the pages), ``mkdocs.yml`` and ``site/``."""
POLL_SECONDS = 0.025
"""How often the content and template folders are looked at for a save."""
SETTLE_SECONDS = 0.03
"""How long a save must be quiet (an editor writing in steps) before the rebuild starts."""
PROBLEMS_FILE = "preview-problems.json"
"""Written into the served site after each rebuild; the banner script reads it."""
BANNER_SCRIPT = "assets/javascripts/preview-problems.js"
"""Shows the problems of the last save at the top of each page (added in the preview only)."""
NO_PDFS = """!!! note "Live preview: no PDFs"
    The live preview does not make PDFs, so this page lists none and no page links to one.
    `curriculum build` makes them all, from the content as it is then, into `site/downloads/`.

"""


def _snapshot(project: Project) -> dict[str, float]:
    """Each watched file and when it was last written (a file an editor removes while it is
    looked at is left out: its removal is the next change)."""
    watched: dict[str, float] = {}
    folders = []
    for path in _watched(project):
        if path.is_dir():
            folders.append(str(path))
        else:
            watched[str(path)] = path.stat().st_mtime
    while folders:
        with suppress(FileNotFoundError), os.scandir(folders.pop()) as entries:
            for entry in entries:
                with suppress(FileNotFoundError):
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(entry.path)
                    elif entry.is_file():
                        watched[entry.path] = entry.stat().st_mtime
    return watched


def _quiet_for(current: dict[str, float], seen: dict[str, float]) -> float:
    """Seconds since the last write of the files changed since ``seen``."""
    written = [mtime for path, mtime in current.items() if seen.get(path) != mtime]
    return time.time() - max(written) if written else SETTLE_SECONDS


def _watched(project: Project) -> list[Path]:
    """The folders (and the settings file) whose saves the preview follows."""
    folders = [layer / name for layer in project.layers for name in ("content", "templates")]
    return [path for path in [*folders, project.root / "mkdocs.yml"] if path.exists()]


def preview_pages(edition: Context, env: Templates) -> dict[str, str]:
    """Every page of the site as the build renders it, but with no PDFs (the preview makes
    none) and a notice saying so on the downloads page."""
    env.problems = []
    pages = render.edition_pages(edition, env, [])
    matter, body = render.split_front_matter(pages[routes.DOWNLOADS_PAGE])
    pages[routes.DOWNLOADS_PAGE] = f"{matter}{NO_PDFS}{body}"
    return pages


class Preview:
    """The preview's pages, settings and the problems of the last save."""

    def __init__(self, project: Project, folder: Path, drafts: bool = False) -> None:
        self.project = project
        self.drafts = drafts
        self.folder = folder
        """A new, empty folder of this preview's own: no page or PDF of anything else."""
        self.docs = folder / "docs"
        self.config_file = folder / "mkdocs.yml"
        self.site_dir = folder / "site"
        self.pages: dict[str, str] = {}
        self.config: dict[str, Any] | None = None
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.seen = _snapshot(project)
        # Kept from save to save: Jinja compiles a template again only when its file changed.
        self.env = render.environment(project.template_dirs("site"), project.shown, ENGLISH)

    def saved(self) -> list[str]:
        """The watched files changed since the last look, as the messages show them."""
        current = _snapshot(self.project)
        changed = sorted(path for path in current.keys() | self.seen.keys()
                         if current.get(path) != self.seen.get(path))
        self.seen = current
        return [self.project.shown(Path(path)) for path in changed]

    def regenerate(self) -> tuple[list[str], bool] | None:
        """Write the pages whose text changed; return them and whether the engine must build
        the whole site (the navigation, the settings, the set of pages or a page's front matter
        changed). None when the content has problems: they are kept in ``problems`` and the
        last good pages stay."""
        try:
            catalog = load_catalog(self.project, self.drafts)
            edition = Context(self.project, catalog, ENGLISH, "everyone")
            pages = preview_pages(edition, self.env)
            docs = self.docs
            site.write_file(docs / routes.DOWNLOADS / routes.CALENDAR,
                            calendar.ics(catalog, edition.dated))
            site.copy_assets(self.project, catalog, docs)
            site.copy_images(self.project, pages, docs)
        except ContentError as error:
            self.problems = error.problems
            return None
        self.problems = []
        if catalog.warnings != self.warnings:
            for warning in catalog.warnings:
                _say(str(warning))
        self.warnings = catalog.warnings
        changed = site.write_pages(pages, docs)
        config = site.engine_config(self.project.root, catalog, routes.Routes().nav(catalog, ENGLISH.gettext, "everyone"), docs,
                                    self.site_dir, self.folder)
        config["extra_javascript"] = [*config.get("extra_javascript", []), BANNER_SCRIPT]
        site.write_config(config, self.config_file)
        whole = (config != self.config or pages.keys() != self.pages.keys()
                 or any(render.split_front_matter(self.pages.get(page, ""))[0]
                        != render.split_front_matter(pages.get(page, ""))[0]
                        for page in changed))
        self.pages, self.config = pages, config
        return changed, whole

    def write_problems(self, warnings: list[str]) -> None:
        """What the banner shows: the content's problems, else the engine's warnings."""
        if self.problems:
            count = len(self.problems)
            title = (f"{count} problem{'s' if count != 1 else ''} in the last save: this page "
                     "shows the last good version until "
                     f"{'they are' if count != 1 else 'it is'} fixed")
            items = [{"text": str(problem).split("\n", 1)[0], "excerpt": problem.excerpt}
                     for problem in self.problems]
        elif warnings:
            title = "The site engine warned (curriculum build stops on its warnings)"
            items = [{"text": warning, "excerpt": ""} for warning in warnings]
        else:
            title, items = "", []
        site.write_file(self.site_dir / PROBLEMS_FILE,
                        json.dumps({"title": title, "problems": items}).encode())


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def serve(project: Project, dev_addr: str, drafts: bool = False) -> None:
    """Serve the site with live reload until interrupted (with ``drafts``, draft lessons
    too)."""
    host, _, port = dev_addr.rpartition(":")
    if not host or not port.isdigit():
        raise EngineError(f"--dev-addr {dev_addr}: give it as HOST:PORT, e.g. 127.0.0.1:8000")
    url = f"http://{host}:{port}/"
    folder = Path(tempfile.mkdtemp(prefix=PREVIEW_PREFIX))
    try:
        preview = Preview(project, folder, drafts)
        served = livereload.Site(preview.site_dir)
        try:
            server = livereload.Server(host.strip("[]"), int(port), served)
        except OSError as error:  # fail at once, before any work
            raise EngineError(f"cannot serve on {dev_addr}: {error.strerror}") from None
        try:
            _serve(preview, served, server, url)
        finally:
            server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _serve(preview: Preview, served: livereload.Site, server: livereload.Server,
           url: str) -> None:
    """Build the whole site, serve it, and build again after every save until interrupted."""
    engine = mkdocs_material.Preview(preview.config_file, preview.site_dir, url)

    def rebuild(first: bool = False) -> None:
        started = time.perf_counter()
        had_problems = bool(preview.problems)
        saved = [] if first else preview.saved()
        result = ([], True) if first else preview.regenerate()
        warnings = []
        if result is not None:
            changed, whole = result
            warnings = engine.render(None if whole else changed)
            for warning in warnings:
                _say(warning)
        preview.write_problems(warnings)
        if first:
            return
        what = ", ".join(saved) or "A file"
        if result is None:
            for problem in preview.problems:
                _say(str(problem))
            count = len(preview.problems)
            _say(f"{what} changed: {count} problem{'s' if count != 1 else ''} (above); "
                 f"every page shows {'them' if count != 1 else 'it'} at its top, over the "
                 "last good version, until fixed.")
            return
        done = ("the whole site rebuilt" if whole else "no page's text changed, rebuilt"
                if not changed else
                f"{len(changed)} page{'s' if len(changed) != 1 else ''} rebuilt")
        fixed = "the problems are fixed; " if had_problems else ""
        _say(f"{what} changed: {fixed}{done} in {time.perf_counter() - started:.2f} s.")

    if threading.current_thread() is threading.main_thread():  # stop as on Ctrl-C, tidily
        signal.signal(signal.SIGTERM, _interrupt)
    try:
        if preview.regenerate() is None:
            raise ContentError(preview.problems)
        with served.rebuilding():
            rebuild(first=True)
        server.start()
        _say(f"Serving on {url}: the live preview reloads the page when you save a "
             "content file or a template. It makes no PDFs; `curriculum build` does.")
        while True:
            time.sleep(POLL_SECONDS)
            current = _snapshot(preview.project)
            if current == preview.seen:
                continue
            # An editor may save in steps: wait until the files have been quiet a moment.
            while (wait := SETTLE_SECONDS - _quiet_for(current, preview.seen)) > 0:
                time.sleep(min(wait, SETTLE_SECONDS))
                current, before = _snapshot(preview.project), current
                if current == before:
                    break
            with served.rebuilding():
                try:
                    rebuild()
                except Exception:  # a bug: say so with its traceback, and keep serving
                    traceback.print_exc()
    except KeyboardInterrupt:
        pass
