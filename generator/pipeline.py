"""The build, read top to bottom: load, check, render, write."""

from __future__ import annotations

from pathlib import Path

from generator import pdf, render, site
from generator.check import Catalog, check
from generator.errors import ContentError
from generator.load import load
from generator.write import staged_site

BUILD_DIR = Path("build")
"""Generated Markdown and engine config (git-ignored); the site engine reads them."""


def load_catalog(root: Path) -> Catalog:
    """Load and check all content; raise ContentError listing every problem."""
    loaded = load(root)
    catalog = check(loaded.items, loaded.problems, loaded.declared, loaded.program, root)
    if catalog is None:
        raise ContentError(loaded.problems)
    return catalog


def print_pdfs(root: Path, catalog: Catalog) -> list[pdf.Download]:
    """Write every PDF into the pages folder (the site engine copies it into the site)."""
    env = pdf.environment([root / "templates" / "print", root / "templates" / "common"])
    print_jobs = pdf.jobs(catalog, env)
    folder = root / BUILD_DIR / "docs" / "downloads"
    return pdf.write_all(root, print_jobs, folder, root / BUILD_DIR / "pdf-stamps")


def generate(root: Path, catalog: Catalog, site_dir: Path,
             downloads: list[pdf.Download] | None = None) -> Path:
    """Render the pages and the engine config into ``build/``; return the config path."""
    env = render.environment([root / "templates" / "site", root / "templates" / "common"])
    pages = render.site_pages(catalog, env, downloads or [])
    docs = root / BUILD_DIR / "docs"
    site.write_pages(pages, docs)
    site.copy_assets(root, docs)
    config_file = root / BUILD_DIR / "mkdocs.yml"
    config = site.engine_config(root, catalog, render.nav(catalog), docs, site_dir,
                                config_file.parent)
    return site.write_config(config, config_file)


def build(root: Path, engine: str = "mkdocs") -> Catalog:
    """Build the website and PDFs into ``root/site``; the old site stays until the new one
    is whole."""
    catalog = load_catalog(root)
    downloads = print_pdfs(root, catalog)
    with staged_site(root) as staging:
        if engine == "zensical":
            # Zensical writes only inside the folder of its config file.
            output = root / BUILD_DIR / "zensical-site"
            site.run_engine(engine, generate(root, catalog, output, downloads))
            staging.rmdir()
            output.replace(staging)
        else:
            site.run_engine(engine, generate(root, catalog, staging, downloads))
    return catalog
