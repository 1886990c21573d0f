"""The writing guide's rules (``docs/writing-guide.md``), checked by ``check`` and ``build``
on every item, upstream's and an overlay's alike, each at its ``path:line`` with what to
write instead.

- No stigmatising label (``REFUSED``, the guide's list), in any text of any content file.
- Member text reads at US grade 8 or below, coach text at grade 11 or below (Flesch-Kincaid,
  by textstat, for a text of 12 words or more); a glossary's meanings two grades higher. Member text over its limit is an
  error; coach text over its limit a warning (a judgement: ``--strict`` fails on it).
- A lesson's objectives say what a member will do, never "understand" or "know"; its
  handout, with its worked example, is 250-350 words (one printed page); each key takeaway
  is 15 words or fewer.
- A lesson lists the sources it used: the new-lesson template's placeholder link is not one.

A draft lesson is not built: what it breaks is a warning until it is finished. The rules read
the English edition; a translation has rules of its own (``translate``).
"""

from __future__ import annotations

import hashlib
import json
import pickle
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.core.errors import Loc, Problem, field_name, texts
from generator.core.parse import Document
from generator.core.write import write_whole

MEMBER_GRADE = 8.0
"""Member text: never above US grade 8 (the aim is 6)."""
COACH_GRADE = 11.0
"""Coach text: never above grade 11 (the aim is 10)."""
GLOSSARY_MARGIN = 2.0
"""A glossary's meanings may read this many grades above their handbook."""
GRADED_WORDS = 12
"""A text is graded from this many words: the grade of a shorter one says little (four
words of three syllables read as grade 12)."""
HANDOUT_WORDS = (250, 350)
"""A handout with its worked example: one printed page."""
TAKEAWAY_WORDS = 15
"""Words in one key takeaway, at most."""

REFUSED: dict[str, tuple[str, str]] = {
    "suffers from": (r"suffer(?:s|ed|ing)? from",
                     "write 'lives with' or 'has' (a person living with depression)"),
    "non-compliant": (r"non-?compliant|non-?compliance",
                      "say what the person chose or what got in the way (chose not to take "
                      "it, has not started yet)"),
    "low-functioning": (r"(?:low|high)[- ]functioning",
                        "say what the person does or needs help with"),
    "crazy": (r"crazy", "say what happened or how it felt (it was a hard week)"),
    "the mentally ill": (r"the mentally ill|mentally ill (?:people|persons|person|"
                         r"individuals|patients)",
                         "write 'people living with a mental health condition'"),
    "addict": (r"addicts?", "write 'a person who uses drugs' or 'a person in recovery'"),
    "manipulative": (r"manipulative", "say what the person did and what they needed"),
    "lunatic": (r"lunatics?", "say what happened; no label"),
    "psycho": (r"psychos?|psychotics", "say what happened; no label"),
}
"""The guide's stigmatising labels (whole words, any case), each with the pattern that finds
it and what to write instead."""
_REFUSED = re.compile("|".join(rf"(?P<w{index}>\b(?:{pattern})\b)"
                               for index, (pattern, _) in enumerate(REFUSED.values())),
                      re.IGNORECASE)

VAGUE = ("understand", "know", "learn about", "be aware", "become aware", "appreciate",
         "realize", "realise", "grasp", "become familiar", "be familiar", "recognize the "
         "importance", "believe")
"""Verbs of an objective that no coach can see happen."""
_VAGUE = re.compile(r"^\W*(?:to\s+)?(?:" + "|".join(re.escape(verb) for verb in VAGUE)
                    + r")\b", re.IGNORECASE)
"""An objective that starts with a vague verb ("Understand ...", "To know ...")."""
DOING = "name, list, practise, plan, choose, show, write, say, try"
"""Observable verbs, offered in the message."""
_VERSION = f"textstat {version('textstat')}"
"""What measured the kept grades: another version may count syllables otherwise."""
PLACEHOLDER_HOSTS = {"example.org", "example.com", "example.net", "www.example.org",
                     "www.example.com", "www.example.net"}
