"""The build, read top to bottom: read every edition (the English content and each
translation), check it, then let every builder (``generator.builders.registry``) prepare
its outputs and write them. ``check`` prepares everything and writes nothing."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from generator.core import writing
from generator.core.errors import ContentError, failing
from generator.core.inputs import fingerprint, outputs
from generator.core.progress import Progress
from generator.core.project import Project
from generator.core.summary import Summary
from generator.core.write import BUILD_DIR, LOCK_FILE, build_lock, leftovers, writing_into

if TYPE_CHECKING:
    from generator.builders.context import Build
    from generator.core.catalog import Catalog


LAST_BUILD = "last-build.json"
"""In ``build/``: the fingerprints of the last successful build's inputs and outputs, and
what it said."""
KEPT = (LAST_BUILD, LOCK_FILE.name)
"""What changes in ``build/`` after the outputs' fingerprint is taken."""


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def check_everything(project: Project) -> Catalog:
    """What ``build`` reads and renders, without writing anything: the content and settings,
    the catalogs, and every output of every edition through the templates (an overlay's
    too), so that ``check`` reports what ``build`` would; raises ContentError listing every
    problem."""
    from generator.builders import registry
    from generator.builders.context import Build, editions

    # the last build's grades spare measuring the texts that did not change since
    with writing.grades_kept(project.root / BUILD_DIR / writing.GRADES_FILE, keep=False):
        found = editions(project)
    build = Build(project)
    registry.prepare(found, build)
    catalog = found[0].catalog
    catalog.warnings.extend(build.warnings)
    return catalog


def build(root: Path, engine: str = "mkdocs", overlay: Path | None = None,
          progress: Progress | None = None, release: bool = False,
          strict: bool = False, waiting: Callable[[str], None] = _say) -> Summary:
    """Build every output of every edition into ``root/site``; the old site stays until
    the new one is whole. A ``release`` build refuses (ContentError) while any agency setting is still
    a shipped placeholder or the crisis lines have no check date; a ``strict`` one while
    there is any warning (a refused translation among them).

    When nothing it reads changed since the last successful build (``generator.core.inputs``),
    there is nothing to do: it says what that build said. One build at a time writes in a
    folder: a second one says so through ``waiting`` and waits. A fault of the machine (a full disk, a folder that cannot be written) raises
    OSError naming the path."""
    with build_lock(root, waiting), writing_into(root / BUILD_DIR):
        project = Project(root, overlay)
        inputs = fingerprint(project, engine)
        record = root / BUILD_DIR / LAST_BUILD
        last = None if leftovers(root) else Summary.read(record, inputs, outputs(root, *KEPT))
        if last is None:
            record.unlink(missing_ok=True)
            # the builders are imported only when there is something to build
            from generator.builders.context import Build

            run = Build(project, progress or Progress(), engine, writing=True)
            last = _build(run, release, strict)
            last.write(record, inputs, outputs(root, *KEPT))
            # what writing met (a leftover that could not be removed) is said this time only
            return dataclasses.replace(last, warnings=[*last.warnings, *run.warnings])
        if release and last.release_problems:
            raise ContentError(last.release_problems)
        if failing(last.warnings, strict):
            raise ContentError(last.warnings)
        return last


def _build(run: Build, release: bool, strict: bool) -> Summary:
    """Read, prepare and write every edition; the summary of what the content says."""
    from generator.builders import registry
    from generator.builders.context import editions

    grades = run.project.root / BUILD_DIR / writing.GRADES_FILE
    with run.progress.stage("Checking the content"), writing.grades_kept(grades):
        found = editions(run.project)
    catalog = found[0].catalog
    if release and catalog.release_problems:
        raise ContentError(catalog.release_problems)
    registry.prepare(found, run)
    catalog.warnings.extend(run.warnings)
    run.warnings.clear()
    if failing(catalog.warnings, strict):
        raise ContentError(catalog.warnings)
    registry.write(found, run)
    return Summary.of(catalog)
