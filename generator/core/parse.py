"""Stage 1a: read one content file safely into a Document that keeps every key's line.

YAML is read with the YAML 1.2 scalar rules (``14:00`` and ``no`` stay text), no object
tags, a size and alias-bomb limit, and duplicate keys reported at their line; every YAML
mistake is explained with its cause, how to fix it and the offending line.
"""

from __future__ import annotations

import os
import pickle
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from generator.core import files
from generator.core.characters import describe
from generator.core.errors import Loc, Problem, excerpt
from generator.core.project import Project

MAX_FILE_BYTES = 1_000_000
"""Content files above this size are refused: a lesson is about 20 kB."""
MAX_NODES = 100_000
"""A file that expands to more YAML nodes than this (an alias bomb) is refused."""


# YAML 1.1 reads `14:00` as the number 840 and `no` as false; content authors mean text.
# Keep only the YAML 1.2 forms of booleans, integers and floats.
_BOOL, _INT, _FLOAT = (f"tag:yaml.org,2002:{t}" for t in ("bool", "int", "float"))


class _Loader(yaml.SafeLoader):
    """SafeLoader (no object tags) with YAML 1.2 scalars; its errors say where and why."""


class _FastLoader(yaml.CSafeLoader):
    """The same rules on libyaml's parser, several times faster; used first."""


# Dates stay text too, so that the models check them and report a bad one at its line.
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
for _reader in (_Loader, _FastLoader):
    _reader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers
                if tag not in (_BOOL, _INT, _FLOAT, _TIMESTAMP)]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    _reader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                  list("tTfF"))
    _reader.add_implicit_resolver(_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"),
                                  list("-+0123456789"))
    _reader.add_implicit_resolver(
        _FLOAT, re.compile(r"^[-+]?[0-9]+\.[0-9]+(?:[eE][-+]?[0-9]+)?$"), list("-+0123456789"))


_LINE_BREAKING = re.compile("[\x85\u2028\u2029]")
"""Characters YAML 1.1 reads as line breaks, though no editor shows them as one."""


