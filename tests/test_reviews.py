"""Reviewed translations: each message records whether a qualified human translator
reviewed it, bound to the exact English and translation approved; every page and PDF that
prints an unreviewed translation says so in its language; a release refuses while a
critical message of an edition it publishes is unreviewed."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from conftest import pdf_pages
from generator.builders.context import editions
from generator.core.project import Project
from generator.core.translate import catalog_path
from test_spanish import _spanish

NOTE_ES = "Esta traducción todavía no ha sido revisada por un traductor calificado."
REVIEWER = "Ana Pérez, certified medical translator"


def _handout(edition, lesson: str) -> str:
    return next(job.html for job in edition.jobs if job.target == f"es/handouts/{lesson}.pdf")


def test_the_shipped_spanish_says_on_its_pages_and_pdfs_that_it_is_not_reviewed(built, cli):
    page = (built / "es" / "participants" / "lessons" / "boundaries.html").read_text()
    assert "unreviewed-note" in page and NOTE_ES in page
    assert "unreviewed-note" not in (built / "participants" / "lessons" /
                                     "boundaries.html").read_text()
    text = " ".join(" ".join(pdf_pages(built / "downloads" / "es" / "handouts" /
                                       "boundaries.pdf")).split())
    assert NOTE_ES in text
    english = " ".join(pdf_pages(built / "downloads" / "handouts" / "boundaries.pdf"))
    assert "qualified translator" not in english


def test_status_counts_unreviewed_and_critical_messages(spanish, cli):
    result = cli(spanish, "translate", "status", "es")
    assert re.search(r"^agency\s+\d+\s+0\s+0\s+\d+ \(\d+ critical\)$", result.stdout, re.M), \
        result.stdout
    assert re.search(r"^es: \d+ current translations not yet reviewed by a qualified "
                     r"translator \(\d+ of them critical for safety and rights\)", result.stdout,
                     re.M), result.stdout


def test_recording_reviews_removes_the_note_where_every_text_is_reviewed(spanish, cli):
    project = Project(spanish)
    result = cli(spanish, "translate", "reviewed", "es", "templates", "agency",
                 "lesson:boundaries", "--by", REVIEWER, "--on", "2027-01-05")
    assert result.exit_code == 0, result.output
    assert re.match(r"Recorded \d+ reviewed translations in .*locales/es/reviews\.yml",
                    result.stdout)
    reviews = (spanish / "locales" / "es" / "reviews.yml").read_text(encoding="utf-8")
    assert "message: lesson:boundaries:summary" in reviews and REVIEWER in reviews
    edition = _spanish(project)
    assert "unreviewed-note" not in edition.pages["participants/lessons/boundaries.md"]
    assert "unreviewed-note" in edition.pages["participants/lessons/grounding.md"]
    assert "class=\"unreviewed-mark\"" not in _handout(edition, "boundaries")
    assert "class=\"unreviewed-mark\"" in _handout(edition, "grounding")
    status = cli(spanish, "translate", "status", "es").stdout
    assert re.search(r"^lesson:boundaries\s+\d+\s+0\s+0\s+0$", status, re.M), status

    # a later change to the translation voids its review: the note is back
    path = catalog_path(spanish, "es")
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="es")
    for message in catalog:
        if message.context == "lesson:boundaries:summary":
            message.string = message.string + " Usted decide."
    with path.open("wb") as handle:
        write_po(handle, catalog)
    edition = _spanish(project)
    assert "unreviewed-note" in edition.pages["participants/lessons/boundaries.md"]


def test_a_release_refuses_unreviewed_critical_spanish_unless_it_publishes_english_only(
        spanish):
    def release_problems(project: Path) -> list[str]:
        return [str(problem) for problem in editions(Project(project))[0].catalog.release_problems]

    found = [line for line in release_problems(spanish) if "reviews" in line]
    assert len(found) == 1, found
    assert found[0].startswith("locales/es/reviews.yml: reviews: the Spanish edition prints ")
    assert "critical for safety and rights that no qualified translator has reviewed" in found[0]
    assert "agency:coaches[0].hours" not in found[0]  # a coach's hours is not critical

    agency = spanish / "content" / "agency.yml"
    settings = agency.read_text(encoding="utf-8")
    [line] = [line for line in settings.splitlines() if line.startswith("languages:")]
    agency.write_text(settings.replace(line, "languages: []"), encoding="utf-8")
    found = editions(Project(spanish))
    assert [edition.language.code for edition in found] == ["en"]  # English only
    assert not [line for line in release_problems(spanish) if "reviews" in line]


def test_a_broken_reviews_file_is_a_warning_at_its_line_and_counts_no_review(spanish, cli):
    reviews = spanish / "locales" / "es" / "reviews.yml"
    reviews.write_text("reviews:\n  - message: agency:warmline.hours\n    by: Someone\n"
                       "    reviewed_on: not a date\n    english: x\n    translation: y\n",
                       encoding="utf-8")
    result = cli(spanish, "check")
    assert result.exit_code == 0, result.output
    assert re.search(r"^locales/es/reviews\.yml:2: reviews\[0\]\.reviewed_on: warning: .*; "
                     r"`curriculum translate reviewed` writes reviews as they must be; until "
                     "then its reviews are not counted", result.stderr, re.M), result.stderr
    assert "Traceback" not in result.output
