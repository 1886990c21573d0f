"""The build, read top to bottom: load, check, date the sessions, render, write."""

from __future__ import annotations

from pathlib import Path

from generator import changes, pdf, render, schedule, site
from generator.check import Catalog, check
from generator.errors import ContentError
from generator.load import load
from generator.progress import Progress
from generator.project import Project
from generator.templating import Templates
from generator.write import staged_site

BUILD_DIR = Path("build")
"""Generated Markdown and engine config (git-ignored); the site engine reads them."""


def load_catalog(root: Path | Project, drafts: bool = False) -> Catalog:
    """Load and check all content (and the overlay's); raise ContentError listing every
    problem. Draft lessons are left out unless ``drafts``."""
    project = root if isinstance(root, Project) else Project(root)
    loaded = load(project)
    catalog = check(loaded, project, drafts)
    if catalog is None:
        raise ContentError(loaded.problems)
    return catalog


def print_pdfs(project: Project, print_jobs: list[pdf.PrintJob],
               progress: Progress | None = None) -> list[pdf.Download]:
    """Write every PDF into the pages folder (the site engine copies them into the site)."""
    progress = progress or Progress()
    folder = project.root / BUILD_DIR / "docs" / "downloads"
    with progress.stage("Writing PDFs (unchanged ones are reused)"):
        return pdf.write_all(project, print_jobs, folder,
                             project.root / BUILD_DIR / "pdf-stamps", step=progress.step)


def site_pages(project: Project, catalog: Catalog, env: Templates,
               dated: list[schedule.Session], downloads: list[pdf.Download],
               report: changes.Report | None = None) -> dict[str, str]:
    """Every page of the site (with "What's new" when there is a report, and the
    sample-edition mark where it applies); raises ContentError for broken templates."""
    pages = render.site_pages(catalog, env, downloads, dated,
                              report.reprint_targets if report else None)
    env.raise_problems()
    if report:
        pages["whats-new.md"] = changes.changes_page(project, report, links=True,
                                                     catalog=catalog)
    if catalog.sample:
        pages = render.sample_marked(pages, env)
    return pages


def generate(project: Project, catalog: Catalog, site_dir: Path,
             downloads: list[pdf.Download] | None = None,
             report: changes.Report | None = None) -> Path:
    """Render the pages, the calendar and the engine config into ``build/``; return the
    config path. With ``report`` (changes since the previous edition), the site gets a
    "What's new" page."""
    root = project.root
    env = render.environment(project.template_dirs("site"), project.shown)
    dated = schedule.sessions(catalog)
    pages = site_pages(project, catalog, env, dated, downloads or [], report)
    docs = root / BUILD_DIR / "docs"
    site.write_pages(pages, docs)
    site.write_file(docs / "downloads" / "schedule.ics", schedule.ics(catalog, dated))
    site.copy_assets(project, catalog, docs)
    config_file = root / BUILD_DIR / "mkdocs.yml"
    config = site.engine_config(root, catalog, render.nav(catalog, report is not None), docs,
                                site_dir, config_file.parent)
    return site.write_config(config, config_file)


def build(root: Path, engine: str = "mkdocs", overlay: Path | None = None,
          progress: Progress | None = None, release: bool = False) -> Catalog:
    """Build the website and PDFs into ``root/site``; the old site stays until the new one
    is whole. A ``release`` build refuses (ContentError) while any agency setting is still
    a shipped placeholder or the crisis lines have no check date."""
    progress = progress or Progress()
    project = Project(root, overlay)
    with progress.stage("Checking the content"):
        catalog = load_catalog(project)
    if release and catalog.release_problems:
        raise ContentError(catalog.release_problems)
    with progress.stage("Preparing the print pages"):
        print_jobs = pdf.prepare(project, catalog)
    report = None
    if catalog.program.previous_edition:
        with progress.stage("Comparing with the previous edition"):
            report = changes.since_previous(project, catalog, print_jobs)
    downloads = print_pdfs(project, print_jobs, progress)
    stamp = root / BUILD_DIR / "site-fingerprint"
    with staged_site(root) as staging:
        # Zensical writes only inside the folder of its config file.
        output = root / BUILD_DIR / "zensical-site" if engine == "zensical" else staging
        with progress.stage("Writing the pages"):
            config_file = generate(project, catalog, output, downloads, report)
            fingerprint = site.fingerprint(root / BUILD_DIR / "docs", config_file, engine)
        if (root / "site" / "index.html").is_file() and site.stamped(stamp) == fingerprint:
            staging.rmdir()  # the pages, PDFs and settings are those of the current site
        else:
            stamp.unlink(missing_ok=True)
            with progress.stage(f"Building the website ({engine})"):
                site.run_engine(engine, config_file)
            if output != staging:
                staging.rmdir()
                output.replace(staging)
    if fingerprint != site.stamped(stamp):
        stamp.write_text(fingerprint, encoding="utf-8")
    return catalog
