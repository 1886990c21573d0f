"""Live preview: MkDocs' live-reload server, fed by the generator on every save.

Saving a content file or a template regenerates the Markdown pages; only the pages whose text
changed are written, and MkDocs rebuilds only those (the whole site when the navigation, a
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
import logging
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from generator.builders import calendar, pages as render, routes, site
from generator.core.language import ENGLISH
from generator.core import schedule
from generator.builders.context import Context
from generator.core.catalog import Catalog
from generator.core.content import load_catalog
from generator.core.errors import ContentError, EngineError, Problem
from generator.core.project import Project
from generator.builders.templating import Templates

PREVIEW_PREFIX = "curriculum-preview-"
"""The preview's own temporary folder: ``docs/`` (the pages), ``mkdocs.yml`` and ``site/``."""
POLL_SECONDS = 0.1
"""How often the content and template folders are looked at for a save."""
SETTLE_SECONDS = 0.05
"""How long a save must be quiet (an editor writing in steps) before the rebuild starts."""
PROBLEMS_FILE = "preview-problems.json"
"""Written into the served site after each rebuild; the banner script reads it."""
BANNER_SCRIPT = "assets/javascripts/preview-problems.js"
"""Shows the problems of the last save at the top of each page (added in the preview only)."""
NO_PDFS = """!!! note "Live preview: no PDFs"
    The live preview does not make PDFs, so this page lists none and no page links to one.
    `curriculum build` makes them all, from the content as it is then, into `site/downloads/`.

"""
QUIET_WARNINGS = ("A 'dirty' build is being performed",)
"""Engine warnings that say nothing about the content (the preview builds dirty on purpose)."""


class _Quiet(logging.Filter):
    """The engine's messages worth a line in the terminal: warnings and errors, not its
    progress ("Building documentation", "not included in the nav", "Reloading browsers")."""

    def filter(self, record: logging.LogRecord) -> bool:
        return (record.levelno >= logging.WARNING
                and not record.getMessage().startswith(QUIET_WARNINGS))


