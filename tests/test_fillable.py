"""Fillable forms as people use them: filled in two real readers (pypdf, and PDFium, the
engine inside Chrome, through pypdfium2), saved, reopened and read back; every field is
named after its question."""

from __future__ import annotations

import ctypes
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from conftest import PROJECT, shipped_catalog
from generator.core.language import ENGLISH, Language
from generator.core.content import load_catalog
from generator.core.project import Project
from generator.core.translate import load_language

CATALOG = shipped_catalog()
SPANISH = load_language(Project(PROJECT), "es")
IN_SPANISH = load_catalog(PROJECT, language=SPANISH)
TYPED = "Ana ñ ¿Sí? ¡Hola! café"
"""What a member might type: Spanish letters and marks included."""


def _labels(form, language: Language = ENGLISH) -> dict[str, str]:
    """Every fillable field's name, with the question it asks (in the form's language)."""
    found = {}
    for section in form.sections:
        for field in section.fields:
            if field.type == "table":
                for row in range(1, (field.rows or 5) + 1):
                    for column in field.columns:
                        found[f"{field.id}.r{row}.{column.id}"] = language.gettext(
                            "%(label)s, row %(row)s") % {"label": column.label, "row": row}
            else:
                found[field.id] = field.label
    return found


FORMS = sorted(CATALOG.forms.values(), key=lambda form: form.id)
FILLABLE = [form for form in FORMS if _labels(form)]
CASES = [(form, "forms", ENGLISH) for form in FILLABLE] + [
    (IN_SPANISH.forms[form.id], "es/forms", SPANISH) for form in FILLABLE
    if form.audience == "participant"]
"""Every fillable PDF: each form, and each member form in Spanish, with its language."""


def _name(case) -> str:
    return f"{case[1]}/{case[0].id}" if isinstance(case, tuple) else str(case)


def _kinds(reader: PdfReader) -> dict[str, str]:
    """Each field by name: text, checkbox or radio."""
    kinds = {}
    for name, field in reader.get_fields().items():
        if field.get("/FT") == "/Tx":
            kinds[name] = "text"
        elif field.get("/FT") == "/Btn":
            kinds[name] = "radio" if int(field.get("/Ff", 0)) & (1 << 15) else "checkbox"
    return kinds


def test_every_form_with_questions_is_fillable(built):
    assert len(FILLABLE) >= 13 and len(CASES) > len(FILLABLE)
    for form, folder, language in CASES:
        fields = PdfReader(built / "downloads" / folder / f"{form.id}.pdf").get_fields()
        assert set(fields) == set(_labels(form, language)), form.id


@pytest.mark.parametrize("case", CASES, ids=_name)
def test_pypdf_fills_saves_and_reads_back_every_answer(built, tmp_path, case):
    form, folder, language = case
    source = built / "downloads" / folder / f"{form.id}.pdf"
    reader = PdfReader(source)
    kinds = _kinds(reader)
    labels = _labels(form, language)
    for name, field in reader.get_fields().items():
        assert field.get("/TU") == labels[name], f"{form.id}: {name} is called {field.get('/TU')!r}"
    writer = PdfWriter(clone_from=reader)
    answers = {}
    for name, kind in kinds.items():
        if kind == "text":
            answers[name] = TYPED
        elif kind == "checkbox":
            answers[name] = "/on"
        else:
            answers[name] = "/1"  # the second option
    for page in writer.pages:
        writer.update_page_form_field_values(page, answers, auto_regenerate=False)
    filled = tmp_path / "filled.pdf"
    writer.write(filled)
    again = PdfReader(filled).get_fields()
    for name, expected in answers.items():
        assert again[name].get("/V") == expected, f"{form.id}: {name} lost its answer"
    choices = {field.id: len(field.options) for section in form.sections
               for field in section.fields if field.type in ("choice", "scale")}
    assert {name for name, kind in kinds.items() if kind == "radio"} == set(choices)
    for name, count in choices.items():
        options = again[name].get("/_States_", [])
        assert len(options) == count, f"{form.id}: {name} is not one group of {count} options"


# --- PDFium, as Chrome fills a form ----------------------------------------------------


def _pdfium():
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    return pdfium, raw


