"""What a switch of the site engine from MkDocs (with Material) to Zensical would change: the
real project (English and Spanish) built by both, its pages, files, links and search entries
compared. One build of each: the MkDocs site is the shared ``built`` fixture, and Zensical
builds the same project once here.

What must agree is asserted. What differs with Zensical 0.0.73 is asserted as a known
difference (the README lists them under "When Material's support ends"), so that a newer
Zensical that closes one shows here:

- search: the index is ``search.json`` (MkDocs: ``search/search_index.json``) and has no word
  pipeline: Spanish words are not stemmed, since Zensical ships no Lunr language support;
- search titles: a page's entry carries its navigation title, so the coaches' lesson plans
  are titled like the members' lessons ("Grounding techniques" instead of "Grounding
  techniques: lesson plan");
- no ``sitemap.xml.gz`` and no ``tags.json`` (the skill areas as data);
- the skill areas page has no anchor for each skill area (MkDocs: ``tags.html#tag:…``);
- the language selector's English entry leads to the English home page, not to the same
  page in English (``templates/site/overrides/partials/alternate.html`` gives it an empty
  link, which Zensical resolves to the home page);
- the "Skip to content" link leads to ``#__skip`` rather than the page's first heading.
"""

from __future__ import annotations

import json
import posixpath
import shutil
import sys
import urllib.parse
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import PROJECT, require

SEARCH_FILES = {"mkdocs": {"search/search_index.json", "search/search_index.js"},
                "zensical": {"search.json", "search.js"}}
"""Each engine's search index (and its copy as a script, for ``file://``), in each site."""
ONLY_MKDOCS = {"sitemap.xml.gz", "tags.json"}
"""Files of each site that Zensical does not write (known differences)."""
THEME_LINKS = ("md-select__link", "md-skip")
"""Link classes of the theme whose targets differ (known): the language selector and the
"Skip to content" link."""
SKILL_AREAS = "tags.html"
"""The skill areas page: MkDocs puts a permalink (``#tag:…``) beside each skill area's
heading there, Zensical none (known)."""


@pytest.fixture(scope="module")
def zensical(built, tmp_path_factory) -> Path:
    """The project of ``built`` (its PDFs reused) built again by Zensical; its ``site/``."""
    from generator.pipeline import build

    require(Path(sys.executable).with_name("zensical").is_file(),
            "Zensical is missing: pip install -e '.[test]'")
    project = tmp_path_factory.mktemp("zensical") / "project"
    shutil.copytree(built.parent, project,
                    ignore=lambda folder, names: ["site"] if folder == str(built.parent) else [])
    build(project, engine="zensical")
    return project / "site"


class _Links(HTMLParser):
    """A page's links (with their classes, and whether they are in the page's own text, its
    ``<article>``) and the ids its anchors may lead to."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, bool]] = []
        self.ids: set[str] = set()
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"])
        if tag == "article":
            self.depth += 1
        if tag == "a" and found.get("href") is not None:
            self.links.append((found["href"], found.get("class") or "", self.depth > 0))

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1


def _target(page: str, href: str) -> str | None:
    """Where a link of ``page`` leads in the site (``path#anchor``), None when it leaves it."""
    parts = urllib.parse.urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    path = urllib.parse.unquote(parts.path)
    if path.startswith("/"):  # the 404 page links from the site's root
        path = path.lstrip("/")
    elif path:
        path = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    else:
        path = page
    return path + (f"#{parts.fragment}" if parts.fragment else "")


def _pages(site: Path) -> dict[str, _Links]:
    """Every page of the site (both languages), read."""
    pages = {}
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if "assets/" not in relative:
            pages[relative] = _Links()
            pages[relative].feed(path.read_text(encoding="utf-8"))
    return pages


def _links(pages: dict[str, _Links], in_text: bool) -> dict[str, Counter[str]]:
    """Each page's links within the site, in its text or around it (the theme's navigation,
    tabs and header), leaving out the theme links known to differ."""
    return {page: Counter(target for href, classes, text in read.links
                          if text == in_text and not any(name in classes.split()
                                                         for name in THEME_LINKS)
                          and (target := _target(page, href)) is not None)
            for page, read in pages.items()}


def _files(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*")
            if path.is_file() and "assets/" not in path.relative_to(site).as_posix()}


def _each_site(names: set[str]) -> set[str]:
    return {prefix + name for name in names for prefix in ("", "es/")}


def test_zensical_builds_the_same_pages(zensical):
    from generator.core.content import load_catalog

    for lesson in load_catalog(PROJECT).lessons_in_order():
        for audience in ("coaches", "participants"):
            page = zensical / audience / "lessons" / f"{lesson.id}.html"
            assert page.is_file(), page
            assert lesson.title in page.read_text(encoding="utf-8")


def test_both_engines_write_the_same_pages_and_files(built, zensical):
    mkdocs_files, zensical_files = _files(built), _files(zensical)
    assert {page for page in mkdocs_files if page.endswith(".html")} \
        == {page for page in zensical_files if page.endswith(".html")}
    assert len([page for page in zensical_files if page.startswith("es/")]) > 10
    assert any(page.endswith(".pdf") for page in zensical_files)
    assert mkdocs_files - zensical_files \
        == _each_site(SEARCH_FILES["mkdocs"]) | _each_site(ONLY_MKDOCS)
    assert zensical_files - mkdocs_files <= _each_site(SEARCH_FILES["zensical"])


def test_the_pages_link_to_the_same_places(built, zensical):
    mkdocs_pages, zensical_pages = _pages(built), _pages(zensical)
    for in_text in (True, False):
        mkdocs_links = _links(mkdocs_pages, in_text)
        zensical_links = _links(zensical_pages, in_text)
        assert sum(map(len, mkdocs_links.values())) > 1000
        for page, links in mkdocs_links.items():
            known = Counter({target: count for target, count in links.items()
                             if in_text and page == SKILL_AREAS
                             and target.startswith(SKILL_AREAS + "#tag:")})
            assert links - known == zensical_links[page], (page, in_text)
    assert any(target.startswith(SKILL_AREAS + "#tag:")
               for target in _links(mkdocs_pages, True)[SKILL_AREAS])


def test_every_link_of_the_zensical_site_leads_somewhere(zensical):
    pages = _pages(zensical)
    broken = []
    for page, read in pages.items():
        for href, _, _ in read.links:
            target = _target(page, href)
            if target is None:
                continue
            path, _, anchor = target.partition("#")
            if (zensical / path).is_dir():
                path = posixpath.join(path, "index.html")
            if not (zensical / path).is_file() or (anchor and path in pages
                                                    and anchor not in pages[path].ids):
                broken.append(f"{page}: {href}")
    assert not broken, broken


@pytest.mark.parametrize("language", ["", "es/"])
def test_search_finds_the_same_pages_and_sections(built, zensical, language):
    mkdocs = json.loads((built / language / "search" / "search_index.json").read_text())
    zensical_index = json.loads((zensical / language / "search.json").read_text())
    mkdocs_titles = {entry["location"]: entry["title"] for entry in mkdocs["docs"]}
    zensical_titles = {entry["location"]: entry["title"] for entry in zensical_index["items"]}
    assert mkdocs_titles.keys() == zensical_titles.keys()
    assert len(mkdocs_titles) > 300
    assert mkdocs["config"]["lang"] == zensical_index["config"]["lang"]
    for location, title in mkdocs_titles.items():
        if zensical_titles[location] != title:  # known: the navigation's title of a page
            assert "#" not in location and title.startswith(zensical_titles[location] + ":"), \
                (location, title, zensical_titles[location])