"""Hosts reserved for examples (RFC 2606): the new-lesson template's source link."""


def problems(documents: list[Document], valid: set[str]) -> list[Problem]:
    """Every finding of the writing rules in ``documents``, errors and warnings (a draft
    lesson's are warnings). The reading-level and structure rules read only the files in
    ``valid`` (paths of files whose data is valid): they count words and grades of texts
    that are there."""
    found: list[Problem] = []
    for doc in documents:
        if doc.written:  # the same file as written gives the same findings
            findings, graded = _as_written(doc.path, doc.kind, doc.written, doc.path in valid)
            _used.update(graded)
            found += findings
        else:
            found += _findings(doc, doc.path in valid)
    return found


@lru_cache(maxsize=1024)
def _as_written(path: str, kind: str, written: bytes,
                valid: bool) -> tuple[tuple[Problem, ...], frozenset[str]]:
    """``_findings`` of a file as read, once per process for the same bytes (the live
    preview checks every file again after each save), with the keys of the grades it
    read (for ``grades_kept``)."""
    global _used
    outer, _used = _used, set()
    try:
        data, lines = pickle.loads(written)
        findings = tuple(_findings(Document(path, kind, data, lines, written), valid))
        return findings, frozenset(_used)
    finally:
        _used = outer


def _findings(doc: Document, valid: bool) -> list[Problem]:
    """The findings of one file (a draft lesson's as warnings); the rules beyond the
    refused labels read a file only when its data is ``valid``."""
    draft = doc.kind == "lesson" and doc.data.get("draft") is True
    findings = list(refused_words(doc))
    if valid:
        findings += RULES.get(doc.kind, _none)(doc)
    return [_as_warning(problem) if draft else problem for problem in findings]


def refused_words(doc: Document) -> Iterator[Problem]:
    """A stigmatising label in any text of the file."""
    for loc, text in texts(_written(doc)):
        for match in _REFUSED.finditer(text):
            term, (_, instead) = list(REFUSED.items())[int(match.lastgroup[1:])]
            yield Problem(doc.path, doc.line(loc), field_name(loc),
                          f"'{match[0]}' is a label the writing guide refuses ('{term}'): "
                          f"{instead}")


def _lesson(doc: Document) -> Iterator[Problem]:
    data = _written(doc)
    for index, objective in enumerate(data["objectives"]):
        vague = _VAGUE.search(objective)
        if vague:
            loc = ("objectives", index)
            yield _at(doc, loc, f"'{vague[0].strip()}' is not something a coach can see a member do: "
                                f"start with what they will do ({DOING}), e.g. 'Name two "
                                "ways to ...'")
    handout = data["handout"]
    words = _words(handout["body"]) + _words(handout["worked_example"]["body"])
    low, high = HANDOUT_WORDS
    if not low <= words <= high:
        what = "add" if words < low else "cut"
        yield _at(doc, ("handout", "body"),
                  f"the handout and its worked example have {words} words; a handout fills "
                  f"one printed page: {low}-{high} words ({what} "
                  f"{low - words if words < low else words - high})")
    for index, takeaway in enumerate(data["key_takeaways"]):
        if len(takeaway.split()) > TAKEAWAY_WORDS:
            yield _at(doc, ("key_takeaways", index),
                      f"{len(takeaway.split())} words; a key takeaway is {TAKEAWAY_WORDS} "
                      "words or fewer: keep one idea and cut the rest")
    for index, source in enumerate(data["sources"]):
        host = urlsplit(source.get("url") or "").hostname or ""
        if host in PLACEHOLDER_HOSTS:
            yield _at(doc, ("sources", index, "url"),
                      f"{source['url']} is the template's placeholder, not a source: give "
                      "the address of what the lesson used, or remove `url` for a book")
    yield from _grades(doc, _lesson_texts(data))


