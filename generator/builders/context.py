"""What every builder is given: one context per edition (its catalog, language, audience and
routes), and the build they share (where they write, and what each has made for the next).

A builder makes one kind of output (PDFs, the calendar file, the site's pages, the website)
in two steps: ``prepare`` renders an edition's artifacts in memory and raises ContentError
for what is wrong, writing nothing; ``write`` writes what was prepared for every edition.
``check`` prepares and never writes; ``build`` prepares, then writes, builder after builder,
in the order of the registry (``generator.builders.registry``), so that a builder can use
what an earlier one wrote (the site's downloads page lists the PDFs with their page counts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

from generator.builders.routes import Audience, Routes
from generator.core.catalog import Catalog
from generator.core.errors import Problem
from generator.core import translate
from generator.core.content import load_catalog
from generator.core.language import ENGLISH, Language
from generator.core.progress import Progress
from generator.core.project import Project
from generator.core.schedule import Session, sessions
from generator.core.write import BUILD_DIR


@dataclass(frozen=True)
class Context:
    """One edition as the builders see it."""

    project: Project
    """Where the content, templates and assets come from."""
    catalog: Catalog
    """The edition's content, with every current translation in place."""
    language: Language
    """The edition's language, with what is still in English (``behind``)."""
    audience: Audience
    """Who its site is for: everyone (the English edition) or members (a translation)."""

    @property
    def routes(self) -> Routes:
        """Where the edition's pages and PDFs live."""
        return Routes(self.language.code)

    @cached_property
    def dated(self) -> list[Session]:
        """The program's sessions of the year, with their dates where the agency has a
        start date."""
        return sessions(self.catalog)

    @property
    def source(self) -> bool:
        """Whether this is the edition in the language the content is written in."""
        return self.language.source




@dataclass
class Build:
    """One run of the builders over every edition: where they write, and what each has
    made that a later one uses."""

    project: Project
    """The project being built (its ``root`` holds ``build/`` and ``site/``)."""
    progress: Progress = field(default_factory=Progress)
    """Where stages and steps are reported."""
    engine: str = "mkdocs"
    """The site engine: "mkdocs" or "zensical"."""
    writing: bool = False
    """Whether this run writes (a build) or only prepares (``check``)."""
    editions: list[Context] = field(default_factory=list)
    """Every edition being built, the English one first."""
    prepared: dict[str, list[tuple[Context, Any]]] = field(default_factory=dict)
    """What each builder prepared for every edition, by the builder's name (the print
    pages, the site's pages), for the later builders."""
    made: dict[str, Any] = field(default_factory=dict)
    """What each builder wrote that a later one uses, by the builder's name: the PDF
    builder's downloads (with their page counts)."""
    warnings: list[Problem] = field(default_factory=list)
    """Warnings found on the way (a translated PDF held back, an old site that could not
    be removed); none stops the build unless it is strict."""

    @property
    def folder(self) -> Path:
        """``build/`` in the project."""
        return self.project.root / BUILD_DIR

    def docs(self, edition: Context) -> Path:
        """The folder of an edition's generated pages, which its site engine reads."""
        return self.folder / ("docs" if edition.source else f"docs-{edition.language.code}")


class Builder(Protocol):
    """One kind of output, made for every edition."""

    name: str
    """Its name, under which later builders find what it made (``Build.made``)."""
    preparing: str | None
    """The stage shown while it prepares, if it takes long enough to show."""
    writing: str | None
    """The stage shown while it writes."""
    needs: tuple[str, ...]
    """The builders whose written output it prepares from (the site's pages list the
    written PDFs); in a build it is prepared after they wrote, in a check with nothing
    written."""

    def prepare(self, edition: Context, build: Build) -> Any:
        """The edition's artifacts, rendered in memory; raises ContentError listing every
        problem. Writes nothing."""

    def write(self, prepared: list[tuple[Context, Any]], build: Build) -> None:
        """Write what was prepared for every edition (unchanged files are left as they
        are), and keep in ``build.made`` what later builders need."""


def prepared(build: Build, name: str, edition: Context) -> Any:
    """What builder ``name`` prepared for ``edition`` (None if it made nothing for it)."""
    return next((made for made_for, made in build.prepared.get(name, [])
                 if made_for.language.code == edition.language.code), None)


def editions(project: Project, drafts: bool = False) -> list[Context]:
    """Every edition of the project: the English one (for everyone), then each language
    with a catalog in ``locales/`` (its member pages and PDFs), with the translations that
    cannot be used added to the English catalog's warnings; raises ContentError listing
    every problem of the content or of a catalog that cannot be read. Draft lessons are
    left out unless ``drafts``."""
    english = Context(project, load_catalog(project, drafts), ENGLISH, "everyone")
    found = [english]
    published = english.catalog.agency.languages
    for code in translate.languages(project):
        if published is not None and code not in published:
            continue  # the agency does not publish this edition
        language = translate.load_language(project, code)
        catalog = load_catalog(project, drafts, language)
        found.append(Context(project, catalog, language, "members"))
        english.catalog.warnings.extend(language.problems)
        in_english, release = translate.agency_behind(catalog, language, project)
        english.catalog.warnings.extend(in_english)
        english.catalog.untranslated.extend(release)
        english.catalog.untranslated.extend(translate.unreviewed_critical(language, project))
    return found
