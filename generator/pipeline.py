"""The build, read top to bottom: read every edition (the English content and each
translation), check it, then let every builder (``generator.builders.registry``) prepare
its outputs and write them. ``check`` prepares everything and writes nothing."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from generator.builders import registry
from generator.builders.context import BUILD_DIR, Build, editions
from generator.core.catalog import Catalog
from generator.core.errors import ContentError
from generator.core.progress import Progress
from generator.core.project import Project
from generator.core.write import build_lock, writing_into


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def check_everything(project: Project) -> Catalog:
    """What ``build`` reads and renders, without writing anything: the content and settings,
    the catalogs, and every output of every edition through the templates (an overlay's
    too), so that ``check`` reports what ``build`` would; raises ContentError listing every
    problem."""
    found = editions(project)
    build = Build(project)
    registry.prepare(found, build)
    catalog = found[0].catalog
    catalog.warnings.extend(build.warnings)
    return catalog


def build(root: Path, engine: str = "mkdocs", overlay: Path | None = None,
          progress: Progress | None = None, release: bool = False,
          strict: bool = False, waiting: Callable[[str], None] = _say) -> Catalog:
    """Build the website and PDFs into ``root/site``; the old site stays until the new one
    is whole. A ``release`` build refuses (ContentError) while any agency setting is still
    a shipped placeholder or the crisis lines have no check date; a ``strict`` one while
    there is any warning (a refused translation among them).

    One build at a time writes in a folder: a second one says so through ``waiting`` and
    waits. A fault of the machine (a full disk, a folder that cannot be written) raises
    OSError naming the path."""
    with build_lock(root, waiting), writing_into(root / BUILD_DIR):
        project = Project(root, overlay)
        run = Build(project, progress or Progress(), engine, writing=True)
        with run.progress.stage("Checking the content"):
            found = editions(project)
        catalog = found[0].catalog
        if release and catalog.release_problems:
            raise ContentError(catalog.release_problems)
        registry.prepare(found, run)
        catalog.warnings.extend(run.warnings)
        run.warnings.clear()
        if strict and catalog.warnings:
            raise ContentError(catalog.warnings)
        registry.write(found, run)
        catalog.warnings.extend(run.warnings)
        return catalog