class _Engine(logging.Handler):
    """Prints the engine's warnings and errors; keeps those of a rebuild for the banner."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.addFilter(_Quiet())
        self.setFormatter(logging.Formatter("engine: %(levelname)s: %(message)s"))
        self.kept: list[str] | None = None

    def emit(self, record: logging.LogRecord) -> None:
        text = self.format(record)
        print(text, file=sys.stderr, flush=True)
        if self.kept is not None and not record.name.startswith("mkdocs.livereload"):
            self.kept.append(text)


def _snapshot(project: Project) -> dict[Path, float]:
    watched: dict[Path, float] = {}
    for path in _watched(project):
        files = path.rglob("*") if path.is_dir() else [path]
        for file in files:
            if file.is_file():
                watched[file] = file.stat().st_mtime
    return watched


def _watched(project: Project) -> list[Path]:
    """The folders (and the settings file) whose saves the preview follows."""
    folders = [layer / name for layer in project.layers for name in ("content", "templates")]
    return [path for path in [*folders, project.root / "mkdocs.yml"] if path.exists()]


def preview_pages(project: Project, env: Templates, catalog: Catalog,
                  dated: list[schedule.Session]) -> dict[str, str]:
    """Every page of the site as the build renders it, but with no PDFs (the preview makes
    none) and a notice saying so on the downloads page."""
    env.problems = []
    pages = render.edition_pages(Context(project, catalog, ENGLISH, "everyone"), env, [])
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
        return [self.project.shown(path) for path in changed]

    def regenerate(self) -> tuple[list[str], bool] | None:
        """Write the pages whose text changed; return them and whether MkDocs must build the
        whole site (the navigation, the settings, the set of pages or a page's front matter
        changed). None when the content has problems: they are kept in ``problems`` and the
        last good pages stay."""
        try:
            catalog = load_catalog(self.project, self.drafts)
            dated = schedule.sessions(catalog)
            pages = preview_pages(self.project, self.env, catalog, dated)
            docs = self.docs
            site.write_file(docs / "downloads" / "schedule.ics", calendar.ics(catalog, dated))
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


def _search_forgets(config: Any, changed: list[str], whole: bool) -> None:
    """Keep the search index of the dirty builds whole: Material's search keeps the entries
    of the pages not rebuilt, but replaces those of one rebuilt page only."""
    urls = {page.removesuffix(".md") + ".html" for page in changed}
    for plugin in config.plugins.values():
        previous = getattr(plugin, "search_index_prev", None)
        if previous is None:
            continue
        if whole:
            plugin.search_index_prev = None
        else:
            previous.entries = [entry for entry in previous.entries
                                if entry["location"].split("#")[0] not in urls]


def _keep_theme(theme: Any, themes: dict[Any, Any]) -> None:
    """Let every rebuild use one Jinja environment per theme: MkDocs makes a new one for each
    build, which compiles the theme's templates and lists its thousands of files again (most
    of a one-page rebuild). The preview does not follow edits of the theme itself."""
    key = (tuple(theme.dirs), str(theme.locale))
    if key not in themes:
        env = theme.get_env()
        listed = env.loader.list_templates()
        env.loader.list_templates = lambda: listed
        themes[key] = env
    theme.get_env = lambda: themes[key]


def _can_listen(host: str, port: int, dev_addr: str) -> None:
    """Fail at once, before any work, when the address is taken or not this machine's."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
            probe.bind((host, port))
    except OSError as error:
        raise EngineError(f"cannot serve on {dev_addr}: {error.strerror}") from None


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def serve(project: Project, dev_addr: str, drafts: bool = False) -> None:
    """Serve the site with live reload until interrupted (with ``drafts``, draft lessons
    too)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException
    from mkdocs.livereload import LiveReloadServer

    host, _, port = dev_addr.rpartition(":")
    if not host or not port.isdigit():
        raise EngineError(f"--dev-addr {dev_addr}: give it as HOST:PORT, e.g. 127.0.0.1:8000")
    url = f"http://{host}:{port}/"
    engine = _Engine()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(engine)
    mkdocs_log.setLevel(logging.WARNING)
    mkdocs_log.propagate = False
    themes: dict[Any, Any] = {}
    _can_listen(host.strip("[]"), int(port), dev_addr)
    folder = Path(tempfile.mkdtemp(prefix=PREVIEW_PREFIX))
    preview = Preview(project, folder, drafts)
    site_dir = preview.site_dir

    def load() -> Any:
        config = load_config(str(preview.config_file), site_dir=str(site_dir), strict=False)
        config.site_url = url
        _keep_theme(config.theme, themes)
        return config

    def engine_build(changed: list[str], whole: bool) -> list[str]:
        """Build the changed pages (or the whole site); return the engine's warnings."""
        config = load()
        _search_forgets(config, changed, whole)
        engine.kept = []
        try:
            build(config, serve_url=url, dirty=not whole)
        except MkDocsException as error:
            _say(f"engine: ERROR: {error}")
            engine.kept.append(f"engine: ERROR: {error}")
        finally:
            warnings, engine.kept = engine.kept, None
        return warnings

    def rebuild(first: bool = False) -> None:
        started = time.perf_counter()
        had_problems = bool(preview.problems)
        saved = [] if first else preview.saved()
        result = ([], True) if first else preview.regenerate()
        warnings = engine_build(*result) if result is not None else []
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
        changed, whole = result
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
        server = LiveReloadServer(builder=rebuild, host=host.strip("[]"), port=int(port),
                                  root=str(site_dir), polling_interval=POLL_SECONDS)
        server.build_delay = SETTLE_SECONDS
        server.error_handler = lambda code: ((site_dir / "404.html").read_bytes()
                                             if code == 404 and (site_dir / "404.html").is_file()
                                             else None)
        config = load()
        config.plugins.on_startup(command="serve", dirty=True)
        try:
            rebuild(first=True)
            for path in _watched(project):
                server.watch(str(path))
            config.plugins.on_serve(server, config=config, builder=rebuild)
            _say(f"Serving on {url}: the live preview reloads the page when you save a "
                 "content file or a template. It makes no PDFs; `curriculum build` does.")
            try:
                server.serve()
            except KeyboardInterrupt:
                pass
            except OSError as error:
                raise EngineError(f"cannot serve on {dev_addr}: {error.strerror}") from None
            finally:
                server.shutdown()
        finally:
            config.plugins.on_shutdown()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
