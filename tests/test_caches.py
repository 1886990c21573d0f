"""What the build keeps from one use to the next serves only the same input: an edited
template, text or file is read, compiled and rendered afresh, and what is kept for one
environment or language is not served to another."""

from __future__ import annotations

from pathlib import Path

from jinja2 import select_autoescape

from generator.builders.templating import Templates
from generator.core import placeholders
from generator.core.language import ENGLISH
from generator.core.parse import Document, parse


def _template(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_an_edited_template_is_compiled_afresh(tmp_path: Path) -> None:
    folder = tmp_path / "templates" / "site"
    _template(folder, "page.md.j2", "first {{ value }}\n")
    assert Templates([folder], str, ENGLISH).page("page.md.j2", {"value": 1}) == "first 1"
    _template(folder, "page.md.j2", "second {{ value }}\n")
    assert Templates([folder], str, ENGLISH).page("page.md.j2", {"value": 1}) == "second 1"


def test_a_template_compiled_for_html_is_not_served_to_markdown(tmp_path: Path) -> None:
    folder = tmp_path / "templates" / "print"
    _template(folder, "page.html.j2", "{{ '<b>' }} {{ value }}")
    html = Templates([folder], str, ENGLISH, autoescape=select_autoescape(["html", "j2"]))
    markdown = Templates([folder], str, ENGLISH, autoescape=False)
    assert html.page("page.html.j2", {"value": "<i>"}) == "&lt;b&gt; &lt;i&gt;"
    assert markdown.page("page.html.j2", {"value": "<i>"}) == "<b> <i>"


def test_a_template_needing_a_filter_fails_where_it_is_missing(tmp_path: Path) -> None:
    folder = tmp_path / "templates" / "site"
    _template(folder, "page.md.j2", "{{ value | shout }}")
    with_filter = Templates([folder], str, ENGLISH)
    with_filter.filters["shout"] = str.upper
    assert with_filter.page("page.md.j2", {"value": "hi"}) == "HI"
    without = Templates([folder], str, ENGLISH)
    assert without.page("page.md.j2", {"value": "hi"}) == ""
    assert "No filter named 'shout'" in without.problems[0].message


def test_a_placeholder_text_is_filled_with_each_agency_s_values() -> None:
    def filled(known: dict[str, str]) -> str:
        doc = Document("content/lessons/a.yml", "lesson", {"summary": "Ask {{ coach }}."})
        placeholders.fill(doc, known, [])
        return doc.data["summary"]

    assert filled({"coach": "Ana"}) == "Ask Ana."
    assert filled({"coach": "Ben"}) == "Ask Ben."


def test_a_content_file_is_read_afresh_when_it_changes_and_each_reading_is_its_own(
        tmp_path: Path) -> None:
    path = tmp_path / "content" / "forms" / "a.yml"
    path.parent.mkdir(parents=True)
    path.write_text("id: a\ntitle: First\n", encoding="utf-8")
    first = parse(path, "content/forms/a.yml", "form", [])
    first.data["title"] = "Changed in place, as localizing does"
    assert parse(path, "content/forms/a.yml", "form", []).data["title"] == "First"
    path.write_text("id: a\n\ntitle: Second\n", encoding="utf-8")
    again = parse(path, "content/forms/a.yml", "form", [])
    assert again.data["title"] == "Second" and again.line(("title",)) == 3
    path.write_text("id: a\ntitle: Second\ntitle: Third\n", encoding="utf-8")
    for _ in range(2):  # the problems of a file are reported each time it is read
        problems: list = []
        assert parse(path, "content/forms/a.yml", "form", problems).data["title"] == "Third"
        assert [problem.line for problem in problems] == [3]
