"""The user-facing errors: one format, ``path:line: field: message``, all reported at once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from generator.core.characters import visible

Loc = tuple[str | int, ...]
"""Where a value sits in a file's data: keys and list indexes from the top."""


def texts(value: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Every string in a file's data, with where it sits."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from texts(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from texts(item, (*loc, index))
    elif isinstance(value, str):
        yield loc, value


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, located in a file."""

    path: str
    line: int
    """The line in ``path``; 0 for a file that has no lines to point at (a PDF)."""
    field: str
    message: str
    excerpt: str = ""
    """The offending line with a caret under the spot, shown below the message."""

    def __str__(self) -> str:
        line = f":{self.line}" if self.line else ""
        text = f"{self.path}{line}: {self.field}: {self.message}"
        # a message may quote the input: no escape sequence of it reaches the terminal
        return visible(f"{text}\n{self.excerpt}" if self.excerpt else text)


def excerpt(text: str, line: int, column: int) -> str:
    """Line ``line`` (from 1) of ``text``, indented, with a caret under ``column`` (from 0),
    as Jinja and Click show a mistake."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    shown = lines[line - 1].replace("\t", " ")
    return f"    {shown}\n    {' ' * min(column, len(shown))}^"


class ContentError(Exception):
    """The content has problems; the command exits with code 1 after printing them all."""

    exit_code = 1

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(map(str, self.problems)))


def field_name(loc: Loc) -> str:
    """A location as messages show it: ``timing[2].minutes``."""
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "file"


class EngineError(Exception):
    """A tool the build runs failed (the site engine, a process writing the PDFs); its
    message says why and what to do. The command exits with code 1."""

    exit_code = 1
