"""Stage 5d: fillable forms that keep their answers in every PDF reader.

WeasyPrint (70) writes the form fields of a PDF with three faults that readers trip over:

- a radio group's option widgets are fields of their own as well (each has a name and is
  listed in the form's ``/Fields``), so a chosen answer is stored in the option, not the
  group, and tools that read the form see no answer;
- a field's accessible name is the text of its label as laid out, so a label that wraps
  loses the space at the break ("Mysignature"), and a radio group is named after its first
  option ("Strongly agree") instead of its question;
- text fields type in the subset of the page font that the page happened to use, so most
  letters a person types show nothing.

After each PDF is written, this stage repairs its form in place with pikepdf: every choice
question is one radio field (its options are its widgets, the answer is stored at the
group, the question is its name and each option's label is its widget's description),
every field's accessible name is the ``title`` its template gave it, and text fields type
in Atkinson Hyperlegible embedded whole (every letter of Latin-1, Spanish ones and ¿ ¡
included). Tags and the structure tree are left as they are.
"""

from __future__ import annotations

import io
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import fontpkg_atkinson_hyperlegible

if TYPE_CHECKING:
    import pikepdf

# pikepdf and fontTools are imported where a form is repaired, in the processes that write
# PDFs: a build whose PDFs are all unchanged needs neither.

FIELD_FONT = fontpkg_atkinson_hyperlegible.ROOT / "files" / "AtkinsonHyperlegible-Regular.ttf"
"""The font people type in: the print font, embedded whole."""
FONT_NAME = "/AtkF"
"""Its name in the form's resources."""
_SIZE = re.compile(rb"([\d.]+)\s+Tf")


class _Names(HTMLParser):
    """The accessible name (``title``) of every named input in a print page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.names: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("input", "textarea", "select") and found.get("name") and found.get("title"):
            self.names.setdefault(found["name"], " ".join(found["title"].split()))


def accessible_names(html: str) -> dict[str, str]:
    """Field name to accessible name, as the print templates wrote them."""
    parser = _Names()
    parser.feed(html)
    return parser.names


def repair(path: Path, html: str) -> None:
    """Repair the form of the PDF at ``path`` (made from ``html``) in place."""
    if "<input" not in html and "<textarea" not in html:
        return
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        if repair_open(pdf, html):
            pdf.save(path)


def repair_open(pdf: pikepdf.Pdf, html: str, font: pikepdf.Dictionary | None = None) -> bool:
    """Repair the form of an open PDF (made from ``html``); ``font`` is the typing font
    when the PDF has it already (``typing_font``). Returns whether it has a form."""
    import pikepdf

    form = pdf.Root.get("/AcroForm")
    if form is None or ("<input" not in html and "<textarea" not in html):
        return False
    names = accessible_names(html)
    font = font if font is not None else typing_font(pdf)
    if "/DR" not in form:
        form.DR = pikepdf.Dictionary()
    if "/Font" not in form.DR:
        form.DR.Font = pikepdf.Dictionary()
    fields = pikepdf.Array()
    for field in form.Fields:
        if "/Parent" in field:  # an option of a radio group: a widget of its group
            continue
        fields.append(field)
        name = str(field.get("/T", ""))
        if name in names:
            field.TU = pikepdf.String(names[name])
        if field.get("/FT") == "/Tx":
            size = _SIZE.search(bytes(field.get("/DA", b"12 Tf")))
            field.DA = pikepdf.String(f"{FONT_NAME} {size[1].decode() if size else '12'} "
                                      "Tf 0 g")
        if "/Kids" in field:
            _one_radio_field(field)
    form.Fields = fields
    form.DA = pikepdf.String(f"{FONT_NAME} 12 Tf 0 g")
    form.DR.Font[FONT_NAME] = font
    return True


def _one_radio_field(group: pikepdf.Dictionary) -> None:
    """A radio group as one field: its options are widgets without names of their own, and
    each says which option it is."""
    import pikepdf

    options = list(group.get("/Opt", []))
    for index, kid in enumerate(group.Kids):
        for key in ("/T", "/TU", "/FT", "/V", "/Ff"):
            if key in kid:
                del kid[key]
        if index < len(options):
            kid.Contents = pikepdf.String(str(options[index]))


def typing_font(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    """Atkinson Hyperlegible as a whole, embedded TrueType font (WinAnsi): for typing, and
    for a bound book's page numbers (``book``)."""
    import pikepdf

    data, widths, metrics = _font()
    descriptor = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name("/AtkinsonHyperlegible"),
        Flags=32, FontBBox=metrics["bbox"], ItalicAngle=0, Ascent=metrics["ascent"],
        Descent=metrics["descent"], CapHeight=metrics["cap"], StemV=80,
        FontFile2=pdf.make_stream(data, Length1=len(data))))
    return pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.TrueType,
        BaseFont=pikepdf.Name("/AtkinsonHyperlegible"), Encoding=pikepdf.Name.WinAnsiEncoding,
        FirstChar=32, LastChar=255, Widths=widths, FontDescriptor=descriptor))


def text_width(text: str, size: float) -> float:
    """The width of ``text`` (WinAnsi letters) in the typing font at ``size`` points."""
    widths = _font()[1]
    return sum(widths[ord(char) - 32] for char in text) * size / 1000


@cache
def _font() -> tuple[bytes, list[int], dict[str, object]]:
    """The font file, its widths for codes 32 to 255 (WinAnsi) and its metrics, in the
    PDF's thousandths of the type size."""
    from fontTools.ttLib import TTFont

    data = FIELD_FONT.read_bytes()
    font = TTFont(io.BytesIO(data))
    scale = 1000 / font["head"].unitsPerEm
    cmap, advances = font.getBestCmap(), font["hmtx"]
    widths = []
    for code in range(32, 256):
        char = bytes([code]).decode("cp1252", errors="ignore")
        glyph = cmap.get(ord(char)) if char else None
        widths.append(round(advances[glyph][0] * scale) if glyph else 0)
    head = font["head"]
    metrics = {"bbox": [round(value * scale) for value in
                        (head.xMin, head.yMin, head.xMax, head.yMax)],
               "ascent": round(font["hhea"].ascent * scale),
               "descent": round(font["hhea"].descent * scale),
               "cap": round(getattr(font["OS/2"], "sCapHeight", font["hhea"].ascent) * scale)}
    return data, widths, metrics
