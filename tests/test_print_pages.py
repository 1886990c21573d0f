"""Every page of every PDF prints cleanly, at both type sizes and on both papers.

A scan reads each page as a printer would see it (pypdfium2 gives every glyph's box, its
baseline and font size, and the page's form fields) and finds:

- a page with only one or two lines of body text: a stranded line, row or heading, and a
  page a printer wastes. A document's last page may be short, and so may a page meant for
  writing on (its form fields fill at least a third of the page's height); a form's last
  page may not, when all it holds is a field or two (a signature parted from what it signs);
- a heading as the last thing on a page (a line larger than the body text, or a line all
  in bold with no field on it, such as a table's header row);
- text or a form field outside the page margins of ``templates/print/print.css.j2``. The
  running header and footer (page number, crisis line, edition, the sample-edition mark)
  are in the margins by design: they are left out of the line counts and are not counted
  as outside.

Each finding names the file and the page. Run it on any built site, too:
``.venv/bin/python tests/test_print_pages.py site``.
"""

from __future__ import annotations

import ctypes
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest

MM = 72 / 25.4
PAGE_MARGINS = (22 * MM, 20 * MM, 24 * MM, 20 * MM)
"""@page margin in print.css.j2: top, right, bottom, left (pt)."""
COVER_MARGINS = (25 * MM, 22 * MM, 25 * MM, 22 * MM)
"""@page cover margin: the first page of a handbook, which has no running footer."""
PAPERS = {"letter": (612, 792), "a4": (595, 842)}
TOLERANCE = 2.0
"""pt a glyph or field may stand past a margin (anti-aliasing, rounding)."""
RUNNING = 10.5
"""pt: the running header and footer are set at 9 and 10 pt, in the margins."""
HEADING = 1.1
"""A line this many times the body size or larger is a heading (h3 is 1.15em)."""
WRITING = 1 / 3
"""A page whose form fields fill this share of its text area's height is meant for writing
on (a table of rows to fill in going on from the page before)."""
FEW = 2
"""A page with this many lines of body text or fewer holds a stranded line."""


@dataclass
class Glyph:
    text: str
    left: float
    bottom: float
    right: float
    top: float
    baseline: float
    size: float
    """pt, after the text matrix."""
    bold: bool


@dataclass
class Line:
    glyphs: list[Glyph]

    @property
    def baseline(self) -> float:
        return self.glyphs[0].baseline

    @property
    def top(self) -> float:
        return max(glyph.top for glyph in self.glyphs)

    @property
    def size(self) -> float:
        """The size most of its glyphs have."""
        sizes = [glyph.size for glyph in self.glyphs]
        return max(set(sizes), key=sizes.count)

    @property
    def bold(self) -> bool:
        return all(glyph.bold for glyph in self.glyphs)

    @property
    def text(self) -> str:
        out, last = "", None
        for glyph in sorted(self.glyphs, key=lambda g: g.left):
            if last is not None and glyph.left - last > glyph.size * 0.15:
                out += " "
            out, last = out + glyph.text, glyph.right
        return out


@dataclass
class Page:
    number: int
    width: float
    height: float
    glyphs: list[Glyph] = field(default_factory=list)
    fields: list[tuple[float, float, float, float]] = field(default_factory=list)
    """Form field widgets: left, bottom, right, top."""
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)
    """Drawn horizontal lines (table borders, lines to write on): left, bottom, right, top."""


def _glyphs(textpage) -> list[Glyph]:
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    loose = raw.FS_RECTF()
    x, y = ctypes.c_double(), ctypes.c_double()
    matrix = raw.FS_MATRIX()
    name = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    found = []
    for index in range(raw.FPDFText_CountChars(textpage)):
        code = raw.FPDFText_GetUnicode(textpage, index)
        if (code <= 32 or code in (0xA0, 0xFFFE, 0xFFFF)
                or raw.FPDFText_IsGenerated(textpage, index) == 1):
            continue  # spaces and line ends pdfium makes up
        raw.FPDFText_GetCharBox(textpage, index, left, right, bottom, top)
        raw.FPDFText_GetLooseCharBox(textpage, index, loose)
        raw.FPDFText_GetCharOrigin(textpage, index, x, y)  # on the baseline
        raw.FPDFText_GetMatrix(textpage, index, matrix)
        scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
        raw.FPDFText_GetFontInfo(textpage, index, name, len(name), flags)
        # across from its origin to the end of its advance, up and down from its ink, so
        # that a j's tail or an f's hook is not counted as past the margin
        found.append(Glyph(chr(code), max(x.value, loose.left), bottom.value,
                           max(x.value, loose.right), top.value,
                           y.value, round(raw.FPDFText_GetFontSize(textpage, index) * scale, 1),
                           b"Bold" in name.value))
    return found


