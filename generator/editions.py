"""Stages 4-5 for each translated edition: a language with a catalog in ``locales/`` gets
its member pages and member PDFs, through the same templates as English. A PDF is made only
when every text and word it prints is translated and current; the others wait, and the
build says what holds each back.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.builders import pdf, pages as render
from generator.core import schedule, translate
from generator.core.catalog import Catalog
from generator.core.content import load_catalog
from generator.core.errors import ContentError, Problem
from generator.core.markup import active_pages
from generator.core.language import Language
from generator.core.project import Project


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
                                 f"{code}`, translate them, and build again",
                                 severity="warning"))
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


def edition_pages(project: Project, edition: Edition,
                  downloads: list[pdf.Download]) -> dict[str, str]:
    """The pages of a translated edition, with the sample-edition mark where it applies;
    raises ContentError for broken templates."""
    env = render.environment(project.template_dirs("site"), project.shown, edition.language)
    pages = render.member_pages(edition.catalog, env, downloads,
                                schedule.sessions(edition.catalog), edition.waiting,
                                edition.language.behind)
    env.raise_problems()
    active = active_pages(pages)
    if active:
        raise ContentError(active)
    return render.sample_marked(pages, env) if edition.catalog.sample else pages
