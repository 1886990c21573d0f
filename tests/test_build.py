"""`curriculum build` on the real content: pages for both audiences, search (Zensical's build
of the same content: ``test_zensical.py``)."""

from __future__ import annotations

import html as html_module
import json
import re
from pathlib import Path

import pytest

from conftest import PROJECT, shipped_catalog
from generator.core.readability import plain_text

COACH_ONLY = ("facilitator_script", "adaptations", "common_challenges", "sources")


def _lessons():
    """Each lesson as data, with the agency's values filled in as the pages show them."""
    return [lesson.model_dump() for lesson in shipped_catalog().lessons_in_order()]


def _text(html_path: Path) -> str:
    html = html_path.read_text(encoding="utf-8")
    article = html.split('<article class="md-content__inner md-typeset">', 1)[1]
    text = re.sub(r"<[^>]+>", " ", article.split("</article>", 1)[0])
    return " ".join(html_module.unescape(text).split())


def _probe(markdown_text: str, words: int = 5) -> str:
    """The first words of a Markdown text as a reader sees them."""
    return " ".join(plain_text(markdown_text).split()[:words])


def test_home_and_sections_exist(built):
    for page in ("index.html", "coaches/index.html", "coaches/year-plan.html",
                 "participants/index.html", "downloads.html", "tags.html",
                 "coaches/sessions/standard-session.html"):
        assert (built / page).is_file(), page


@pytest.mark.parametrize("lesson", list(_lessons()), ids=lambda lesson: lesson["id"])
def test_lesson_pages_for_both_audiences(built, lesson):
    coach = _text(built / "coaches" / "lessons" / f"{lesson['id']}.html")
    member = _text(built / "participants" / "lessons" / f"{lesson['id']}.html")
    assert lesson["title"] in coach and lesson["title"] in member
    assert _probe(lesson["skill_steps"][0], 3) in member
    # Coach-only text (script, adaptations, challenges, sources) is on the coach page and
    # nowhere on the member's page. Sentences a writer repeated in the handout are shared
    # on purpose, so they are not used as probes.
    from generator.core.models import Lesson
    from generator.builders.pages import participant_view

    shared = plain_text(json.dumps(participant_view(Lesson.model_validate(lesson))))
    shared += _text(built / "participants" / "index.html")  # the crisis box, on every page
    candidates = [*lesson["facilitator_script"]["talking_points"],
                  *(c["response"] for c in lesson["common_challenges"]),
                  *lesson["adaptations"].values(),
                  *(s["used_for"] for s in lesson["sources"])]
    probes = [_probe(text, 8) for text in candidates if _probe(text, 8) not in shared]
    assert len(probes) >= 5
    for probe in probes:
        assert probe in coach
        assert probe not in member


@pytest.mark.parametrize("lesson", list(_lessons()), ids=lambda lesson: lesson["id"])
def test_search_index_finds_lessons_by_title_and_text(built, lesson):
    index = json.loads((built / "search" / "search_index.json").read_text())
    docs = index["docs"]
    titled = [doc["location"] for doc in docs if lesson["title"] in doc["title"]]
    assert f"coaches/lessons/{lesson['id']}.html" in titled
    assert f"participants/lessons/{lesson['id']}.html" in titled
    word = max(re.findall(r"[A-Za-z]+", lesson["handout"]["worked_example"]["title"]), key=len)
    assert any(word in doc["text"] for doc in docs if lesson["id"] in doc["location"])


def test_site_works_offline_without_third_parties(built):
    for page in built.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for url in re.findall(r'(?:src|href)="(https?:[^"]+)"', html):
            assert "<link" not in url
        scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
        assert all(not src.startswith(("http:", "https:", "//")) for src in scripts), page
        styles = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html)
        assert all(not href.startswith(("http:", "https:", "//")) for href in styles), page
        assert "fonts.googleapis" not in html and "unpkg.com" not in html, page
    assert (built / "assets" / "javascripts" / "iframe-worker-shim.js").is_file()
    # the offline plugin inlines the search index for file:// use
    assert (built / "search" / "search_index.js").is_file()


def test_lessons_are_tagged_by_skill_area(built):
    tags = _text(built / "tags.html")
    for lesson in _lessons():
        assert lesson["skill_area"] in tags


def test_agency_settings_reach_the_pages(built):
    import yaml

    agency = yaml.safe_load((PROJECT / "content" / "agency.yml").read_text())
    home = _text(built / "index.html")
    assert agency["agency_name"] in home
    # the shipped warm line's number is fictional: its name prints, with a line to write on
    assert f"{agency['warmline']['name']}: ____" in home
    assert agency["warmline"]["phone"] not in home
    assert "988" in home and "911" in home
    overview = _text(built / "coaches" / "index.html")
    assert f"${agency['budget']['amount']} a month" in overview