def _fields(pdf_page) -> list[tuple[float, float, float, float]]:
    found = []
    for index in range(raw.FPDFPage_GetAnnotCount(pdf_page)):
        annot = raw.FPDFPage_GetAnnot(pdf_page, index)
        try:
            if raw.FPDFAnnot_GetSubtype(annot) == raw.FPDF_ANNOT_WIDGET:
                rect = raw.FS_RECTF()
                raw.FPDFAnnot_GetRect(annot, rect)
                found.append((min(rect.left, rect.right), min(rect.bottom, rect.top),
                              max(rect.left, rect.right), max(rect.bottom, rect.top)))
        finally:
            raw.FPDFPage_CloseAnnot(annot)
    return found


def _rules(pdf_page) -> list[tuple[float, float, float, float]]:
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    found = []
    for index in range(raw.FPDFPage_CountObjects(pdf_page)):
        thing = raw.FPDFPage_GetObject(pdf_page, index)
        if raw.FPDFPageObj_GetType(thing) == raw.FPDF_PAGEOBJ_PATH:
            raw.FPDFPageObj_GetBounds(thing, left, bottom, right, top)
            if top.value - bottom.value <= 3 and right.value - left.value >= 10:
                found.append((left.value, bottom.value, right.value, top.value))
    return found


def read(path: Path) -> list[Page]:
    """Every page of a PDF: its glyphs and its form fields."""
    document = pdfium.PdfDocument(path)
    try:
        pages = []
        for index in range(len(document)):
            pdf_page = document[index]
            width, height = pdf_page.get_size()
            textpage = pdf_page.get_textpage()
            pages.append(Page(index + 1, width, height, _glyphs(textpage), _fields(pdf_page),
                              _rules(pdf_page)))
            textpage.close()
            pdf_page.close()
        return pages
    finally:
        document.close()


def _lines(glyphs: list[Glyph]) -> list[Line]:
    """Glyphs grouped by baseline, top to bottom (table cells of a row make one line)."""
    lines: list[Line] = []
    for glyph in sorted(glyphs, key=lambda g: (-g.baseline, g.left)):
        if lines and abs(lines[-1].baseline - glyph.baseline) <= 1.0:
            lines[-1].glyphs.append(glyph)
        else:
            lines.append(Line([glyph]))
    return lines


def _covered(spans: list[tuple[float, float]]) -> float:
    """How much of the page's height the spans (bottom, top) cover together."""
    total, reach = 0.0, None
    for bottom, top in sorted(spans):
        if reach is None or bottom > reach:
            total, reach = total + top - bottom, top
        elif top > reach:
            total, reach = total + top - reach, top
    return total


def _quote(text: str, length: int = 50) -> str:
    return repr(text if len(text) <= length else text[:length - 1] + "…")


def findings(page: Page, body: float, last: bool) -> list[str]:
    """What is wrong with one page, for a document whose body text is ``body`` pt."""
    running = [g for g in page.glyphs if g.size <= RUNNING]
    cover = not any(g.top <= PAGE_MARGINS[2] for g in running)  # no running footer
    top, right, bottom, left = COVER_MARGINS if cover else PAGE_MARGINS
    area = (left, bottom, page.width - right, page.height - top)

    def past(box: tuple[float, float, float, float]) -> str | None:
        over = {"left": area[0] - box[0], "bottom": area[1] - box[1],
                "right": box[2] - area[2], "top": box[3] - area[3]}
        side = max(over, key=over.get)
        return f"{over[side]:.0f} pt past the {side} margin" if over[side] > TOLERANCE else None

    def in_margin(glyph: Glyph) -> bool:
        return glyph.size <= RUNNING and (glyph.bottom >= area[3] - TOLERANCE
                                          or glyph.top <= area[1] + TOLERANCE)

    content = [g for g in page.glyphs if not in_margin(g)]
    found = []
    outside = [(g, past((g.left, g.bottom, g.right, g.top))) for g in content]
    outside = [(g, where) for g, where in outside if where]
    if outside:
        worst = max(outside, key=lambda item: float(item[1].split()[0]))
        found.append(f"text outside the margins, {worst[1]}: "
                     + _quote("".join(g.text for g, _ in outside)))
    fields = [(box, past(box)) for box in page.fields]
    fields = [(box, where) for box, where in fields if where]
    if fields:
        box, where = max(fields, key=lambda item: float(item[1].split()[0]))
        found.append(f"{len(fields)} form field{'s' * (len(fields) != 1)} outside the "
                     f"margins, {where} (one at {box[0]:.0f}, {box[1]:.0f} to {box[2]:.0f}, "
                     f"{box[3]:.0f} pt)")

    lines = _lines(content)
    headings = [line for line in lines if line.size >= HEADING * body]
    text = [line for line in lines if line.size < HEADING * body]
    if lines and not last:
        end = lines[-1]
        # a field below the line, beside it, or just above it (a checkbox over its label)
        # makes it a label, not a heading; lines drawn below it (a table's blank rows,
        # lines to write on) are what it heads
        block = len(lines) - 1  # the paragraph the last line ends (a label may wrap)
        while (block > 0 and lines[block - 1].bold and lines[block - 1].size == end.size
               and lines[block - 1].baseline - lines[block].baseline <= 1.6 * end.size):
            block -= 1
        labelled = [box for box in page.fields if box[1] <= lines[block].top + end.size]
        ruled = [rule for rule in page.rules
                 if area[1] - TOLERANCE <= rule[3] < end.baseline - end.size]
        heading = end.size >= HEADING * body or (end.bold and len(lines) > 1)
        if heading and not labelled and not ruled:
            found.append(f"ends with the heading {_quote(end.text)}")
    writing = (_covered([(box[1], box[3]) for box in page.fields])
               >= WRITING * (area[3] - area[1]))
    if len(text) <= FEW and not writing and (not last or page.fields):
        what = f"{len(text)} line{'s' * (len(text) != 1)} of text"
        if headings:
            what += f" and {len(headings)} of heading"
        if page.fields:
            what += f" and {len(page.fields)} form field{'s' * (len(page.fields) != 1)}"
        found.append(f"only {what}: " + _quote(" / ".join(line.text for line in lines), 90))
    return found


