"""The PDF cache: a PDF is written again when anything that shapes it changed (its print
page, an image it prints, the fonts, the code that writes it, the libraries that code runs),
and reused when nothing did. Each test writes the PDFs of a small project, changes one thing and writes
them again, and looks at which PDF files were replaced."""

from __future__ import annotations

import importlib.util
import io
import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from conftest import sample
from generator.builders import fillable, pdf
from generator.core.content import load_catalog
from generator.core.language import ENGLISH
from generator.core.project import Project

DOWNLOADS = Path("build/docs/downloads")
STAMPS = Path("build/pdf-stamps")


def _write(root: Path) -> None:
    """Write the project's PDFs as a build does (in this process, so that what a test
    changed is what runs)."""
    project = Project(root)
    pdf.write_all(project, pdf.prepare(project, load_catalog(project), ENGLISH), root / DOWNLOADS,
                  root / STAMPS, workers=1)


def _files(root: Path) -> dict[str, tuple[int, int]]:
    """Each PDF's identity on disk: a PDF written again is a new file (inode, time)."""
    return {path.relative_to(root / DOWNLOADS).as_posix():
            (path.stat().st_ino, path.stat().st_mtime_ns)
            for path in (root / DOWNLOADS).rglob("*.pdf")}


def _rewritten(root: Path, before: dict[str, tuple[int, int]]) -> set[str]:
    after = _files(root)
    assert set(after) == set(before)
    return {name for name in after if after[name] != before[name]}


def _png(width: int) -> bytes:
    """A white PNG image, ``width`` pixels wide and one high."""
    image = io.BytesIO()
    Image.new("RGB", (width, 1), "white").save(image, "PNG")
    return image.getvalue()


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small project with a logo (on the covers of the handbooks and the coach manual)
    whose PDFs were written once."""
    root = sample(tmp_path_factory.mktemp("first"), "valid-minimal")
    (root / "assets").mkdir()
    (root / "assets" / "logo.png").write_bytes(_png(1))
    agency = root / "content" / "agency.yml"
    agency.write_text(agency.read_text(encoding="utf-8") +
                      "logo: assets/logo.png\nlogo_alt: Sample Agency logo\n", encoding="utf-8")
    _write(root)
    return root


@pytest.fixture
def written(first: Path, tmp_path: Path) -> Path:
    """A copy of that project, its PDFs and stamps as the first build left them."""
    root = tmp_path / "written"
    shutil.copytree(first, root)
    return root


def test_a_second_build_writes_no_pdf(written):
    before = _files(written)
    assert {"forms/sample-form.pdf", "handouts/sample-lesson.pdf",
            "participant-handbook.pdf", "coach-manual.pdf"} <= set(before)
    _write(written)
    assert _rewritten(written, before) == set()


def test_a_changed_print_page_writes_that_pdf_only(written):
    before = _files(written)
    lesson = written / "content" / "lessons" / "sample-lesson.yml"
    text = lesson.read_text(encoding="utf-8")
    changed = text.replace("title: Sample lesson\n", "title: Sample lesson, changed\n")
    assert changed != text
    lesson.write_text(changed, encoding="utf-8")
    _write(written)
    rewritten = _rewritten(written, before)
    assert "handouts/sample-lesson.pdf" in rewritten
    assert "forms/sample-form.pdf" not in rewritten


def test_a_changed_image_writes_the_pdfs_that_print_it(written):
    """The print page names the logo by its path: its bytes are what changed."""
    before = _files(written)
    (written / "assets" / "logo.png").write_bytes(_png(2))
    _write(written)
    covers = {"participant-handbook.pdf", "participant-handbook-large-print.pdf",
              "coach-manual.pdf"}
    assert _rewritten(written, before) == covers
    again = _files(written)
    _write(written)
    assert _rewritten(written, again) == set()


FORM_FILLING_CHANGES = {
    "a constant": ('FONT_NAME = "/AtkF"', 'FONT_NAME = "/AtkG"', "/AtkG 12 Tf 0 g"),
    "a line of a function": ('form.DA = pikepdf.String(f"{FONT_NAME} 12 Tf 0 g")',
                             'form.DA = pikepdf.String(f"{FONT_NAME} 11 Tf 0 g")',
                             "/AtkF 11 Tf 0 g"),
}


def _change_form_filling(old: str, new: str, folder: Path,
                         monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, the form-filling code is ``fillable.py`` with ``old`` replaced by
    ``new``, as after an edit or an upgrade of the generator."""
    source = Path(fillable.__file__).read_text(encoding="utf-8")
    assert source.count(old) == 1
    changed = folder / "fillable.py"
    changed.write_text(source.replace(old, new), encoding="utf-8")
    spec = importlib.util.spec_from_file_location(fillable.__name__, changed)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setitem(sys.modules, fillable.__name__, module)
    monkeypatch.setattr(pdf, "fillable", module)


