"""Characters a text may not hold, and characters the print fonts cannot show.

A text from outside the generator (content, settings, a translation) can hide a character
that changes how the text reads: a right-to-left override shows ``gnp.exe`` as ``exe.png``,
a zero-width space splits a word invisibly, a control character does what its terminal or
viewer makes of it. Such texts are refused. Letters of right-to-left scripts (Arabic,
Hebrew) stay allowed: only the invisible characters that steer direction are refused.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import fontpkg_atkinson_hyperlegible

FONT_DIR = fontpkg_atkinson_hyperlegible.ROOT / "files"
"""Atkinson Hyperlegible, the print font, shipped by a PyPI package: nothing is downloaded
at build time."""

ALLOWED_CONTROLS = frozenset("\n\t")
"""Control characters a YAML text may hold: line breaks and tabs."""
DIRECTION_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings and overrides, and their end
    "\u2066\u2067\u2068\u2069"  # isolates and their end
    "\u200e\u200f\u061c")  # left-to-right, right-to-left and Arabic letter marks
"""Invisible characters that change the order in which text is shown. The marks are refused
too: the editions are written left to right, where a mark can only move punctuation about."""
INVISIBLE = frozenset(chr(code) for first, last in (
    (0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0), (0xE0100, 0xE01EF)) for code in range(first, last + 1))
"""The characters Unicode says to show as nothing (default ignorable) that are letters or
marks, not formatting characters: fillers and variation selectors that make two different
texts look the same."""
REFUSED_CATEGORIES = {"Cc": "a control character", "Cf": "an invisible formatting character",
                      "Zl": "a line separator", "Zp": "a paragraph separator",
                      "Co": "a private-use character", "Cs": "a lone surrogate",
                      "Cn": "a code point with no character assigned"}
"""Unicode general categories refused in text, with what each is called in messages."""


@cache
def _refused(character: str) -> bool:
    """Whether a text may not hold ``character``; asked once per character, since every
    text of the content and the catalogs is checked."""
    return character in DIRECTION_CONTROLS or character in INVISIBLE or (
        character not in ALLOWED_CONTROLS
        and unicodedata.category(character) in REFUSED_CATEGORIES)


def visible(text: str) -> str:
    """``text`` safe to print on a terminal: each refused character (an escape sequence's
    ESC, a direction override) becomes U+FFFD, one for one, so that a caret under an
    excerpt stays in place."""
    return "".join("\ufffd" if _refused(character) else character for character in text)


def describe(character: str) -> str:
    """A character as messages name it: ``U+202E RIGHT-TO-LEFT OVERRIDE``."""
    code = f"U+{ord(character):04X}"
    name = unicodedata.name(character, "")
    return f"{code} {name}" if name else code


def deceptive(text: str) -> str | None:
    """Why ``text`` cannot be used as written (its first deceptive character), or None.

    The reason names the character and what to do, and quotes the text before it (which
    holds no such character, so quoting it is safe).
    """
    refused = [character for character in set(text) if _refused(character)]
    if not refused:
        return None
    index = min(map(text.index, refused))  # the first one in the text
    character = text[index]
    if character in DIRECTION_CONTROLS:
        what = ("an invisible character that changes the order in which the text around "
                "it is shown; delete it (letters of right-to-left scripts such as Arabic "
                "or Hebrew are fine)")
    else:
        kind = REFUSED_CATEGORIES.get(unicodedata.category(character), "an invisible character")
        what = (f"{kind}, which shows as nothing or as a box; delete it (it often comes "
                "along with pasted text)")
    before = text[max(0, index - 30):index].replace("\n", " ").lstrip()
    where = f"after '{before}'" if before else "at the start"
    return f"holds {describe(character)} ({where}), {what}"


@cache
def _print_font_characters() -> frozenset[str]:
    """The characters every face of the print font (regular, bold, italic) can show, and
    the line breaks and tabs a text may hold."""
    from fontTools.ttLib import TTFont  # only checks that print need it

    faces = []
    for path in FONT_DIR.glob("*.ttf"):
        with TTFont(path, lazy=True) as font:
            faces.append(set(font.getBestCmap()))
    return frozenset(map(chr, set.intersection(*faces))) | ALLOWED_CONTROLS


def unprintable(text: str) -> list[str]:
    """The characters of ``text`` the print font cannot show, each once, in order.

    WeasyPrint prints them with another font of the computer that builds, if it has one,
    and as an empty box if not; the fonts of a build machine are not known in advance.
    """
    missing = set(text) - _print_font_characters()
    if not missing:
        return []
    return [character for character in dict.fromkeys(text) if character in missing]


def unprintable_warning(character: str) -> str:
    """The warning for a character the print font cannot show."""
    return (f"the print font (Atkinson Hyperlegible) has no {describe(character)}; "
            "the PDFs show it in another font of the computer that builds them, or as an "
            "empty box where it has none: write it in words or leave it out")
