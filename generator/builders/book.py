"""Books in parts: the handbooks and the coach manual are printed a part at a time (the
cover and contents, then each chapter, session, lesson and form) and bound into one PDF.

A part's PDF depends on its own print page only, so an edit to one lesson renders that
lesson's part again and reuses the others. A book's template marks where its front matter
starts (``FRONT``) and where each part starts (``PART``); a template without the marks (an
overlay's own, say) is printed whole, as any other PDF. Binding keeps what a reader and a
screen reader need of one document:

- page numbers: the parts are printed without them; the binding numbers the front matter in
  small roman numerals and the parts' pages from 1, as books do, printed where and as the
  book's style prints them and marked as an artifact (page furniture) like the running
  headers and footers, and says the same numbers to PDF readers (page labels). The front
  matter's length changes no other page's number, so it is printed once;
- the contents page lists each entry's page and links to it;
- the structure tree is one document: each part's elements under one ``Document`` element,
  with the keys of its marked content renumbered; bookmarks, named destinations (deep links
  such as ``handbook.pdf#lesson-boundaries``) and form fields are carried over;
- each part embeds the letters of the fonts it uses (embedding the fonts whole in every part
  and keeping one copy costs more time than the bytes it saves); a font file that several
  parts embed alike is kept once.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pikepdf

FRONT = "<!--front-->"
"""Where a book's front matter (cover, inside cover, contents) starts, in its print page."""
PART = "<!--part-->"
"""Where each part of a book starts. Content never holds an HTML comment: text is escaped
and Markdown is sanitised with comments removed (``core.markup``)."""
UNNUMBERED = "<style>@page { @bottom-right { content: none; } }</style>"
"""Added to a part's page: its pages are numbered when the book is bound."""
NUMBERED = ('<style>nav.toc a[data-page]::after '
            '{ content: leader(".") attr(data-page); }</style>')
"""Added to the front matter: the contents' page numbers are written in, not counted."""
SHORT_PART = 12_000
"""Marked parts shorter than this (characters of print page) are printed together with the
next: every PDF costs a little besides its pages. A lesson plan is longer; a handout or a
form is printed with its neighbours."""
NUMBER_FONT = "/AtkN"
"""The name of the font of the page numbers in a page's resources."""
LINK = "part:"
"""How the contents link to another part before binding (``part:lesson-boundaries``); the
binding turns such a link into a link to the named destination."""
_HREF = re.compile(r'href="#([A-Za-z0-9_.:-]+)"')
STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)
"""A style element of a print page, and its style sheet; the first is ``print.css.j2``."""
_LANG = re.compile(r'<html lang="([A-Za-z-]+)"')


@dataclass(frozen=True)
class Parts:
    """A book's print page cut into the pages printed one at a time."""

    head: str
    """Everything before the front matter: the document head, styles and the running words
    of the page margins."""
    front: str
    """The cover, inside cover and contents."""
    parts: tuple[str, ...]
    """The body of each part, in order."""
    tail: str
    """What closes the document."""

    def part(self, index: int) -> str:
        """The print page of one part, without page numbers."""
        return self._page(self.parts[index], UNNUMBERED)

    def front_page(self, pages: dict[str, int]) -> str:
        """The print page of the front matter, its contents giving each entry's page:
        ``pages`` is the page number of every anchor of the book's parts."""

        def numbered(found: re.Match[str]) -> str:
            anchor = found[1]
            if anchor not in pages:
                return found[0]
            return f'href="{LINK}{anchor}" data-page="{pages[anchor]}"'

        return self._page(_HREF.sub(numbered, self.front), UNNUMBERED + NUMBERED)

    def numbers_page(self) -> str:
        """A page of numbers in the book's page style (its fonts, its pages' rules and the
        root's type, nothing of its content's styles), two pages long: its second page shows
        where and how the book prints a page's number (``bind``)."""
        import tinycss2

        styles = "".join(STYLE.findall(self.head.split("<body>", 1)[0]))
        kept = [rule for rule in tinycss2.parse_stylesheet(styles, skip_comments=True,
                                                          skip_whitespace=True)
                if (rule.type == "at-rule" and rule.lower_at_keyword in ("page", "font-face"))
                or (rule.type == "qualified-rule"
                    and tinycss2.serialize(rule.prelude).strip() == "html")]
        lang = _LANG.search(self.head)
        pages = '<div style="page: cover"></div><div style="break-before: page"></div>'
        return (f'<!DOCTYPE html><html lang="{lang[1] if lang else "en"}"><head>'
                f"<style>{tinycss2.serialize(kept)}</style></head>"
                f"<body>{pages}</body></html>")

    def _page(self, body: str, style: str) -> str:
        return self.head.replace("</head>", style + "</head>", 1) + body + self.tail


def split(html: str) -> Parts | None:
    """A book's print page in parts; None for a page without the marks."""
    if FRONT not in html or PART not in html:
        return None
    head, rest = html.split(FRONT, 1)
    end = rest.rindex("</body>")
    body, tail = rest[:end], rest[end:]
    front, *marked = body.split(PART)
    parts: list[str] = []
    for part in marked:  # short parts (a form, a session) are printed with their neighbours
        if parts and len(parts[-1]) < SHORT_PART:
            parts[-1] += part
        else:
            parts.append(part)
    return Parts(head, front, tuple(parts), tail)