def scan(path: Path, body: float, name: str | None = None) -> tuple[list[str], int]:
    """Every finding of a PDF, each as "name page N: what", and how many pages it has."""
    pages = read(path)
    name = name or path.name
    return [f"{name} page {page.number}: {finding}" for page in pages
            for finding in findings(page, body, page.number == len(pages))], len(pages)


def scan_site(site: Path) -> tuple[list[str], int]:
    """Every finding of every PDF under site/downloads/, and how many pages were read.
    The large-print handbook's body text is 18 pt, every other PDF's 12 pt."""
    downloads = site / "downloads"
    found, pages = [], 0
    for path in sorted(downloads.rglob("*.pdf")):
        name = path.relative_to(downloads).as_posix()
        more, count = scan(path, 18 if name.endswith("-large-print.pdf") else 12, name)
        found, pages = found + more, pages + count
    return found, pages


def test_the_scan_finds_each_kind_of_problem(tmp_path):
    """A made-up document with one of each problem, and a footer and a short last page."""
    from weasyprint import HTML

    words = " ".join(["Plain words take up some lines of the page."] * 30)
    html = f"""<!DOCTYPE html><html lang="en"><head><title>t</title><style>
      @page {{ size: letter; margin: 22mm 20mm 24mm 20mm;
              @bottom-left {{ content: "Crisis? Call or text 988."; font-size: 9pt }}
              @bottom-right {{ content: counter(page); font-size: 10pt }} }}
      body {{ font-size: 12pt; line-height: 1.45; margin: 0 }}
      h2 {{ font-size: 16.8pt; break-after: page }}
    </style></head><body>
      <p>{words}</p><h2>A heading left behind</h2>
      <p>One line on its own.</p><p style="break-before: page">{words}</p>
      <p style="white-space: nowrap">This line is far too long to fit between the margins of
        the page, so it runs into the right margin and off the paper</p>
      <form><input type="text" name="wide" style="width: 110%"></form>
      <p style="break-before: page">A short last page is fine.</p>
    </body></html>"""
    path = tmp_path / "made-up.pdf"
    HTML(string=html).write_pdf(path, pdf_forms=True)
    found, pages = scan(path, 12)
    assert pages == 4
    assert [line.split(":", 1)[0] for line in found] == [
        "made-up.pdf page 1", "made-up.pdf page 2", "made-up.pdf page 3",
        "made-up.pdf page 3"], found
    assert "ends with the heading 'A heading left behind'" in found[0]
    assert "only 1 line of text: 'One line on its own.'" in found[1]
    assert "text outside the margins" in found[2] and "right margin" in found[2]
    assert "1 form field outside the margins" in found[3]


@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_every_page_prints_cleanly(request, paper):
    site = request.getfixturevalue({"letter": "built", "a4": "built_a4"}[paper])
    manual = read(site / "downloads" / "coach-manual.pdf")
    assert (round(manual[0].width), round(manual[0].height)) == PAPERS[paper]
    found, pages = scan_site(site)
    assert pages > 500
    assert not found, (f"{len(found)} findings on {paper} paper (of {pages} pages):\n"
                       + "\n".join(found))


if __name__ == "__main__":
    found, pages = scan_site(Path(sys.argv[1]))
    print("\n".join(found))
    print(f"{len(found)} findings in {pages} pages")
