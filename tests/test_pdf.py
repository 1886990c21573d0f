"""The printed outputs, checked as a reader and a PDF tool would see them."""

from __future__ import annotations

import re
import subprocess

import pytest
from pypdf import PdfReader

from conftest import pdf_pages, pdf_reader, require_tool, sample, shipped_catalog

CATALOG = shipped_catalog()


def _reader(built, name):
    return pdf_reader(built / "downloads" / name)


def _outline_titles(reader):
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append((item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline)
    return titles


def test_every_pdf_is_there(built):
    downloads = built / "downloads"
    expected = {"participant-handbook.pdf", "participant-handbook-large-print.pdf",
                "coach-manual.pdf"}
    expected |= {f"handouts/{lesson}.pdf" for lesson in CATALOG.lessons}
    expected |= {f"forms/{form}.pdf" for form in CATALOG.forms}
    expected |= {f"agendas/{number}.pdf"
                 for number in range(1, len(CATALOG.program.year_plans.every_two_weeks) + 1)}
    # the Spanish edition: the member PDFs (tests/test_spanish.py reads them)
    expected |= {f"es/{target}" for target in expected
                 if target.startswith(("participant-", "handouts/"))}
    expected |= {f"es/forms/{form.id}.pdf" for form in CATALOG.forms.values()
                 if form.audience == "participant"}
    found = {path.relative_to(downloads).as_posix() for path in downloads.rglob("*.pdf")}
    assert found == expected


@pytest.mark.parametrize("name, low, high", [("participant-handbook.pdf", 40, 250),
                                             ("coach-manual.pdf", 120, 600)])
def test_handbooks_have_a_sane_length(built, name, low, high):
    assert low <= len(_reader(built, name).pages) <= high


def test_large_print_is_18_point(built):
    sizes = {}
    for name in ("participant-handbook.pdf", "participant-handbook-large-print.pdf"):
        page = _reader(built, name).pages[5]
        found = []
        page.extract_text(visitor_text=lambda text, cm, tm, font, size: found.append(
            round(size * (tm[3] or 1) * (cm[3] or 1), 1)) if text.strip() else None)
        sizes[name] = max(set(found), key=found.count)  # the body size
    assert sizes["participant-handbook.pdf"] >= 12
    assert sizes["participant-handbook-large-print.pdf"] == pytest.approx(18, abs=0.5)


@pytest.mark.parametrize("name", ["participant-handbook.pdf", "coach-manual.pdf"])
def test_contents_and_bookmarks_list_every_lesson_at_its_page(built, name):
    reader = _reader(built, name)
    outline = dict(_outline_titles(reader))
    contents = " ".join(reader.pages[i].extract_text() for i in range(1, 6))
    for lesson in CATALOG.lessons.values():
        title = lesson.title if "handbook" in name else f"{lesson.title}: lesson plan"
        assert title in outline, f"{title} is not bookmarked"
        start = outline[title]
        assert lesson.title in reader.pages[start - 1].extract_text()
        listed = re.search(re.escape(lesson.title) + r"[ .]*?(\d+)\s", contents)
        assert listed, f"{lesson.title} is not in the contents"
        printed = reader.page_labels[start - 1]  # the number that page prints
        assert listed[1] == printed, f"{lesson.title}: contents say {listed[1]}, starts {printed}"


def test_cover_has_agency_and_edition_and_no_page_number(built):
    cover = _reader(built, "participant-handbook.pdf").pages[0].extract_text()
    assert CATALOG.agency.agency_name in cover
    assert CATALOG.program.edition in cover
    assert not re.search(r"^\s*1\s*$", cover, re.MULTILINE)
    second = _reader(built, "participant-handbook.pdf").pages[1].extract_text()
    assert "988" in second  # the crisis box inside the cover


def test_metadata_and_tags(built):
    for name in ("participant-handbook.pdf", "forms/spending-plan.pdf",
                 "handouts/grounding.pdf"):
        reader = _reader(built, name)
        assert reader.metadata.title and reader.metadata.author == CATALOG.agency.agency_name
        root = reader.trailer["/Root"]
        assert root["/Lang"] == "en"
        assert "/StructTreeRoot" in root
        assert root["/MarkInfo"]["/Marked"]


def _field_names(reader):
    """The names of the form's fields as a PDF reader lists them (radio groups once)."""
    return {str(field.get_object()["/T"])
            for field in reader.trailer["/Root"]["/AcroForm"]["/Fields"]}


def _expected_fields(form, prefix=""):
    names = set()
    for section in form.sections:
        for field in section.fields:
            if field.type == "table":
                for row in range(1, (field.rows or 5) + 1):
                    names |= {f"{prefix}{field.id}.r{row}.{column.id}" for column in field.columns}
            else:
                names.add(prefix + field.id)
    return names


@pytest.mark.parametrize("form_id", sorted(CATALOG.forms))
def test_form_pdfs_are_fillable_with_their_field_ids(built, form_id):
    form = CATALOG.forms[form_id]
    if not _expected_fields(form):
        assert "/AcroForm" not in _reader(built, f"forms/{form_id}.pdf").trailer["/Root"]
        return
    assert _field_names(_reader(built, f"forms/{form_id}.pdf")) == _expected_fields(form)


def test_handbook_forms_are_fillable_with_unique_names(built):
    fields = _field_names(_reader(built, "participant-handbook.pdf"))
    for form in CATALOG.forms.values():
        if form.audience == "participant":
            assert _expected_fields(form, f"{form.id}.") <= fields


def test_coach_only_text_stays_out_of_the_participant_handbook(built):
    def text(name):  # poppler reads a 300-page manual in a second, pypdf in half a minute
        return " ".join(" ".join(page.split())
                        for page in pdf_pages(built / "downloads" / name))

    member, coach = text("participant-handbook.pdf"), text("coach-manual.pdf")
    lesson = CATALOG.lessons["grounding"]
    for coach_only in (lesson.adaptations.virtual, lesson.common_challenges[0].response,
                       "Master copies of all forms"):
        probe = " ".join(coach_only.split()[:7])
        assert probe in coach
        assert probe not in member
    assert lesson.handout.worked_example.title in member


def test_a_form_pdf_can_be_filled_in(built, tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=built / "downloads" / "forms" / "weekly-journal.pdf")
    writer.update_page_form_field_values(None, {"went-well": "A walk with Sam"},
                                         auto_regenerate=False)
    filled = tmp_path / "filled.pdf"
    writer.write(filled)
    assert PdfReader(filled).get_fields()["went-well"]["/V"] == "A walk with Sam"


def test_downloads_page_lists_every_pdf_with_size_and_pages(built):
    html = (built / "downloads.html").read_text(encoding="utf-8")
    spanish = (built / "es" / "downloads.html").read_text(encoding="utf-8")
    for path in (built / "downloads").rglob("*.pdf"):
        relative = path.relative_to(built).as_posix()
        if relative.startswith("downloads/es/"):  # on the Spanish downloads page
            assert f'href="../{relative}"' in spanish and relative not in html, relative
        else:
            assert f'href="{relative}"' in html, relative
    assert re.search(r"<td>\d+&nbsp;pages?<br>(Letter|A4)</td>", html)
    assert re.search(r"<td>\d+&nbsp;páginas?<br>(Carta|A4)</td>", spanish)
    lesson = (built / "participants" / "lessons" / "grounding.html").read_text()
    assert 'href="../../downloads/handouts/grounding.pdf"' in lesson
    lesson = (built / "es" / "participants" / "lessons" / "grounding.html").read_text()
    assert 'href="../../../downloads/es/handouts/grounding.pdf"' in lesson


def test_a4_paper_comes_from_the_agency_settings(built_sample_a4):
    """The sample project with ``paper_size: a4`` added, built with the CLI (conftest.py)."""
    site = built_sample_a4 / "site"
    box = PdfReader(site / "downloads" / "forms" / "sample-form.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_pages_render_as_images(built, tmp_path):
    """What a reviewer looks at: the cover and a form page render without errors."""
    require_tool("pdftoppm", "poppler-utils")
    for name in ("participant-handbook.pdf", "forms/enrollment-agreement.pdf"):
        out = tmp_path / name.replace("/", "-")
        result = subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "2",
                                 str(built / "downloads" / name), str(out)],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("html", [
    '<img src="file:///etc/passwd" alt="x">',
    '<a rel="attachment" href="file:///etc/hostname">notes</a>',
    '<link rel="attachment" href="/etc/hostname">',
    '<img src="https://example.org/tracker.png" alt="x">',
])
def test_pdf_renderer_reads_nothing_outside_the_project(tmp_path, html):
    """Defence in depth behind the content checks (WeasyPrint advisory GHSA-35jj-wx47-4w8r)."""
    from generator.builders.pdf import _write_one
    from generator.core.project import Project

    target = tmp_path / "out.pdf"
    page = f"<!DOCTYPE html><html lang='en'><head><title>t</title></head><body>{html}</body></html>"
    problem = _write_one((page, str(target), "out.pdf", Project(tmp_path),
                          str(tmp_path / "stamp"), "x"))
    assert problem is not None and problem.path == "downloads/out.pdf"
    assert "FatalURLFetchingError: refused to" in problem.message
    assert not target.exists() and not list(tmp_path.glob("*.partial"))


def test_agency_logo_prints_on_the_cover(tmp_path, cli, warm):
    import base64

    project = warm(sample(tmp_path, "valid-minimal"))
    (project / "assets").mkdir()
    (project / "assets" / "logo.png").write_bytes(base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="))
    agency = project / "content" / "agency.yml"
    agency.write_text(agency.read_text() + "logo: assets/logo.png\nlogo_alt: Sample Agency logo\n")
    assert cli(project, "build").exit_code == 0
    cover = PdfReader(project / "site" / "downloads" / "participant-handbook.pdf").pages[0]
    assert cover["/Resources"]["/XObject"], "no image on the cover"


@pytest.mark.parametrize("logo, message", [
    ("/etc/hostname", "the image '/etc/hostname' points outside the project"),
    ("assets/our-logo.png", "the logo 'assets/our-logo.png' is not there (looked for "
                            "assets/our-logo.png); put the image there or correct the path"),
])
def test_a_logo_outside_the_project_or_missing_is_refused(tmp_path, cli, logo, message):
    project = sample(tmp_path, "valid-minimal")
    agency = project / "content" / "agency.yml"
    agency.write_text(agency.read_text() + f"logo: {logo}\nlogo_alt: Logo\n")
    result = cli(project, "check")
    assert result.exit_code == 1
    line = agency.read_text().splitlines().index(f"logo: {logo}") + 1
    assert result.stderr.startswith(f"content/agency.yml:{line}: logo: {message}")


def test_each_handbook_has_its_own_title(built):
    titles = {name: _reader(built, name).metadata.title
              for name in ("participant-handbook.pdf", "participant-handbook-large-print.pdf",
                           "coach-manual.pdf")}
    assert len(set(titles.values())) == 3, titles
    assert "large print" in titles["participant-handbook-large-print.pdf"]


@pytest.mark.parametrize("name", ["participant-handbook.pdf",
                                  "participant-handbook-large-print.pdf", "coach-manual.pdf"])
def test_a_book_printed_in_parts_reads_as_one_document(built, name):
    """The books are printed a part at a time and bound (generator/builders/book.py): a
    reader sees one document, its pages numbered through, its contents linked to the right
    pages, its bookmarks nested, one structure tree and each font once."""
    import pikepdf

    path = built / "downloads" / name
    reader = _reader(built, name)
    labels = reader.page_labels  # what a PDF reader calls each page
    front = labels.index("1")
    assert front >= 2 and labels[:front] == ["i", "ii", "iii", "iv", "v", "vi"][:front]
    assert labels[front:] == [str(number) for number in range(1, len(labels) - front + 1)]
    for index, page in enumerate(pdf_pages(path)[1:], 1):  # the cover shows no number
        words = page.split()  # the number is the last word of the footer
        assert words[-1] == labels[index], f"page {index + 1} does not show {labels[index]}"
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
        names = pdf.Root.Names.Dests.Names
        destinations = {str(names[i]): pages[names[i + 1][0].objgen]
                        for i in range(0, len(names), 2)}
        links = list(dict.fromkeys(  # a link of the contents is a box or two per line
            str(annotation.Dest) for page in pdf.pages[:6]
            for annotation in page.obj.get("/Annots", []) if "/Dest" in annotation))
        assert len(links) >= len(CATALOG.lessons)
        contents = " ".join(reader.pages[i].extract_text() for i in range(1, 6))
        listed = [int(number) for number in re.findall(r"\.{3,}\s*(\d+)", contents)]
        assert listed == [int(labels[destinations[link]]) for link in links]
        structure = pdf.Root.StructTreeRoot
        assert len(structure.K) == 1 and structure.K[0].S == "/Document"
        tree = structure.ParentTree.Nums
        keys = [int(tree[i]) for i in range(0, len(tree), 2)]
        assert len(keys) == len(set(keys)) and keys == sorted(keys)
        assert int(structure.ParentTreeNextKey) > max(keys)
        assert {int(page.obj.StructParents) for page in pdf.pages} <= set(keys)
        copies: dict[bytes, set[tuple[int, int]]] = {}
        for found in pdf.objects:
            if (isinstance(found, pikepdf.Dictionary)
                    and found.get("/Type") == "/FontDescriptor" and "/FontFile2" in found):
                copies.setdefault(found.FontFile2.read_raw_bytes(), set()).add(
                    found.FontFile2.objgen)
        assert copies and all(len(objects) == 1 for objects in copies.values())
    outline = reader.outline
    part = "Skill handouts" if "handbook" in name else "Lesson plans"
    at = next(index for index, item in enumerate(outline)
              if not isinstance(item, list) and item.title == part)
    lessons = outline[at + 1]
    assert isinstance(lessons, list) and len(lessons) == len(CATALOG.lessons)
