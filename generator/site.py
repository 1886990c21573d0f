"""Stage 5a: the website. Writes the generated Markdown and a generated engine config into
``build/``, then runs the site engine (MkDocs + Material by default, or Zensical).

The project's own ``mkdocs.yml`` holds the theme and Markdown settings; the generated copy
adds what depends on the content: the navigation, the site name and the local polyfill.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from generator.check import Catalog
from generator.errors import ContentError, Problem
from generator.project import Project

SHIM = Path("node_modules/iframe-worker/shim/index.js")
"""The iframe-worker shim (installed from the npm registry by `make build`), so that search
works from ``file://`` without the offline plugin's CDN fallback."""
SHIM_URL = "assets/javascripts/iframe-worker-shim.js"
LOGO_DIR = "assets/agency"
"""Where the agency's logo goes in the site."""


class EngineError(Exception):
    """The site engine failed; its own output says why."""

    exit_code = 1


def write_pages(pages: dict[str, str], docs: Path) -> list[str]:
    """Write pages into ``docs``; touch only files whose text changed; remove stale pages.

    Returns the paths that changed, so a live preview rebuilds only when needed.
    """
    changed = []
    docs.mkdir(parents=True, exist_ok=True)
    for relative, text in pages.items():
        target = docs / relative
        if target.is_file() and target.read_text(encoding="utf-8") == text:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        changed.append(relative)
    for existing in docs.rglob("*.md"):
        relative = existing.relative_to(docs).as_posix()
        if relative not in pages:
            existing.unlink()
            changed.append(relative)
    return changed


def write_file(target: Path, data: bytes) -> None:
    """Write a generated file next to the pages, only when its bytes changed."""
    if target.is_file() and target.read_bytes() == data:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def copy_assets(project: Project, catalog: Catalog, docs: Path) -> None:
    """Copy the site assets (the overlay's over the upstream ones), the agency's logo and
    the iframe-worker shim next to the pages."""
    for layer in reversed(project.layers):
        assets = layer / "templates" / "site" / "assets"
        if assets.is_dir():
            shutil.copytree(assets, docs / "assets", dirs_exist_ok=True)
    logo = catalog.agency.logo
    if logo:
        write_file(docs / LOGO_DIR / Path(logo).name, project.find(logo).read_bytes())
    shim = project.root / SHIM
    if not shim.is_file():
        raise ContentError([Problem(str(SHIM), 1, "setup",
                                    "the iframe-worker shim is missing; run `make build` "
                                    "(it runs `npm ci`) first")])
    write_file(docs / SHIM_URL, shim.read_bytes())


def engine_config(root: Path, catalog: Catalog, nav: list[Any], docs: Path, site_dir: Path,
                  config_dir: Path) -> dict[str, Any]:
    """The project's mkdocs.yml plus the content-dependent settings."""
    with open(root / "mkdocs.yml", encoding="utf-8") as handle:
        config = yaml.safe_load(handle)
    agency = catalog.agency
    config["site_name"] = f"{agency.program_name} · {agency.agency_name}"
    config["copyright"] = (f"{agency.agency_name} · {agency.address} · "
                           f"{catalog.program.title}, edition {catalog.program.edition} · "
                           f"{config.get('copyright', '')}")
    if agency.logo:
        config["theme"]["logo"] = f"{LOGO_DIR}/{Path(agency.logo).name}"
    # Relative to the generated config's folder: Zensical accepts no absolute paths here.
    config["docs_dir"] = os.path.relpath(docs, config_dir)
    config["site_dir"] = os.path.relpath(site_dir, config_dir)
    config["nav"] = nav
    if catalog.agency.site_url:
        config["site_url"] = catalog.agency.site_url
    extra = config.setdefault("extra", {})
    extra["polyfills"] = [SHIM_URL]
    extra["edition"] = catalog.program.edition
    return config


def write_config(config: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(config, sort_keys=False, allow_unicode=True)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def fingerprint(docs: Path, config_file: Path, engine: str) -> str:
    """What the built site depends on: every generated page and file, the settings (but
    not the temporary folder the engine writes to) and the engine and theme versions."""
    digest = hashlib.sha256()
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config.pop("site_dir", None)
    digest.update(json.dumps(config, sort_keys=True, default=str).encode())
    for package in (engine, "mkdocs-material"):
        try:
            digest.update(f"{package} {metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(package.encode())
    for path in sorted(docs.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(docs).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def stamped(stamp: Path) -> str | None:
    """The fingerprint of the site the last successful build wrote, if any."""
    try:
        return stamp.read_text(encoding="utf-8")
    except OSError:
        return None


def run_engine(engine: str, config_file: Path) -> None:
    """Build the site with the chosen engine in strict mode: a warning fails the build."""
    if engine == "mkdocs":
        _run_mkdocs(config_file)
    else:
        _run_zensical(config_file)


def _run_mkdocs(config_file: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    # MkDocs reports through logging; show warnings and errors only, as `mkdocs build -q`.
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("engine: %(levelname)s: %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    try:
        config = load_config(str(config_file), strict=True)
        build(config)
    except MkDocsException as error:
        raise EngineError(f"the site engine failed: {error}") from None


def _run_zensical(config_file: Path) -> None:
    executable = Path(sys.executable).with_name("zensical")
    if not executable.is_file():
        raise EngineError("Zensical is not installed: pip install -e '.[zensical]'")
    result = subprocess.run([str(executable), "build", "--clean", "--strict", "-f", str(config_file)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise EngineError(f"the site engine failed:\n{result.stdout}{result.stderr}")
