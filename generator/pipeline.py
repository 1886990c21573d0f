"""The build, read top to bottom: load, check, date the sessions, render, write; the
translated editions (``generator.editions``) go through the same stages in their language."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from generator import changes
from generator.builders import calendar, pdf, pages as render, site
from generator.core import schedule, translate
from generator.core.catalog import Catalog
from generator.core.content import load_catalog
from generator.editions import Edition, edition_pages, editions
from generator.core.errors import ContentError, Problem, failing
from generator.core.language import SOURCE, Language
from generator.core.markup import active_pages
from generator.progress import Progress
from generator.core.project import Project
from generator.builders.templating import Templates
from generator.core.write import build_lock, staged_site, writing_into


BUILD_DIR = Path("build")
"""Generated Markdown and engine config (git-ignored); the site engine reads them."""


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
               report: changes.Report | None = None,
               editions: list[Language] = ()) -> dict[str, str]:
    """Every page of the site (with "What's new" when there is a report, and the
    sample-edition mark where it applies); raises ContentError for broken templates."""
    pages = render.site_pages(catalog, env, downloads, dated,
                              report.reprint_targets if report else None,
                              editions=editions)
    env.raise_problems()
    active = active_pages(pages)
    if active:
        raise ContentError(active)
    if report:
        pages["whats-new.md"] = changes.changes_page(project, report, links=True,
                                                     catalog=catalog)
    if catalog.sample:
        pages = render.sample_marked(pages, env)
    return pages


def generate(project: Project, catalog: Catalog, site_dir: Path,
             downloads: list[pdf.Download] | None = None,
             report: changes.Report | None = None,
             translated: list[tuple[Edition, list[pdf.Download]]] = ()) -> list[Path]:
    """Render the pages, the calendar and the engine configs into ``build/``: the site and
    each translated edition's site (its member pages, in ``site/LANG/``); return the config
    paths. With ``report`` (changes since the previous edition), the site gets a "What's
    new" page."""
    root = project.root
    env = render.environment(project.template_dirs("site"), project.shown)
    dated = schedule.sessions(catalog)
    pages = site_pages(project, catalog, env, dated, downloads or [], report,
                       [edition.language for edition, _ in translated])
    docs = root / BUILD_DIR / "docs"
    site.write_pages(pages, docs)
    site.write_file(docs / "downloads" / "schedule.ics", calendar.ics(catalog, dated))
    site.copy_assets(project, catalog, docs)
    site.copy_images(project, pages, docs)
    made = [(edition, edition_pages(project, edition, edition_downloads))
            for edition, edition_downloads in translated]
    alternates = site.alternates([(edition.language, set(pages)) for edition, pages in made])
    config_file = root / BUILD_DIR / "mkdocs.yml"
    config = site.engine_config(root, catalog, render.nav(catalog, report is not None), docs,
                                site_dir, config_file.parent, alternates)
    configs = [site.write_config(config, config_file)]
    for edition, edition_pages_made in made:
        code = edition.language.code
        edition_docs = root / BUILD_DIR / f"docs-{code}"
        site.write_pages(edition_pages_made, edition_docs)
        site.copy_assets(project, edition.catalog, edition_docs)
        site.copy_images(project, edition_pages_made, edition_docs)
        edition_file = root / BUILD_DIR / f"mkdocs-{code}.yml"
        edition_config = site.engine_config(
            root, edition.catalog, render.member_nav(edition.catalog, edition.language),
            edition_docs, site_dir / code, edition_file.parent, alternates, edition.language)
        configs.append(site.write_config(edition_config, edition_file))
    return configs


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def translated_editions(project: Project, catalog: Catalog) -> list[Edition]:
    """Every translated edition (its catalogs read and each translation checked), with what
    cannot be used or printed added to the catalog's warnings; raises ContentError for a
    catalog that cannot be read. ``check`` and ``build`` both report through this."""
    found = editions(project)
    catalog.warnings.extend(notice for edition in found for notice in edition.notices())
    return found


def check_everything(project: Project) -> Catalog:
    """What ``build`` reads and renders, without writing anything: the content and settings,
    the catalogs, and every site page and print page through the templates (an overlay's
    too), so that ``check`` reports what ``build`` would; raises ContentError listing every
    problem."""
    catalog = load_catalog(project)
    translated = translated_editions(project, catalog)
    problems = []
    renders: list[Callable[[], object]] = [
        lambda: pdf.prepare(project, catalog),
        lambda: site_pages(project, catalog,
                           render.environment(project.template_dirs("site"), project.shown),
                           schedule.sessions(catalog), [],
                           editions=[edition.language for edition in translated]),
        *(lambda edition=edition: edition_pages(project, edition, [])
          for edition in translated)]
    for made in renders:
        try:
            made()
        except ContentError as error:
            problems.extend(error.problems)
    if problems:
        raise ContentError(problems)
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
        return _build(root, engine, overlay, progress or Progress(), release, strict)


def _build(root: Path, engine: str, overlay: Path | None, progress: Progress,
           release: bool, strict: bool) -> Catalog:
    project = Project(root, overlay)
    with progress.stage("Checking the content"):
        catalog = load_catalog(project)
    if release and catalog.release_problems:
        raise ContentError(catalog.release_problems)
    with progress.stage("Preparing the print pages"):
        print_jobs = pdf.prepare(project, catalog)
    translated = []
    if translate.languages(project):
        with progress.stage("Preparing the translated editions"):
            translated = translated_editions(project, catalog)
    if failing(catalog.warnings, strict):
        raise ContentError(catalog.warnings)
    report = None
    if catalog.program.previous_edition:
        with progress.stage("Comparing with the previous edition"):
            report = changes.since_previous(project, catalog, print_jobs)
    written = print_pdfs(project, print_jobs + [job for edition in translated
                                                for job in edition.printed], progress)
    downloads = [download for download in written if download.language == SOURCE]
    by_edition = [(edition, [download for download in written
                             if download.language == edition.language.code])
                  for edition in translated]
    stamp = root / BUILD_DIR / "site-fingerprint"
    leftovers: list[Problem] = []
    with staged_site(root, leftovers) as staging:
        # Zensical writes only inside the folder of its config file.
        output = root / BUILD_DIR / "zensical-site" if engine == "zensical" else staging
        with progress.stage("Writing the pages"):
            config_files = generate(project, catalog, output, downloads, report, by_edition)
            fingerprint = site.fingerprint(config_files, engine)
        if (root / "site" / "index.html").is_file() and site.stamped(stamp) == fingerprint:
            staging.rmdir()  # the pages, PDFs and settings are those of the current site
        else:
            stamp.unlink(missing_ok=True)
            with progress.stage(f"Building the website ({engine})"), writing_into(output):
                for config_file in config_files:  # the first cleans the whole site folder
                    site.run_engine(engine, config_file)
            if output != staging:
                staging.rmdir()
                output.replace(staging)
    catalog.warnings.extend(leftovers)
    if fingerprint != site.stamped(stamp):
        stamp.write_text(fingerprint, encoding="utf-8")
    return catalog