def key(writer: str, page: str) -> str:
    """The cache key of a part's PDF: the code that writes it and its print page."""
    return hashlib.sha256(f"{writer}\n{page}".encode("utf-8")).hexdigest()


def page_numbers(part_pages: list[int], anchors: list[dict[str, int]]) -> dict[str, int]:
    """The printed page number of every anchor of every part (the parts' pages are numbered
    from 1, after the front matter's): ``anchors`` gives each part's anchors by the index
    of their page in the part."""
    found: dict[str, int] = {}
    start = 0
    for pages, part_anchors in zip(part_pages, anchors):
        for anchor, index in part_anchors.items():
            found.setdefault(anchor, start + index + 1)
        start += pages
    return found


def bind(front: Path, parts: list[Path], levels: list[list[int]], numbered: Path,
         target: Path, html: str) -> None:
    """Bind the front matter's and the parts' PDFs into one at ``target``. ``levels`` gives
    the level of each bookmark of the front matter and of each part, in order (a part's own
    bookmarks do not say that a lesson is a level below its part's title). Every page after
    the cover gets its number where ``numbered`` (a page of numbers printed in the book's
    style, two pages long) prints it on its second page: the front matter's in small roman
    numerals, the parts' from 1. The form is repaired (``fillable``) from ``html``, the
    book's whole print page."""
    import pikepdf

    from generator.builders import fillable

    with pikepdf.open(front) as book:
        front_pages = len(book.pages)
        structure = book.Root.StructTreeRoot
        document = structure.K[0]
        tree = structure.ParentTree.Nums
        next_key = _next_key(tree)
        destinations = _destinations(book)
        bookmarks = _bookmarks(book, 0, levels[0])
        for path, part_levels in zip(parts, levels[1:]):
            with pikepdf.open(path) as part:
                first = len(book.pages)
                elements = part.Root.StructTreeRoot.K[0]
                del elements["/P"]  # its structure root stays behind
                book.add_pages_from(part, outlines="ignore")
                bookmarks += _bookmarks(part, first, part_levels)
                for element in book.copy_foreign(elements).K:
                    element.P = document
                    document.K.append(element)
                next_key = _carry_keys(book, part, tree, next_key, first)
                for name, where in _destinations(part).items():
                    destinations.setdefault(name, _copied(book, where))
        structure.ParentTreeNextKey = next_key
        _write_bookmarks(book, bookmarks)
        _write_destinations(book, destinations)
        _resolve_links(book)
        font = fillable.typing_font(book)
        _number(book, front_pages, numbered, font)
        fillable.repair_open(book, html, font)
        _one_copy_of_each_font(book)
        book.save(target, object_stream_mode=pikepdf.ObjectStreamMode.generate,
                  compress_streams=True)


Bookmark = tuple[int, str, int, float, float]
"""A bookmark: its level, title, page (from 0) and its place on the page (left, top)."""


def _bookmarks(pdf: pikepdf.Pdf, first: int, levels: list[int]) -> list[Bookmark]:
    """A PDF's bookmarks in order, with their levels, its pages counted from ``first``."""
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    found: list[tuple[str, int, float, float]] = []
    with pdf.open_outline() as outline:
        def walk(items: list[pikepdf.OutlineItem]) -> None:
            for item in items:
                where = item.destination
                found.append((str(item.title), first + pages[where[0].objgen],
                              float(where[2]), float(where[3])))
                walk(item.children)
        walk(outline.root)
    if len(found) != len(levels):
        raise ValueError(f"{len(found)} bookmarks but {len(levels)} levels")
    return [(level, *bookmark) for level, bookmark in zip(levels, found)]


def _write_bookmarks(book: pikepdf.Pdf, bookmarks: list[Bookmark]) -> None:
    """The book's bookmarks as one tree: each below the last one of a lower level."""
    import pikepdf

    top: list[pikepdf.OutlineItem] = []
    above: list[tuple[int, pikepdf.OutlineItem]] = []
    for level, title, page, left, top_of in bookmarks:
        item = pikepdf.OutlineItem(title, page, "XYZ", left=left, top=top_of)
        while above and above[-1][0] >= level:
            above.pop()
        (above[-1][1].children if above else top).append(item)
        above.append((level, item))
    with book.open_outline() as outline:
        outline.root[:] = top


def _next_key(tree: pikepdf.Array) -> int:
    return max((int(tree[index]) for index in range(0, len(tree), 2)), default=-1) + 1