@pytest.mark.parametrize("change", FORM_FILLING_CHANGES)
def test_a_changed_line_of_the_form_filling_code_writes_the_pdfs_again(
        written, change, tmp_path, monkeypatch):
    old, new, default_style = FORM_FILLING_CHANGES[change]
    before = _files(written)
    _change_form_filling(old, new, tmp_path, monkeypatch)
    _write(written)
    assert _rewritten(written, before) == set(before)
    with pikepdf.open(written / DOWNLOADS / "forms" / "sample-form.pdf") as form:
        assert str(form.Root.AcroForm.DA) == default_style
    again = _files(written)
    _write(written)
    assert _rewritten(written, again) == set()


def _upgraded(monkeypatch: pytest.MonkeyPatch, library: str) -> None:
    """From now on, the installed ``library`` says it is version 99.0."""
    installed = metadata.metadata

    def read(name: str) -> metadata.PackageMetadata:
        found = installed(name)
        if found["Name"].lower() == library:
            found.replace_header("Version", "99.0")
        return found

    monkeypatch.setattr(metadata, "metadata", read)


@pytest.mark.parametrize("library", ["weasyprint", "pikepdf", "pydyf"])
def test_another_version_of_a_library_writes_the_pdfs_again(written, library, monkeypatch):
    before = _files(written)
    _upgraded(monkeypatch, library)
    _write(written)
    assert _rewritten(written, before) == set(before)


def test_an_unrelated_library_changes_nothing(written, monkeypatch):
    before = _files(written)
    _upgraded(monkeypatch, "mkdocs")
    _write(written)
    assert _rewritten(written, before) == set()


def test_a_changed_comment_in_the_form_filling_code_writes_nothing(written, tmp_path,
                                                                   monkeypatch):
    """The code counts by what it does: a comment or a blank line changes no PDF."""
    before = _files(written)
    _change_form_filling("# an option of a radio group: a widget of its group",
                         "# a radio group's option: one of its group's widgets\n",
                         tmp_path, monkeypatch)
    _write(written)
    assert _rewritten(written, before) == set()


def test_every_build_process_reads_the_same_code_key():
    """Each build is a new process, with its own order of sets: the key must not follow
    it, or every build would write every PDF again."""
    keys = {subprocess.run([sys.executable, "-c", "from generator.builders import pdf; "
                            "print(pdf.writer_key())"],
                           env={**os.environ, "PYTHONHASHSEED": seed}, check=True,
                           capture_output=True, text=True).stdout
            for seed in ("1", "2", "3")}
    assert len(keys) == 1 and len(keys.pop().strip()) == 64


def test_an_edit_to_one_lesson_prints_the_parts_that_hold_it_only(built_project, tmp_path):
    """The books are printed in parts (generator/builders/book.py): after a sentence of one
    lesson's handout changes, each English book prints the one part that holds the lesson
    again and binds it with the others as they were."""
    from conftest import pdf_pages, real_project, reuse_build

    project = reuse_build(built_project, real_project(tmp_path / "project"))
    parts = project / "build" / pdf.PARTS
    before = {path.name: path.stat().st_mtime_ns for path in parts.glob("*.pdf")}
    lesson = project / "content" / "lessons" / "boundaries.yml"
    text = lesson.read_text(encoding="utf-8")
    end = text.index(".", text.index("body:", text.index("handout:")))
    lesson.write_text(text[:end] + " Edited42" + text[end:], encoding="utf-8")
    _write(project)
    after = {path.name: path.stat().st_mtime_ns for path in parts.glob("*.pdf")}
    assert all(after[name] == before[name] for name in after.keys() & before.keys())
    printed = after.keys() - before.keys()
    assert len(printed) == 3, printed  # the handbook, its large print, the coach manual
    for name in ("participant-handbook.pdf", "participant-handbook-large-print.pdf",
                 "coach-manual.pdf"):
        assert any("Edited42" in page for page in pdf_pages(project / DOWNLOADS / name)), name


def test_a_book_template_without_the_marks_prints_the_book_whole(written):
    """A trainer's own handbook template, written without the marks of the parts, still
    prints the handbook: whole, as one document, numbered by the page as before."""
    template = written / "templates" / "print" / "participant-handbook.html.j2"
    text = template.read_text(encoding="utf-8")
    assert "<!--part-->" in text
    template.write_text(text.replace("<!--part-->", "").replace("<!--front-->", ""),
                        encoding="utf-8")
    _write(written)
    handbook = pikepdf.open(written / DOWNLOADS / "participant-handbook.pdf")
    assert len(handbook.pages) > 3 and "/PageLabels" not in handbook.Root
    stamp = (written / STAMPS / "participant-handbook.pdf.json").read_text(encoding="utf-8")
    assert '"front"' not in stamp  # printed whole, not bound from parts