def _text(call, *args) -> str:
    """A UTF-16 string from a PDFium getter that takes (..., buffer, length)."""
    size = call(*args, None, 0)
    if size <= 2:
        return ""
    buffer = (ctypes.c_ushort * (size // 2))()
    call(*args, buffer, size)
    return bytes(buffer)[:size - 2].decode("utf-16-le")


def _widgets(pdf, raw):
    """Every widget of every page: (page, annotation, field name, type, rectangle)."""
    form = pdf.formenv.raw
    for index in range(len(pdf)):
        page = pdf[index]
        for number in range(raw.FPDFPage_GetAnnotCount(page.raw)):
            annot = raw.FPDFPage_GetAnnot(page.raw, number)
            if raw.FPDFAnnot_GetSubtype(annot) == raw.FPDF_ANNOT_WIDGET:
                rect = raw.FS_RECTF()
                raw.FPDFAnnot_GetRect(annot, ctypes.byref(rect))
                yield (page, annot, _text(raw.FPDFAnnot_GetFormFieldName, form, annot),
                       raw.FPDFAnnot_GetFormFieldType(form, annot), rect)


@pytest.mark.parametrize("case", CASES, ids=_name)
def test_pdfium_fills_saves_and_reads_back_every_answer(built, tmp_path, case):
    form, folder, language = case
    pdfium, raw = _pdfium()
    labels = _labels(form, language)
    pdf = pdfium.PdfDocument(built / "downloads" / folder / f"{form.id}.pdf")
    pdf.init_forms()
    handle = pdf.formenv.raw
    seen: dict[str, int] = {}
    for page, annot, name, kind, rect in _widgets(pdf, raw):
        assert _text(raw.FPDFAnnot_GetFormFieldAlternateName, handle, annot) == labels[name], (
            f"{form.id}: {name}")
        seen[name] = seen.get(name, 0) + 1
        x, y = (rect.left + rect.right) / 2, (rect.top + rect.bottom) / 2
        if kind == raw.FPDF_FORMFIELD_TEXTFIELD:
            assert raw.FORM_SetFocusedAnnot(handle, annot)
            typed = ctypes.create_string_buffer((TYPED + "\0").encode("utf-16-le"))
            raw.FORM_ReplaceSelection(handle, page.raw, ctypes.cast(typed, raw.FPDF_WIDESTRING))
            raw.FORM_ForceToKillFocus(handle)
        elif kind == raw.FPDF_FORMFIELD_CHECKBOX or (
                kind == raw.FPDF_FORMFIELD_RADIOBUTTON and seen[name] == 2):
            raw.FORM_OnMouseMove(handle, page.raw, 0, x, y)  # a click, as a person would
            raw.FORM_OnLButtonDown(handle, page.raw, 0, x, y)
            raw.FORM_OnLButtonUp(handle, page.raw, 0, x, y)
            raw.FORM_ForceToKillFocus(handle)
        raw.FPDFPage_CloseAnnot(annot)
    assert set(seen) == set(labels), form.id
    filled = tmp_path / "filled.pdf"
    pdf.save(filled)
    pdf.close()
    _read_back_in_both(filled, form, labels, seen)


def _read_back_in_both(filled: Path, form, labels: dict[str, str], seen: dict[str, int]):
    """The saved answers, as PDFium and pypdf read them after reopening."""
    pdfium, raw = _pdfium()
    pdf = pdfium.PdfDocument(filled)
    pdf.init_forms()
    handle = pdf.formenv.raw
    checked: dict[str, list[bool]] = {}
    for _, annot, name, kind, _ in _widgets(pdf, raw):
        if kind == raw.FPDF_FORMFIELD_TEXTFIELD:
            assert _text(raw.FPDFAnnot_GetFormFieldValue, handle, annot) == TYPED, name
        else:
            checked.setdefault(name, []).append(bool(raw.FPDFAnnot_IsChecked(handle, annot)))
        raw.FPDFPage_CloseAnnot(annot)
    pdf.close()
    fields = PdfReader(filled).get_fields()
    for name, states in checked.items():
        if seen[name] > 1:  # a radio group: the second option, stored at the group
            assert states == [index == 1 for index in range(len(states))], f"{form.id}: {name}"
            assert fields[name].get("/V") == NameObject("/1"), f"{form.id}: {name}"
        else:
            assert states == [True], f"{form.id}: {name}"
            assert fields[name].get("/V") not in (None, "/Off"), f"{form.id}: {name}"
    for name, label in labels.items():
        if name not in checked:
            assert fields[name].get("/V") == TYPED, f"{form.id}: {name}"


def test_the_field_font_has_every_letter_people_type(built):
    from fontTools.ttLib import TTFont
    import io

    reader = PdfReader(built / "downloads" / "forms" / "weekly-journal.pdf")
    form = reader.trailer["/Root"]["/AcroForm"]
    fields = [field.get_object() for field in form["/Fields"]]
    texts = [field for field in fields if field.get("/FT") == "/Tx"]
    assert texts
    names = {str(field["/DA"]).split()[0] for field in texts}
    assert len(names) == 1
    font = form["/DR"]["/Font"][names.pop()]
    assert font["/Encoding"] == "/WinAnsiEncoding"
    embedded = TTFont(io.BytesIO(font["/FontDescriptor"]["/FontFile2"].get_data()))
    cmap = embedded.getBestCmap()
    latin1 = [chr(code) for code in range(0xA1, 0x100) if code != 0xAD]
    missing = [char for char in TYPED + "".join(latin1) + "“”‘’–—…€" if char.strip()
               and ord(char) not in cmap]
    assert not missing, f"the field font lacks {''.join(missing)}"


@pytest.mark.parametrize("case", CASES, ids=_name)
def test_every_field_stays_tagged_under_a_form_element(built, case):
    """The repair keeps the tags: each widget still belongs to a /Form structure element."""
    import pikepdf

    form, folder, _ = case
    with pikepdf.open(built / "downloads" / folder / f"{form.id}.pdf") as pdf:
        tree = pdf.Root.StructTreeRoot
        widgets = [annot for page in pdf.pages for annot in page.get("/Annots", [])
                   if annot.get("/Subtype") == "/Widget"]
        assert widgets
        parents = tree.ParentTree.Nums if "/Nums" in tree.ParentTree else []
        by_key = {int(parents[index]): parents[index + 1] for index in range(0, len(parents), 2)}
        for widget in widgets:
            assert "/StructParent" in widget, form.id
            element = by_key[int(widget.StructParent)]
            assert element.get("/S") == "/Form", (form.id, element.get("/S"))
