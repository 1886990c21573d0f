"""Reviews of translations by a qualified human translator.

US health-language rules (45 CFR 92.201(c)(3), Section 1557) ask that a qualified human
translator review a machine-assisted translation of text critical to rights, benefits or
access. Each language keeps its reviews beside its catalog, in ``locales/<code>/reviews.yml``
(an overlay's in its own ``locales/``): per message, who reviewed it, when, and a hash of the
exact English and translation approved, so that a later change to either voids the review.
``curriculum translate reviewed`` records them; every page and PDF that prints a translation
not reviewed says so in its language, and ``build --release`` refuses while a critical
message (``critical``) of an edition it publishes is not reviewed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from generator.core.errors import Problem
from generator.core.language import N_
from generator.core.models import Name, Strict
from generator.core.parse import parse
from generator.core.project import Project

REVIEWS = "reviews.yml"
"""In ``locales/<code>/``: the reviews of that language's translations."""
CRITICAL_ITEMS = ("agency:warmline.", "agency:crisis.", "chapter:rights-choices:",
                  "chapter:agreements-privacy:", "chapter:contacts-calm-card:",
                  "form:enrollment-agreement:")
"""Messages that matter for safety and rights: the crisis box's lines, rights and choices,
agreements and privacy, the calm-down card and the enrollment agreement."""
CRITICAL_WORDS = re.compile(r"988|911|crisis|emergenc|danger|suicid", re.IGNORECASE)
"""Template words that are critical too: the crisis block and the safety steps."""
NOTE = N_("This translation has not yet been reviewed by a qualified translator.")
"""What a page or PDF that prints a translation not reviewed says (in its language)."""


class Review(Strict):
    """One message reviewed by a qualified human translator."""

    message: str
    """The message: a text's address (``lesson:grounding:summary``), or a template word's
    English."""
    by: Name
    """Who reviewed it: name and qualification (at most 100 characters)."""
    reviewed_on: dt.date
    """The day of the review."""
    english: str
    """A hash of the English reviewed (``digest``): a changed English voids the review."""
    translation: str
    """A hash of the translation approved: a changed translation voids the review."""


class _Plain(yaml.SafeDumper):
    """Writes every value where it is used: no anchors and aliases (which the content
    reader refuses)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def digest(text: Any) -> str:
    """A short hash of a message's English or translation (each plural form in turn)."""
    joined = text if isinstance(text, str) else "\0".join(text)
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def critical(key: str) -> bool:
    """Whether a message (by address, or a word by its English) matters for safety and
    rights."""
    if ":" in key and key.split(":", 1)[0] in ("agency", "lesson", "form", "chapter"):
        return key.startswith(CRITICAL_ITEMS) or key.endswith(":safety.content_note")
    return bool(CRITICAL_WORDS.search(key))


def path(root: Path, code: str) -> Path:
    return root / "locales" / code / REVIEWS


def read(project: Project, code: str, problems: list[Problem]) -> dict[str, Review]:
    """Every review of the language's translations, the overlay's over upstream's; a file
    or an entry that cannot be used is a problem at its line."""
    found: dict[str, Review] = {}
    for layer in project.layers:
        file = path(layer, code)
        if not os.path.lexists(file):
            continue
        doc = parse(file, project.shown(file), "reviews", problems, project)
        if doc is None:
            continue
        entries = doc.data.get("reviews")
        if not isinstance(entries, list):
            problems.append(Problem(doc.path, doc.line(()), "reviews",
                                    "write `reviews:` with a list of reviews; "
                                    "`curriculum translate reviewed` writes them"))
            continue
        for index, entry in enumerate(entries):
            try:
                review = Review.model_validate(entry)
            except ValidationError as error:
                first = error.errors()[0]
                where = ".".join(str(part) for part in first["loc"])
                problems.append(Problem(doc.path, doc.line(("reviews", index)),
                                        f"reviews[{index}]{'.' + where if where else ''}",
                                        f"{first['msg']}; `curriculum translate reviewed` "
                                        "writes reviews as they must be"))
                continue
            found[review.message] = review
    return found


def reviewed(reviews: dict[str, Review], current: dict[str, tuple[Any, Any]]) -> set[str]:
    """The messages of ``current`` (key -> English, translation) whose review approved
    this English and this translation."""
    return {key for key, (english, translation) in current.items()
            if (review := reviews.get(key)) is not None
            and review.english == digest(english) and review.translation == digest(translation)}


def record(project: Project, code: str, keys: list[str], current: dict[str, tuple[Any, Any]],
           by: str, on: dt.date) -> Path:
    """Record reviews of ``keys`` (their English and translation as they are now) in the
    project's own reviews file (the overlay's, with one), keeping the others there."""
    own = path(project.overlay or project.root, code)
    problems: list[Problem] = []
    kept: dict[str, dict[str, Any]] = {}
    if os.path.lexists(own):
        doc = parse(own, project.shown(own), "reviews", problems, project)
        if doc is not None and isinstance(doc.data.get("reviews"), list):
            kept = {entry["message"]: entry for entry in doc.data["reviews"]
                    if isinstance(entry, dict) and isinstance(entry.get("message"), str)}
    if problems:
        from generator.core.errors import ContentError

        raise ContentError(problems)
    for key in keys:
        english, translation = current[key]
        kept[key] = {"message": key, "by": by, "reviewed_on": on, "english": digest(english),
                     "translation": digest(translation)}
    header = ("# Reviews of this language's translations by a qualified human translator,\n"
              "# written by `curriculum translate reviewed`. Each holds a hash of the English\n"
              "# and the translation approved: a later change to either voids it.\n")
    text = yaml.dump({"reviews": [kept[key] for key in sorted(kept)]}, Dumper=_Plain,
                     sort_keys=False, allow_unicode=True, width=100)
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_text(header + text, encoding="utf-8")
    return own