def _lesson_texts(data: dict[str, Any]) -> Iterator[tuple[Loc, str, float]]:
    """The texts of a lesson with their limits: member fields (P in the content guide) at
    the member grade, the coach's at the coach grade."""
    for key in ("framing_questions", "objectives", "skill_steps", "key_takeaways"):
        yield (key,), _joined(data[key]), MEMBER_GRADE
    for key in ("summary", "journal_prompt"):
        yield (key,), data[key], MEMBER_GRADE
    for key, text in data["practice"].items():
        if text:
            yield ("practice", key), text, MEMBER_GRADE
    handout = data["handout"]
    yield ("handout", "body"), f"{handout['body']}\n\n{handout['worked_example']['body']}", \
        MEMBER_GRADE
    yield ("safety", "content_note"), data["safety"]["content_note"], MEMBER_GRADE
    for index, activity in enumerate(data["activities"]):
        yield ("activities", index, "member_instructions"), \
            _joined(activity["member_instructions"]), MEMBER_GRADE
        yield ("activities", index, "coach_instructions"), \
            _joined(activity["coach_instructions"]), COACH_GRADE
    yield ("facilitator_script", "talking_points"), \
        _joined(data["facilitator_script"]["talking_points"]), COACH_GRADE
    for key, text in data["adaptations"].items():
        yield ("adaptations", key), text, COACH_GRADE
    yield ("common_challenges",), " ".join(f"{challenge['situation']} {challenge['response']}"
                                           for challenge in data["common_challenges"]), \
        COACH_GRADE
    yield ("discussion_questions",), _joined(data["discussion_questions"]), COACH_GRADE
    practice = data.get("practice_session")
    if practice:
        activity = practice["activity"]
        yield ("practice_session", "activity", "member_instructions"), \
            _joined(activity["member_instructions"]), MEMBER_GRADE
        yield ("practice_session", "activity", "scenarios"), \
            " ".join(scenario["situation"] for scenario in activity.get("scenarios", [])), \
            MEMBER_GRADE
        yield ("practice_session", "what_changes"), practice["what_changes"], COACH_GRADE
        yield ("practice_session", "peer_coaching"), practice["peer_coaching"], COACH_GRADE
        yield ("practice_session", "activity", "coach_instructions"), \
            _joined(activity["coach_instructions"]), COACH_GRADE


def _form(doc: Document) -> Iterator[Problem]:
    data = _written(doc)
    limit = MEMBER_GRADE if data["audience"] == "participant" else COACH_GRADE

    def form_texts() -> Iterator[tuple[Loc, str, float]]:
        for index, section in enumerate(data["sections"]):
            if section.get("text"):
                yield ("sections", index, "text"), section["text"], limit
            labels = " ".join(f"{field['label']}. {field.get('help') or ''}"
                              for field in section.get("fields", []))
            if labels.strip():
                yield ("sections", index, "fields"), labels, limit
        yield ("purpose",), data["purpose"], limit

    yield from _grades(doc, form_texts())


def _session(doc: Document) -> Iterator[Problem]:
    data = _written(doc)

    def session_texts() -> Iterator[tuple[Loc, str, float]]:
        for index, note in enumerate(data.get("guidance", [])):
            yield ("guidance", index, "body"), note["body"], COACH_GRADE
        parts = [("parts", index, "segments") for index in range(len(data.get("parts", [])))]
        parts += [(key,) for key in ("peer_sharing", "skill_block") if data.get(key)]
        for part in parts:
            segments = _at_loc(data, part)
            for index, segment in enumerate(segments):
                yield (*part, index, "what_happens"), segment["what_happens"], COACH_GRADE
        if data.get("what_to_bring"):
            yield ("what_to_bring",), ". ".join(data["what_to_bring"]), MEMBER_GRADE

    yield from _grades(doc, session_texts())


def _chapter(doc: Document) -> Iterator[Problem]:
    data = _written(doc)
    limit = MEMBER_GRADE if data["handbook"] == "participant" else COACH_GRADE

    def chapter_texts() -> Iterator[tuple[Loc, str, float]]:
        yield ("summary",), data["summary"], limit
        yield ("body",), data["body"], limit
        for index, term in enumerate(data.get("glossary", [])):
            yield ("glossary", index, "meaning"), term["meaning"], limit + GLOSSARY_MARGIN

    yield from _grades(doc, chapter_texts())


