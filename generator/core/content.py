"""Reading the content: load every file (and the overlay's) in a language, then apply the
rules across files, into the catalog the builders read."""

from __future__ import annotations

from pathlib import Path

from generator.core.catalog import Catalog
from generator.core import writing
from generator.core.check import check
from generator.core.errors import ContentError
from generator.core.language import ENGLISH, Language
from generator.core.load import load
from generator.core.project import Project


def load_catalog(root: Path | Project, drafts: bool = False,
                 language: Language = ENGLISH, rules: bool = True) -> Catalog:
    """Load and check all content (and the overlay's) in a language; raise ContentError
    listing every problem. Draft lessons are left out unless ``drafts``. With ``rules`` (and
    in English, the language the content is written in), the writing guide's rules too
    (``writing``); an earlier edition read to compare with is read without them."""
    project = root if isinstance(root, Project) else Project(root)
    loaded = load(project, language)
    if rules and language.source:
        found = writing.problems(loaded.documents, {item.doc.path for item in loaded.items})
        loaded.problems.extend(p for p in found if p.severity == "error")
        loaded.warnings.extend(p for p in found if p.severity == "warning")
    catalog = check(loaded, project, drafts)
    if catalog is None:
        raise ContentError(loaded.problems)
    return catalog
