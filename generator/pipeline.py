"""The build, read top to bottom: load, check, render, write."""

from __future__ import annotations

from pathlib import Path

from generator import render, site
from generator.check import Catalog, check
from generator.errors import ContentError
from generator.load import load
from generator.write import staged_site

BUILD_DIR = Path("build")
"""Generated Markdown and engine config (git-ignored); the site engine reads them."""


def load_catalog(root: Path) -> Catalog:
    """Load and check all content; raise ContentError listing every problem."""
    items, problems = load(root)
    catalog = check(items, problems)
    if catalog is None:
        raise ContentError(problems)
    return catalog


def generate(root: Path, catalog: Catalog, site_dir: Path) -> Path:
    """Render the pages and the engine config into ``build/``; return the config path."""
    env = render.environment([root / "templates" / "site"])
    pages = render.site_pages(catalog, env)
    docs = root / BUILD_DIR / "docs"
    site.write_pages(pages, docs)
    site.copy_assets(root, docs)
    config = site.engine_config(root, catalog, render.nav(catalog), docs, site_dir)
    return site.write_config(config, root / BUILD_DIR / "mkdocs.yml")


def build(root: Path, engine: str = "mkdocs") -> Catalog:
    """Build the website into ``root/site``; the old site stays until the new one is whole."""
    catalog = load_catalog(root)
    with staged_site(root) as staging:
        config = generate(root, catalog, staging)
        site.run_engine(engine, config)
    return catalog