@dataclass
class Document:
    """One parsed content file: its data and the line of every key and list item."""

    path: str
    kind: str
    data: dict[str, Any]
    lines: dict[Loc, int] = field(default_factory=dict)
    written: bytes = b""
    """The file's data as read, before anything filled it in (pickled): a key for what
    depends on the file as written only, which is worked out once per process."""

    def line(self, loc: Loc) -> int:
        """The line of ``loc``, or of its closest written parent."""
        for end in range(len(loc), 0, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return 1


COLLECTIONS = {"lessons": "lesson", "forms": "form", "sessions": "session",
               "chapters": "chapter"}
"""Content folders holding one item per file, and the kind of item in each."""


def find_files(folder: Path, overlay: bool = False) -> list[tuple[Path, str]]:
    """Every content file under ``folder/content`` with its kind, in a stable order.

    An overlay folder may also hold ``content/overlay.yml``.
    """
    content = folder / "content"
    found: list[tuple[Path, str]] = []
    for sub, kind in COLLECTIONS.items():
        for path in sorted((content / sub).glob("*")):
            # not only ordinary files: a pipe or device is refused with a message
            if path.suffix in (".yml", ".yaml") and not path.is_dir():
                found.append((path, kind))
    for name in ("program", "agency", "overlay") if overlay else ("program", "agency"):
        for suffix in (".yml", ".yaml"):
            if os.path.lexists(content / f"{name}{suffix}"):
                found.append((content / f"{name}{suffix}", name))
                break
    return found


def parse(path: Path, shown: str, kind: str, problems: list[Problem],
          project: Project | None = None) -> Document | None:
    """Read one YAML file into a Document; report problems instead of raising. A file of
    the ``project`` may not be a link that leads out of it."""

    def fail(line: int, message: str, what: str = "file") -> None:
        problems.append(Problem(shown, line, what, message))

    if project is not None and (outside := files.link_problem(project, path)):
        problems.append(outside)
        return None
    try:
        raw = files.read_bytes(path, MAX_FILE_BYTES,
                               "outcomes files" if kind == "outcomes" else "content files",
                               ". Split it or remove pasted material")
    except files.Refused as refused:
        fail(1, str(refused))
        return None
    except OSError as error:
        fail(1, f"the file cannot be read ({error.strerror or error})")
        return None
    parsed, found = _parsed(raw, shown, kind)
    problems.extend(found)
    if parsed is None:
        return None
    data, lines = pickle.loads(parsed)  # a copy of its own: it is localized and filled in place
    return Document(shown, kind, data, lines, parsed)


@lru_cache(maxsize=512)
def _parsed(raw: bytes, shown: str, kind: str) -> tuple[bytes | None, tuple[Problem, ...]]:
    """A file's bytes read into its data and lines (pickled; None when it cannot be read),
    with the problems met; once per process for the same bytes, name and kind, since each
    edition of a build reads every content file."""
    problems: list[Problem] = []
    doc = _read(raw, shown, kind, problems)
    parsed = None if doc is None else pickle.dumps((doc.data, doc.lines), pickle.HIGHEST_PROTOCOL)
    return parsed, tuple(problems)


def _read(raw: bytes, shown: str, kind: str, problems: list[Problem]) -> Document | None:
    def fail(line: int, message: str, what: str = "file") -> None:
        problems.append(Problem(shown, line, what, message))

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        fail(line, f"this line has a character that is not UTF-8 (byte 0x{raw[error.start]:02x}, "
                   "often a curly quote pasted from a word processor). Re-save the file as UTF-8")
        return None
    breaking = _LINE_BREAKING.search(text)
    if breaking:  # YAML would silently read it as a new line and report a puzzling mistake
        line = text[:breaking.start()].count("\n") + 1
        fail(line, f"this line holds {describe(breaking[0])}, which YAML reads as a line "
                   "break; delete it or press Enter instead")
        return None
    loader: yaml.SafeLoader | yaml.CSafeLoader = _FastLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError:  # read again by the pure-Python parser, whose messages are clearer
            loader.dispose()
            loader = _Loader(text)
            node = loader.get_single_node()
        if node is None:
            fail(1, f"the file is empty; a {kind} file is a mapping of fields (key: value)")
            return None
        lines: dict[Loc, int] = {(): node.start_mark.line + 1}
        if not _walk(node, (), lines, {}, shown, problems):
            return None
        if not isinstance(node, yaml.MappingNode):
            found = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
            fail(node.start_mark.line + 1,
                 f"a {kind} file must be a mapping of fields (key: value), but this is {found}")
            return None
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        line, column, message = _yaml_problem(error, text)
        problems.append(Problem(shown, line, "syntax", message, excerpt(text, line, column)))
        return None
    except yaml.reader.ReaderError as error:  # a character YAML does not allow in a file
        line = text[:error.position].count("\n") + 1
        column = error.position - text.rfind("\n", 0, error.position) - 1
        problems.append(Problem(shown, line, "syntax", (
            f"this line holds {describe(chr(error.character))}, which YAML does not allow "
            "in a file; delete it (such characters often come along with pasted text)"),
            excerpt(text, line, column)))
        return None
    except yaml.YAMLError as error:
        fail(1, str(error).replace("\n", " "), "syntax")
        return None
    except RecursionError:
        fail(1, "the file is nested too deeply to read", "syntax")
        return None
    finally:
        loader.dispose()
    return Document(shown, kind, data, lines)


_KEY = re.compile(r"^(?P<indent> *)(?:- )?(?P<key>[^\s:#'\"][^:#]*?):(?P<rest>.*)$")


def _yaml_problem(error: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str]:
    """The line and column to blame and a message that names the likely cause and the fix.

    The YAML reader's own words ("mapping values are not allowed here") say where it gave
    up, not why; the common mistakes each have a recognisable shape on the line.
    """
    problem = (error.problem or "").strip()
    mark = error.problem_mark or error.context_mark
    at, column = (mark.line + 1, mark.column) if mark else (1, 0)
    started = error.context_mark.line + 1 if error.context_mark else at
    lines = text.splitlines()

    def line_text(number: int) -> str:
        return lines[number - 1] if 1 <= number <= len(lines) else ""

    if "could not determine a constructor" in problem:
        tag = problem.split("tag", 1)[-1].strip().strip("'").replace("tag:yaml.org,2002:", "!!")
        return started, max(line_text(started).find("!"), 0), (
            f"the tag {tag} is not allowed: content files hold plain text, "
            "numbers, lists and mappings only")
    if "found character '\\t'" in problem:
        return at, column, "a tab is used for indentation; indent with spaces only"
    if "quoted scalar" in (error.context or ""):
        opened = re.search(r"[\"']", line_text(started))
        return started, opened.start() if opened else 0, (
            f"the quoted text that starts on this line is never closed (the YAML reader gave "
            f"up on line {at}); add the closing quote")
    for opener, closer, what in (("[", "]", "flow sequence"), ("{", "}", "flow mapping")):
        if what in (error.context or ""):
            return started, max(line_text(started).find(opener), 0), (
                f"the '{opener}' on this line is never closed with "
                f"'{closer}' (the YAML reader gave up on line {at})")
    if "could not find expected ':'" in problem:
        squeezed = re.match(r"^ *(?:- )?([\w-]+):(\S.*)$", line_text(started))
        if squeezed:
            return started, len(line_text(started)) - len(squeezed[2]), (
                f"no space after the colon: write '{squeezed[1]}: {squeezed[2]}'")
        return started, 0, ("this line has no ':' after its key; write 'key: value', or put "
                            "text that holds a colon in quotes")
    if "mapping values are not allowed" in problem:
        return (at, *_colon_or_indent(line_text(at), line_text(at - 1), column))
    if "expected <block end>" in problem and "'-'" in problem:
        return at, column, ("a list item ('-') where a key was expected: remove the stray "
                            "'-', or put the list under a key with nothing after its colon")
    if "expected <block end>" in problem:
        return at, column, _indent_message(lines, at)
    if error.context and started != at:
        return at, column, f"{problem} ({error.context} on line {started})"
    return at, column, " ".join(filter(None, [error.context, problem])) or "the YAML cannot be read"


def _colon_or_indent(line: str, above: str, column: int) -> tuple[int, str]:
    """"Mapping values are not allowed": a colon inside unquoted text, or a line indented
    deeper than the value above it."""
    found = _KEY.match(line)
    if found and column > len(found["indent"]) + len(found["key"]) + (2 if line.lstrip()
                                                                       .startswith("- ") else 0):
        value = found["rest"].strip()
        return column, (f"the text after '{found['key']}:' holds ': ', which YAML reads "
                              f"as another key; put the whole text in quotes: "
                              f"{found['key']}: \"{value}\"")
    indent = len(line) - len(line.lstrip(" "))
    before = len(above) - len(above.lstrip(" "))
    return indent, (f"this line is indented {indent} spaces, more than the line above "
                          f"({before}), so YAML reads it as part of that line's value; line "
                          "it up with the other keys of its mapping")


def _indent_message(lines: list[str], at: int) -> str:
    """A key indented differently from the keys of its mapping above it."""
    line = lines[at - 1] if 1 <= at <= len(lines) else ""
    indent = len(line) - len(line.lstrip(" "))
    for above in reversed(lines[:at - 1]):
        stripped = above.lstrip(" ")
        if stripped and not stripped.startswith("#"):
            other = len(above) - len(stripped)
            if other != indent:
                return (f"this line is indented {indent} spaces, but the line above uses "
                        f"{other}; keys of the same mapping line up exactly")
            break
    return "this line does not line up with the keys of its mapping; check its indentation"


def _walk(node: yaml.Node, loc: Loc, lines: dict[Loc, int], sizes: dict[int, int],
          shown: str, problems: list[Problem]) -> bool:
    """Record lines, report duplicate keys, and refuse alias bombs before building data."""
    if _size(node, sizes) > MAX_NODES:
        problems.append(Problem(shown, node.start_mark.line + 1, "file",
                                f"the file expands to more than {MAX_NODES:,} values "
                                "(anchors and aliases nested in each other); refused"))
        return False
    ok = True
    if isinstance(node, yaml.MappingNode):
        first_seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            line = key_node.start_mark.line + 1
            if key in first_seen:  # reported, and the file is still checked in full
                where = ".".join(map(str, (*loc, key)))
                problems.append(Problem(shown, line, where,
                                        f"duplicate key '{key}' (first set on line "
                                        f"{first_seen[key]}); keep only one (until then the "
                                        "last one is used)"))
            first_seen.setdefault(key, line)
            lines[(*loc, key)] = line  # the value used is the last one
            ok = _walk(value_node, (*loc, key), lines, sizes, shown, problems) and ok
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*loc, index)] = item.start_mark.line + 1
            ok = _walk(item, (*loc, index), lines, sizes, shown, problems) and ok
    return ok


def _size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """Number of values the node expands to; shared (aliased) nodes are counted each time."""
    key = id(node)
    if key in sizes:
        if sizes[key] < 0:
            return MAX_NODES + 1  # an alias inside its own anchor: infinite
        return sizes[key]
    sizes[key] = -1
    total = 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            total += _size(key_node, sizes) + _size(value_node, sizes)
            if total > MAX_NODES:
                break
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            total += _size(item, sizes)
            if total > MAX_NODES:
                break
    sizes[key] = total
    return total
