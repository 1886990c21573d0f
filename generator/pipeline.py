"""The build, read top to bottom: load, check, date the sessions, render, write; then the
same again for each translated edition (a language with a catalog in ``locales/``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator import changes, pdf, render, schedule, site, translate
from generator.check import Catalog, load_catalog
from generator.errors import ContentError, Problem
from generator.language import SOURCE, Language
from generator.progress import Progress
from generator.project import Project
from generator.templating import Templates
from generator.write import staged_site


@dataclass
class Edition:
    """A translated edition: its language, its content and its PDFs."""

    language: Language
    """The language, with what is still in English (``behind``)."""
    catalog: Catalog
    """The content with every current translation in place."""
    jobs: list[pdf.PrintJob]
    """Its member PDFs, each with what holds it back (``held``)."""

    @property
    def printed(self) -> list[pdf.PrintJob]:
        """The PDFs whose every text and word is translated and current."""
        return [job for job in self.jobs if not job.held]

    @property
    def waiting(self) -> list[pdf.PrintJob]:
        """The PDFs held back until their translation is current."""
        return [job for job in self.jobs if job.held]

    def notices(self) -> list[Problem]:
        """Translations that cannot be used, then what holds back its PDFs, for the build's
        output: one line per set of PDFs held by the same texts, at the first English
        text's file and line (or the catalog's)."""
        code = self.language.code
        groups: dict[tuple[str, ...], list[str]] = {}
        for job in self.waiting:
            groups.setdefault(job.held, []).append(f"downloads/{job.target}")
        found = list(self.language.problems)
        for held, targets in groups.items():
            path, line = next((self.language.where[key] for key in held
                               if key in self.language.where),
                              (str(translate.catalog_path(Path("."), code)), 1))
            shown = ", ".join(targets[:3]) + (f" and {len(targets) - 3} more"
                                              if len(targets) > 3 else "")
            texts = "; ".join(held[:3]) + (f" and {len(held) - 3} more" if len(held) > 3
                                           else "")
            found.append(Problem(path, line, shown,
                                 f"not printed in this language until these are translated "
                                 f"and current: {texts}. Run `curriculum translate update "
                                 f"{code}`, translate them, and build again"))
        return found


def editions(project: Project) -> list[Edition]:
    """Every translated edition of the project: the content and PDFs in each language
    with a catalog; raises ContentError listing every problem."""
    found = []
    for code in translate.languages(project):
        language = translate.load_language(project, code)
        catalog = load_catalog(project, language=language)
        found.append(Edition(language, catalog, pdf.prepare(project, catalog, language)))
    return found

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
    site.write_file(docs / "downloads" / "schedule.ics", schedule.ics(catalog, dated))
    site.copy_assets(project, catalog, docs)
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
        edition_file = root / BUILD_DIR / f"mkdocs-{code}.yml"
        edition_config = site.engine_config(
            root, edition.catalog, render.member_nav(edition.catalog, edition.language),
            edition_docs, site_dir / code, edition_file.parent, alternates, edition.language)
        configs.append(site.write_config(edition_config, edition_file))
    return configs


def edition_pages(project: Project, edition: Edition,
                  downloads: list[pdf.Download]) -> dict[str, str]:
    """The pages of a translated edition, with the sample-edition mark where it applies;
    raises ContentError for broken templates."""
    env = render.environment(project.template_dirs("site"), project.shown, edition.language)
    pages = render.member_pages(edition.catalog, env, downloads,
                                schedule.sessions(edition.catalog), edition.waiting,
                                edition.language.behind)
    env.raise_problems()
    return render.sample_marked(pages, env) if edition.catalog.sample else pages


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
    translated = []
    if translate.languages(project):
        with progress.stage("Preparing the translated editions"):
            translated = editions(project)
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
    catalog.warnings.extend(notice for edition in translated for notice in edition.notices())
    stamp = root / BUILD_DIR / "site-fingerprint"
    with staged_site(root) as staging:
        # Zensical writes only inside the folder of its config file.
        output = root / BUILD_DIR / "zensical-site" if engine == "zensical" else staging
        with progress.stage("Writing the pages"):
            config_files = generate(project, catalog, output, downloads, report, by_edition)
            fingerprint = site.fingerprint(config_files, engine)
        if (root / "site" / "index.html").is_file() and site.stamped(stamp) == fingerprint:
            staging.rmdir()  # the pages, PDFs and settings are those of the current site
        else:
            stamp.unlink(missing_ok=True)
            with progress.stage(f"Building the website ({engine})"):
                for config_file in config_files:  # the first cleans the whole site folder
                    site.run_engine(engine, config_file)
            if output != staging:
                staging.rmdir()
                output.replace(staging)
    if fingerprint != site.stamped(stamp):
        stamp.write_text(fingerprint, encoding="utf-8")
    return catalog
