"""MkDocs with the Material theme: the only module of the generator that imports ``mkdocs``
(or ``material``).

``build`` is ``mkdocs build --strict`` on a generated config. ``Preview`` builds the live
preview's site: the whole of it, or only the pages the generator has just written again
(MkDocs' ``build(config, dirty=True)`` renders the pages whose Markdown is newer than their
HTML), and then puts those pages' new entries into the written search index, which a partial
build would otherwise reduce to them. It uses public interfaces only: ``load_config``,
``build``, the ``hooks`` setting (``preview_hooks.py``), the ``mkdocs`` logger and the files
the site holds.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import yaml

from generator.core.errors import EngineError

PACKAGES = ("mkdocs", "mkdocs-material")
"""The installed packages whose versions shape the site."""
LOGGER = "mkdocs"
"""MkDocs and its plugins report through this logger and those below it."""
HOOKS = Path(__file__).with_name("preview_hooks.py")
QUIET_WARNINGS = ("A 'dirty' build is being performed",)
"""Engine warnings that say nothing about the content (the preview builds dirty on purpose)."""
SEARCH_INDEX = "search/search_index.json"
"""The search plugin's index, in the site folder."""
OFFLINE_INDEX = "search/search_index.js"
"""The offline plugin's copy of the index as a script (search reads it from ``file://``)."""


def build(config_file: Path) -> None:
    """Build the site in strict mode: a warning fails the build (EngineError)."""
    from mkdocs.commands.build import build as build_site
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    # MkDocs reports through logging; show warnings and errors only, as `mkdocs build -q`.
    logger = logging.getLogger(LOGGER)
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("engine: %(levelname)s: %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    try:
        build_site(load_config(str(config_file), strict=True))
    except MkDocsException as error:
        raise EngineError(f"the site engine failed: {error}") from None


class _Kept(logging.Handler):
    """The engine's warnings and errors of one preview build, as lines."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.setFormatter(logging.Formatter("engine: %(levelname)s: %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not record.getMessage().startswith(QUIET_WARNINGS):
            self.lines.append(self.format(record))


class Preview:
    """The live preview's site in ``site_dir``, built from ``config_file`` and served at
    ``url``."""

    def __init__(self, config_file: Path, site_dir: Path, url: str) -> None:
        self.config_file = config_file
        self.site_dir = site_dir
        self.url = url
        self.search: dict[str, Any] | None = None
        """The whole search index: as the last whole build wrote it, with the entries of
        every page rebuilt since then in place of the old ones."""
        self.kept = _Kept()
        logger = logging.getLogger(LOGGER)
        logger.addHandler(self.kept)
        logger.setLevel(logging.WARNING)
        logger.propagate = False  # its lines are the preview's to show

    def render(self, changed: list[str] | None) -> list[str]:
        """Build the whole site (``changed`` is None) or the pages written since the last
        build (``changed``: their paths in the pages folder); return the engine's warnings
        and error, one line each."""
        from mkdocs.commands.build import build as build_site
        from mkdocs.config import load_config
        from mkdocs.exceptions import MkDocsException

        self.kept.lines = []
        try:
            config = load_config(str(self.config_file), site_dir=str(self.site_dir),
                                 site_url=self.url, strict=False, hooks=self._hooks())
            build_site(config, serve_url=self.url, dirty=changed is not None)
        except MkDocsException as error:
            self.kept.lines.append(f"engine: ERROR: {error}")
        else:
            self._index(changed)
        return self.kept.lines

    def _hooks(self) -> list[str]:
        """The hooks the config lists (as it lists them) and the preview's own."""
        text = self.config_file.read_text(encoding="utf-8")
        listed = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        return [*(listed.get("hooks") or []), str(HOOKS)]

    def _index(self, changed: list[str] | None) -> None:
        """Make the written search index whole again after a partial build, whose index holds
        the rebuilt pages only; their entries take the place of their old ones."""
        index = self.site_dir / SEARCH_INDEX
        if not index.is_file():  # search is switched off
            self.search = None
            return
        written = json.loads(index.read_text(encoding="utf-8"))
        if changed is None or self.search is None:
            self.search = written
            return
        fresh: dict[str, list[dict[str, Any]]] = {}
        for entry in written["docs"]:
            fresh.setdefault(_page(entry), []).append(entry)
        rebuilt = fresh.keys() | {page.removesuffix(".md") + ".html" for page in changed}
        docs = []
        for entry in self.search["docs"]:
            page = _page(entry)
            if page in rebuilt:
                docs += fresh.pop(page, [])  # in the old ones' place, keeping the order
            else:
                docs.append(entry)
        for entries in fresh.values():
            docs += entries
        self.search = {**written, "docs": docs}
        # As the search plugin writes it (and the offline plugin copies it).
        text = json.dumps(self.search, separators=(",", ":"), default=str)
        index.write_text(text, encoding="utf-8")
        script = self.site_dir / OFFLINE_INDEX
        if script.is_file():
            script.write_text(f"var __index = {text}", encoding="utf-8")


def _page(entry: dict[str, Any]) -> str:
    """The page a search entry belongs to (a section's entry ends in its ``#anchor``)."""
    return entry["location"].split("#", 1)[0]
