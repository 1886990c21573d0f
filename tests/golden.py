"""Golden snapshots of what the generator writes before any engine runs: every Markdown page
of the site (and of each translated edition) and every print page, for the shipped content
and for the example overlay. ``tests/test_golden.py`` compares them with the files in
``tests/golden/``; after changing an output on purpose, regenerate them and commit the
difference with the change:

    .venv/bin/python tests/golden.py
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
PROJECTS = {"upstream": None, "riverside": PROJECT / "examples" / "riverside"}
"""Each snapshot's folder in ``tests/golden/`` and the overlay it is built with."""


def rendered(overlay: Path | None) -> dict[str, str]:
    """Every generated page of the project (with ``overlay``), by where the snapshot keeps it:
    ``site/…md``, ``site-LANG/…md`` and ``print/…html``. The downloads are listed as if every
    PDF had been written (one page, 1 kB), so that pages link to them as in a build."""
    from generator.builders import pdf, registry
    from generator.builders.context import Build, editions
    from generator.core.characters import FONT_DIR
    from generator.core.project import Project

    project = Project(PROJECT, overlay)
    found = editions(project)
    build = Build(project)
    first, *rest = registry.BUILDERS
    registry.prepare(found, build, (first,))
    build.made["pdf"] = [pdf.Download(job.target, job.title, job.group, 1000, 1, job.listing,
                                      job.language)
                         for _, jobs in build.prepared["pdf"] for job in jobs if not job.held]
    registry.prepare(found, build, tuple(rest))
    pages = {}
    for edition, made in build.prepared["pages"]:
        folder = "site" if edition.source else f"site-{edition.language.code}"
        pages |= {f"{folder}/{path}": text for path, text in made.items()}
    for _, jobs in build.prepared["pdf"]:
        pages |= {f"print/{job.target}.html": job.html for job in jobs}
    machine = {str(PROJECT): "PROJECT", str(FONT_DIR): "FONTS"}
    result = {}
    for path, text in pages.items():
        for written, shown in sorted(machine.items(), key=lambda item: -len(item[0])):
            text = text.replace(Path(written).as_uri(), shown).replace(written, shown)
        result[path] = text
    return result


def write() -> None:
    """Write the snapshots afresh."""
    made = {name: rendered(overlay) for name, overlay in PROJECTS.items()}
    for name, pages in made.items():
        folder = GOLDEN / name
        shutil.rmtree(folder, ignore_errors=True)
        for path, text in pages.items():
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(PROJECT))
    write()
