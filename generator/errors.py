"""The user-facing errors: one format, ``path:line: field: message``, all reported at once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

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

    def __str__(self) -> str:
        line = f":{self.line}" if self.line else ""
        return f"{self.path}{line}: {self.field}: {self.message}"


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
