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
    from generator.builders import pdf, pages as render
    from generator import pipeline
    from generator.core import schedule
    from generator.core.characters import FONT_DIR
    from generator.core.content import load_catalog
    from generator.editions import edition_pages
    from generator.core.project import Project

    def listed(jobs: list[pdf.PrintJob]) -> list[pdf.Download]:
        return [pdf.Download(job.target, job.title, job.group, 1000, 1, job.listing,
                             job.language) for job in jobs]

    project = Project(PROJECT, overlay)
    catalog = load_catalog(project)
    translated = pipeline.translated_editions(project, catalog)
    jobs = pdf.prepare(project, catalog)
    env = render.environment(project.template_dirs("site"), project.shown)
    pages = {f"site/{path}": text for path, text in pipeline.site_pages(
        project, catalog, env, schedule.sessions(catalog), listed(jobs),
        editions=[edition.language for edition in translated]).items()}
    pages |= {f"print/{job.target}.html": job.html for job in jobs}
    for edition in translated:
        code = edition.language.code
        pages |= {f"site-{code}/{path}": text for path, text in edition_pages(
            project, edition, listed(edition.printed)).items()}
        pages |= {f"print/{job.target}.html": job.html for job in edition.jobs}
    # the font folder first: it may be inside the project (its .venv) or anywhere else
    machine = {str(FONT_DIR): "FONTS", str(PROJECT): "PROJECT"}
    result = {}
    for path, text in pages.items():
        for written, shown in machine.items():
            text = text.replace(Path(written).as_uri(), shown).replace(written, shown)
        result[path] = text
    return result


def write() -> None:
    """Write the snapshots afresh."""
    for name, overlay in PROJECTS.items():
        folder = GOLDEN / name
        shutil.rmtree(folder, ignore_errors=True)
        for path, text in rendered(overlay).items():
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(PROJECT))
    write()