def _carry_keys(book: pikepdf.Pdf, part: pikepdf.Pdf, tree: pikepdf.Array, base: int,
                first: int) -> int:
    """Carry a part's parent tree into the book's, its keys moved past the book's; renumber
    the copied pages' and annotations' keys alike. Returns the next free key."""
    import pikepdf

    found = part.Root.StructTreeRoot.ParentTree.Nums
    next_key = base
    for index in range(0, len(found), 2):
        value = found[index + 1]
        tree.append(base + int(found[index]))
        tree.append(pikepdf.Array([book.copy_foreign(item) for item in value])
                    if isinstance(value, pikepdf.Array) else book.copy_foreign(value))
        next_key = max(next_key, base + int(found[index]) + 1)
    for page in book.pages[first:]:
        if "/StructParents" in page.obj:
            page.obj.StructParents = base + int(page.obj.StructParents)
        for annotation in page.obj.get("/Annots", []):
            if "/StructParent" in annotation:
                annotation.StructParent = base + int(annotation.StructParent)
    return next_key


def _destinations(pdf: pikepdf.Pdf) -> dict[str, pikepdf.Object]:
    names = pdf.Root.get("/Names", {}).get("/Dests", {}).get("/Names", [])
    return {str(names[index]): names[index + 1] for index in range(0, len(names), 2)}


def _copied(book: pikepdf.Pdf, where: pikepdf.Object) -> pikepdf.Object:
    """A part's destination ([page /XYZ left top zoom]) in the book."""
    import pikepdf

    if where.is_indirect:
        return book.copy_foreign(where)
    return pikepdf.Array([book.copy_foreign(where[0]), *list(where)[1:]])


def _write_destinations(book: pikepdf.Pdf, destinations: dict[str, pikepdf.Object]) -> None:
    import pikepdf

    names = pikepdf.Array()
    for name in sorted(destinations):  # a name tree is sorted
        names.append(pikepdf.String(name))
        names.append(destinations[name])
    if "/Names" not in book.Root:
        book.Root.Names = pikepdf.Dictionary()
    book.Root.Names.Dests = book.make_indirect(pikepdf.Dictionary(Names=names))


def _resolve_links(book: pikepdf.Pdf) -> None:
    """A link of the contents to another part leads to its named destination."""
    import pikepdf

    for page in book.pages:
        for annotation in page.obj.get("/Annots", []):
            action = annotation.get("/A")
            if action is not None and str(action.get("/URI", "")).startswith(LINK):
                del annotation["/A"]
                annotation.Dest = pikepdf.String(str(action.URI)[len(LINK):])


def label(index: int, front_pages: int) -> str:
    """The number a book's page (from 0) prints: the front matter's in small roman
    numerals (the cover is i), then the parts' pages from 1."""
    if index >= front_pages:
        return str(index - front_pages + 1)
    number, found = index + 1, ""
    for value, letters in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while number >= value:
            found, number = found + letters, number - value
    return found


def _place(numbered: Path) -> tuple[float, float, float]:
    """Where the book's style prints a page's number, read from the second page of
    ``numbered``, which prints "2": the right end of its baseline and its size, in points."""
    from pypdf import PdfReader

    found: list[tuple[float, float, float]] = []

    def seen(text: str, matrix: list[float], text_matrix: list[float], font: object,
             size: float) -> None:
        if text.strip() == "2":
            x, y = text_matrix[4], text_matrix[5]
            found.append((x * matrix[0] + y * matrix[2] + matrix[4],
                          x * matrix[1] + y * matrix[3] + matrix[5],
                          size * abs(text_matrix[3] * matrix[3])))

    PdfReader(numbered).pages[1].extract_text(visitor_text=seen)
    if not found:
        raise ValueError(f"{numbered}: no page number on its second page")
    from generator.builders.fillable import text_width

    x, y, size = found[0]
    return x + text_width("2", size), y, size


def _number(book: pikepdf.Pdf, front_pages: int, numbered: Path,
            font: pikepdf.Dictionary) -> None:
    """Print each page's number (``label``), as an artifact, and say the same numbers to
    PDF readers (page labels), so that "page 12" in a reader is the page that prints 12."""
    import pikepdf

    from generator.builders.fillable import text_width

    right, baseline, size = _place(numbered)
    for index, page in enumerate(book.pages[1:], 1):
        text = label(index, front_pages)
        resources = page.obj.Resources
        if "/Font" not in resources:
            resources.Font = pikepdf.Dictionary()
        resources.Font[NUMBER_FONT] = font
        left = right - text_width(text, size)
        page.contents_add(book.make_stream(b"q"), prepend=True)
        page.contents_add(book.make_stream(
            f"Q /Artifact BMC q 0 g BT {NUMBER_FONT} {size:.2f} Tf {left:.3f} {baseline:.3f} "
            f"Td ({text}) Tj ET Q EMC".encode("ascii")))
    book.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array([
        0, pikepdf.Dictionary(S=pikepdf.Name.r),
        front_pages, pikepdf.Dictionary(S=pikepdf.Name.D)]))


def _one_copy_of_each_font(book: pikepdf.Pdf) -> None:
    """Every font file the parts embedded, once."""
    import pikepdf

    kept: dict[str, pikepdf.Object] = {}
    for found in book.objects:
        if not (isinstance(found, pikepdf.Dictionary)
                and found.get("/Type") == "/FontDescriptor"):
            continue
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            if key in found:
                digest = hashlib.sha256(found[key].read_raw_bytes()).hexdigest()
                found[key] = kept.setdefault(digest, found[key])
