"""The user-facing errors: one format, ``path:line: field: message``, all reported at once."""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

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


Severity = Literal["error", "warning"]
"""An error stops the command; a warning is shown and the command goes on (a strict run,
``--strict``, fails on it too)."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, located in a file, shown as
    ``path:line: field: message`` (``path:line: field: warning: message`` for a warning)."""

    path: str
    """The file, as the person running the command names it."""
    line: int
    """The line in ``path``; 0 for a file that has no lines to point at (a PDF)."""
    field: str
    """Where in the file: ``timing[2].minutes``; empty for the file as a whole."""
    message: str
    """What is wrong, and what to do about it."""
    excerpt: str = ""
    """The offending line with a caret under the spot, shown below the message."""
    severity: Severity = "error"
    """Whether it stops the command (an error) or is shown while it goes on (a warning)."""

    def __str__(self) -> str:
        line = f":{self.line}" if self.line else ""
        label = "warning: " if self.severity == "warning" else ""
        field = f"{self.field}: " if self.field else ""
        text = f"{self.path}{line}: {field}{label}{self.message}"
        # a message may quote the input: no escape sequence of it reaches the terminal
        return visible(f"{text}\n{self.excerpt}" if self.excerpt else text)


def failing(problems: Iterable[Problem], strict: bool = False) -> list[Problem]:
    """The problems that fail a command: its errors, and in a strict run its warnings too."""
    return [problem for problem in problems if strict or problem.severity == "error"]


def excerpt(text: str, line: int, column: int) -> str:
    """Line ``line`` (from 1) of ``text``, indented, with a caret under ``column`` (from 0),
    as Jinja and Click show a mistake."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    shown = lines[line - 1].replace("\t", " ")
    return f"    {shown}\n    {' ' * min(column, len(shown))}^"


class UserError(Exception):
    """A mistake or a fault that the person running the command can put right, said in
    words: the command prints it, without a traceback, and exits with ``exit_code``. Any
    other exception is a bug and keeps its traceback."""

    exit_code = 1
    """1 for the content and the tools a build runs; 2 for a request that cannot be carried
    out, reported as a usage error."""


class ContentError(UserError):
    """The content has problems; the command exits with code 1 after printing them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(map(str, self.problems)))


def field_name(loc: Loc) -> str:
    """A location as messages show it: ``timing[2].minutes``."""
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "file"


class EngineError(UserError):
    """A tool the build runs failed (the site engine, a process writing the PDFs); its
    message says why and what to do. The command exits with code 1."""


class RequestError(UserError):
    """A request that cannot be carried out (an id that is not valid, a file that already
    exists, an edition that cannot be opened); reported as a usage error, exit code 2."""

    exit_code = 2