def _none(doc: Document) -> Iterator[Problem]:
    return iter(())


RULES = {"lesson": _lesson, "form": _form, "session": _session, "chapter": _chapter}
"""The rules of each kind of item, beyond the refused labels every file is read for."""


def _grades(doc: Document, found: Iterator[tuple[Loc, str, float]]) -> Iterator[Problem]:
    for loc, text, limit in found:
        if len(text.split()) < GRADED_WORDS:
            continue
        level = grade(text)
        if level > limit:
            member = limit < COACH_GRADE
            yield Problem(doc.path, doc.line(loc), field_name(loc),
                          f"reads at US grade {level:.1f}; {'member' if member else 'coach'} "
                          f"text reads at grade {limit:.0f} or below: use shorter sentences "
                          "(about 15 words) and everyday words (see 'Reading level' in "
                          "docs/writing-guide.md)",
                          severity="error" if member else "warning")


GRADES_FILE = "reading-levels.json"
"""In ``build/``: the grade of every text the last build measured, by a hash of the text, so
that the next build measures only the texts that changed (measuring loads a pronouncing
dictionary of 135,000 words first)."""
_measured: dict[str, float] = {}
"""The grades measured or read in this process, by ``_key``."""
_used: set[str] = set()
"""The keys of the texts measured since ``grades_kept`` began."""


def grade(text: str) -> float:
    """The Flesch-Kincaid grade of a Markdown text, measured once per text (the live preview
    checks every text again after each save; a build reads the last build's grades)."""
    key = _key(text)
    _used.add(key)
    if key not in _measured:
        from generator.core.readability import grade as measured

        _measured[key] = measured(text)
    return _measured[key]


@contextmanager
def grades_kept(path: Path, keep: bool = True) -> Iterator[None]:
    """Read the grades a build kept in ``path`` (a file that is not as written is ignored:
    the texts are measured again), and afterwards (with ``keep``) keep there the grades of
    this build's texts."""
    before = ""
    with suppress(OSError, ValueError):
        before = path.read_text(encoding="utf-8")
        stored = json.loads(before)
        if isinstance(stored, dict) and stored.get("version") == _VERSION:
            _measured.update({key: value for key, value in stored.get("grades", {}).items()
                            if isinstance(key, str) and type(value) is float})
    _used.clear()
    yield
    kept = {key: _measured[key] for key in sorted(_used)}
    text = json.dumps({"version": _VERSION, "grades": kept})
    if keep and text != before:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_whole(path, lambda partial: partial.write_text(text, encoding="utf-8"))


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _written(doc: Document) -> dict[str, Any]:
    """A file's data as its writer wrote it: each placeholder (``{{ agency }}``) one word and
    each condition's marks (``{% if ... %}``) left out, so that the rules judge the writer's
    words and not the agency's name or address that fill them in."""
    data = pickle.loads(doc.written)[0] if doc.written else doc.data
    return _unfilled(data)


def _unfilled(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _unfilled(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unfilled(item) for item in value]
    if isinstance(value, str):
        return _TAG.sub("", _PLACEHOLDER.sub("it", value))
    return value


_PLACEHOLDER = re.compile(r"\{\{.*?\}\}", re.DOTALL)
_TAG = re.compile(r"\{%.*?%\}", re.DOTALL)


def _at(doc: Document, loc: Loc, message: str) -> Problem:
    return Problem(doc.path, doc.line(loc), field_name(loc), message)


def _as_warning(problem: Problem) -> Problem:
    return Problem(problem.path, problem.line, problem.field,
                   f"{problem.message} (before the draft is finished)", problem.excerpt,
                   severity="warning")


def _at_loc(data: Any, loc: Loc) -> Any:
    for key in loc:
        data = data[key]
    return data


def _joined(items: list[str]) -> str:
    return " ".join(items)


def _words(text: str) -> int:
    from generator.core.readability import plain_text

    return len(plain_text(text).split())
