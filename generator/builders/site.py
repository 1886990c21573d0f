"""Stage 5a: the website. Writes the generated Markdown and a generated engine config into
``build/``, then runs the site engine (MkDocs + Material by default, or Zensical) through
``builders.engines``.

The project's own ``mkdocs.yml`` holds the theme and Markdown settings; the generated copy
adds what depends on the content: the navigation, the site name and the local polyfill.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
from concurrent.futures import ProcessPoolExecutor
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from generator.builders import engines, routes
from generator.builders.context import Build, Context, prepared
from generator.core import files, images
from generator.core.catalog import Catalog
from generator.core.check import IMAGE
from generator.core.errors import ContentError, Problem
from generator.core.language import ENGLISH, Language
from generator.core.project import Project
from generator.core.write import die_with, staged_site, writing_into

SHIM = Path("node_modules/iframe-worker/shim/index.js")
"""The iframe-worker shim (installed from the npm registry by `make build`), so that search
works from ``file://`` without the offline plugin's CDN fallback."""
SHIM_URL = "assets/javascripts/iframe-worker-shim.js"
OVERRIDES = Path("templates/site/overrides")
"""Theme overrides (the language selector that keeps the page), used with translations."""
LOGO_DIR = "assets/agency"
"""Where the agency's logo goes in the site."""


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
    the iframe-worker shim next to the pages. Links are followed only inside the project
    and overlay, and only ordinary files are copied (``check`` reports any other)."""
    problems: list[Problem] = []
    for layer in reversed(project.layers):
        assets = layer / "templates" / "site" / "assets"
        for path in files.walk(project, assets, problems):
            _copy(project, path, docs / "assets" / path.relative_to(assets),
                  files.MAX_ASSET_BYTES, "site assets", problems)
    logo = catalog.agency.logo
    if logo:
        _copy(project, project.find(logo), docs / LOGO_DIR / Path(logo).name,
              images.MAX_IMAGE_BYTES, "images", problems)
    shim = project.root / SHIM
    if not shim.is_file():
        problems.append(Problem(str(SHIM), 1, "setup",
                                "the iframe-worker shim is missing; run `make build` "
                                "(it runs `npm ci`) first"))
    else:
        write_file(docs / SHIM_URL, shim.read_bytes())
    if problems:
        raise ContentError(problems)


def _copy(project: Project, source: Path, target: Path, limit: int, what: str,
          problems: list[Problem]) -> None:
    """Copy one file into the pages folder, or report why it may not be read."""
    problem = files.file_problem(project, source, limit, what)
    if problem:
        problems.append(problem)
        return
    write_file(target, files.read_bytes(source, limit, what))


def copy_images(project: Project, pages: dict[str, str], docs: Path) -> None:
    """Copy each image the content shows into the pages folder, beside every page that
    shows it, so that the page's own relative link to it works on the site. Only images
    of the project (checked by ``check``: inside it, and images) are copied."""
    problems: list[Problem] = []
    for page, text in pages.items():
        folder = posixpath.dirname(page)
        for match in IMAGE.finditer(text):
            src = (match["src"] or "").strip("<>")
            if not src:
                continue
            found = None if "://" in src or project.escapes(src) else project.find(src)
            if found is None:
                continue  # a web address, or a mistake the site engine reports
            target = posixpath.normpath(posixpath.join(folder, src.lstrip("/")))
            if target.startswith(".."):
                continue
            why = images.problem(found)
            if why:
                problems.append(Problem(project.shown(found), 0, "file", why))
                continue
            _copy(project, found, docs / target, images.MAX_IMAGE_BYTES, "images", problems)
    if problems:
        raise ContentError(problems)


def alternates(translated: list[tuple[Language, set[str]]]) -> list[dict[str, Any]]:
    """The language selector's entries when there are translated editions (none without):
    each language, where its site is, relative to the English one, and which pages it has
    (English: all), so that the selector leads to the same page in the other language."""
    if not translated:
        return []
    home = routes.html(routes.HOME)
    return [{"name": ENGLISH.name, "lang": ENGLISH.code, "link": "", "pages": None,
             "home": home},
            *({"name": language.name, "lang": language.code, "link": routes.Routes(language.code).root,
               "home": home,
               "pages": sorted(map(routes.html, pages))}
              for language, pages in translated)]


def engine_config(root: Path, catalog: Catalog, nav: list[Any], docs: Path, site_dir: Path,
                  config_dir: Path, languages: list[dict[str, Any]] | None = None,
                  language: Language = ENGLISH) -> dict[str, Any]:
    """The project's mkdocs.yml plus the content-dependent settings, for the site in a
    language (a translated edition is a site of its own, in ``site/LANG/``), with the
    language selector when there are translated editions."""
    with open(root / "mkdocs.yml", encoding="utf-8") as handle:
        config = yaml.safe_load(handle)
    agency = catalog.agency
    extra = config.setdefault("extra", {})
    _ = language.gettext
    config["site_name"] = f"{agency.program_name} · {agency.agency_name}"
    edition = _("%(title)s, edition %(edition)s") % {"title": catalog.program.title,
                                                     "edition": catalog.program.edition}
    config["copyright"] = (f"{agency.agency_name} · {agency.address} · {edition} · "
                           f"{config.get('copyright', '')}")
    if languages:
        config["theme"]["language"] = language.code
        config["theme"]["custom_dir"] = os.path.relpath(root / OVERRIDES, config_dir)
        up = "" if language.source else "../"  # from this site's root to the English one
        # Our own key, read by templates/site/overrides/partials/alternate.html; Material's
        # `alternate` is only switched on. As a list, Material would add head links that its
        # script follows: served, it sends every click on a link into the other language
        # to that site's home page (it looks the page up in a sitemap, which needs a
        # site_url); from the folder it does nothing. The selector works the same in both.
        extra["alternate"] = True
        extra["languages"] = [
            {**entry, "link": "" if entry["lang"] == language.code else up + entry["link"]}
            for entry in languages]
        for plugin in config["plugins"]:
            if isinstance(plugin, dict) and "search" in plugin:
                plugin["search"]["lang"] = language.code
    if agency.logo:
        config["theme"]["logo"] = f"{LOGO_DIR}/{Path(agency.logo).name}"
    # Relative to the generated config's folder: Zensical accepts no absolute paths here.
    config["docs_dir"] = os.path.relpath(docs, config_dir)
    config["site_dir"] = os.path.relpath(site_dir, config_dir)
    config["nav"] = nav
    if catalog.agency.site_url:
        config["site_url"] = catalog.agency.site_url
    extra["polyfills"] = [SHIM_URL]
    extra["edition"] = catalog.program.edition
    return config


def write_config(config: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(config, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
                     sort_keys=False, allow_unicode=True)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def fingerprint(config_files: list[Path], engine: str) -> str:
    """What the built site depends on: every generated page and file of each language, the
    theme overrides, the settings (but not the temporary folder the engine writes to) and
    the engine and theme versions."""
    digest = hashlib.sha256()
    for config_file in config_files:
        config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
        config.pop("site_dir", None)
        digest.update(json.dumps(config, sort_keys=True, default=str).encode())
        folders = [config["docs_dir"], config["theme"].get("custom_dir")]
        for folder in [(config_file.parent / name).resolve() for name in folders if name]:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
                    digest.update(hashlib.sha256(path.read_bytes()).digest())
    for package in engines.packages(engine):
        try:
            digest.update(f"{package} {metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(package.encode())
    return digest.hexdigest()


def stamped(stamp: Path) -> str | None:
    """The fingerprint of the site the last successful build wrote, if any."""
    try:
        return stamp.read_text(encoding="utf-8")
    except OSError:
        return None


def run_engine(engine: str, config_file: Path) -> None:
    """Build the site with the chosen engine in strict mode: a warning fails the build."""
    engines.build(engine, config_file)


def _run_engines(engine: str, config_files: list[Path]) -> None:
    """Build every edition's site: the first (English) here, which cleans its folder, and
    with MkDocs each other one at the same time in a process of its own, into its own
    folder (a second core is otherwise idle while the engine runs); with Zensical one after
    the other, each into the English site's folder."""
    first, *others = config_files
    if engine != "mkdocs" or not others:
        for config_file in config_files:
            run_engine(engine, config_file)
        return
    with ProcessPoolExecutor(max_workers=len(others), initializer=die_with,
                             initargs=(os.getpid(),)) as pool:
        running = [pool.submit(run_engine, engine, config_file) for config_file in others]
        run_engine(engine, first)
        for future in running:
            future.result()  # the engine's error, if it failed


STAMP = "site-fingerprint"
"""The fingerprint of the site the last successful build wrote, in ``build/``."""


class SiteBuilder:
    """The website of every edition, built by the site engine from the pages folders (a
    translated edition's site in ``site/LANG/``); the old site stays until the new one is
    whole, and the engine does not run when no page, PDF or setting changed."""

    name = "site"
    preparing = None
    writing = None
    needs: tuple[str, ...] = ("pages",)

    def prepare(self, edition: Context, build: Build) -> list[Any]:
        """The edition's navigation."""
        pages = prepared(build, "pages", edition) or {}
        return edition.routes.nav(edition.catalog, edition.language.gettext, edition.audience,
                                  whats_new=routes.WHATS_NEW in pages)

    def write(self, prepared_navs: list[tuple[Context, list[Any]]], build: Build) -> None:
        root = build.project.root
        stamp = build.folder / STAMP
        translated = [(edition.language, set(prepared(build, "pages", edition) or {}))
                      for edition, _ in prepared_navs if not edition.source]
        languages = alternates(translated)
        with staged_site(root, build.warnings) as staging:
            # Zensical writes only inside the folder of its config file.
            output = build.folder / "zensical-site" if build.engine == "zensical" else staging
            config_files = []
            apart = {}  # a translated edition's site, built beside the English one
            for edition, nav in prepared_navs:
                code = edition.language.code
                config_file = build.folder / ("mkdocs.yml" if edition.source
                                              else f"mkdocs-{code}.yml")
                site_dir = output / edition.routes.root
                if not edition.source and build.engine == "mkdocs":
                    site_dir = apart[code] = build.folder / f"site-{code}"
                config = engine_config(root, edition.catalog, nav, build.docs(edition),
                                       site_dir, config_file.parent, languages,
                                       edition.language)
                config_files.append(write_config(config, config_file))
            made = fingerprint(config_files, build.engine)
            if (root / "site" / routes.html(routes.HOME)).is_file() and stamped(stamp) == made:
                staging.rmdir()  # the pages, PDFs and settings are those of the current site
            else:
                stamp.unlink(missing_ok=True)
                with (build.progress.stage(f"Building the website ({build.engine})"),
                      writing_into(output)):
                    _run_engines(build.engine, config_files)
                    for code, folder in apart.items():
                        folder.replace(output / code)
                if output != staging:
                    staging.rmdir()
                    output.replace(staging)
        if made != stamped(stamp):
            stamp.write_text(made, encoding="utf-8")
