"""`curriculum check` and the JSON Schemas editors use agree: every shipped file passes a
standard validator with format checks on, and a corpus of edits is accepted or refused by
both alike."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from conftest import PROJECT, ROOTS
from generator.core.errors import Problem
from generator.core.load import validate
from generator.core.parse import COLLECTIONS, Document, parse

SCHEMAS = PROJECT / "schemas"
KIND_FILES = {kind: PROJECT / "content" / folder for folder, kind in COLLECTIONS.items()}


@pytest.mark.parametrize("kind", [*KIND_FILES, "program", "agency"])
def test_every_shipped_file_passes_its_schema_in_a_standard_validator(kind):
    if kind in KIND_FILES:
        files = sorted(KIND_FILES[kind].glob("*.yml"))
    else:
        files = [PROJECT / "content" / f"{kind}.yml"]
    examples = PROJECT / "examples" / "riverside" / "content"
    files += sorted((examples / f"{kind}s").glob("*.yml")) if kind in KIND_FILES else (
        [examples / f"{kind}.yml"] if (examples / f"{kind}.yml").is_file() else [])
    assert files
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--schemafile", str(SCHEMAS / f"{kind}.schema.json"),
                             *map(str, files)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _document(kind: str) -> Document:
    folder = {"lesson": "lessons", "form": "forms", "session": "sessions"}.get(kind)
    path = (ROOTS / "valid-minimal" / "content" / folder / {
        "lesson": "sample-lesson.yml", "form": "sample-form.yml",
        "session": "standard-session.yml"}[kind]) if folder else (
        ROOTS / "valid-minimal" / "content" / f"{kind}.yml")
    problems: list[Problem] = []
    doc = parse(path, path.name, kind, problems)
    assert doc is not None and not problems
    return doc


def _set(data, where: tuple, value) -> None:
    for part in where[:-1]:
        data = data[part]
    if value is _DELETE:
        del data[where[-1]]
    else:
        data[where[-1]] = value


class _Delete:
    """The field is removed (shown as such in the test's name)."""

    def __repr__(self) -> str:
        return "removed"


_DELETE = _Delete()
EDITS = [
    # (kind, where, value, accepted)
    ("lesson", ("timing", 0, "minutes"), 5, True),
    ("lesson", ("timing", 0, "minutes"), "4", False),
    ("lesson", ("timing", 0, "minutes"), True, False),
    ("lesson", ("timing", 0, "minutes"), 4.5, False),
    ("lesson", ("timing", 0, "minutes"), 0, False),
    ("lesson", ("timing", 0, "grouping"), "everyone", False),
    ("lesson", ("sequence",), "first", False),
    ("lesson", ("id",), "Sample Lesson", False),
    ("lesson", ("safety", "may_stir_feelings"), "yes", False),
    ("lesson", ("safety", "may_stir_feelings"), False, True),
    ("lesson", ("summary",), _DELETE, False),
    ("lesson", ("summry",), "A typo of a field", False),
    ("lesson", ("key_takeaways",), ["one", "two", "three", "four"], False),
    ("form", ("sections", 0, "fields", 0, "required"), "true", False),
    ("form", ("sections", 0, "fields", 0, "lines"), 3, True),
    ("form", ("sections", 0, "fields", 0, "type"), "calendar", False),
    ("form", ("fills_in",), "together", True),
    ("form", ("fills_in",), "everyone", False),
    ("session", ("minutes",), "90", False),
    ("session", ("kind",), "outing", True),
    ("session", ("kind",), "party", False),
    ("program", ("edition",), "2027", False),
    ("program", ("edition_date",), "2027-02-30", False),
    ("program", ("edition_date",), "2027-02-28", True),
    ("program", ("previous_edition",), 2027.1, True),
    ("agency", ("meeting", "time"), "14:00", True),
    ("agency", ("meeting", "time"), "2pm", False),
    ("agency", ("meeting", "time"), "14:00:00", False),
    ("agency", ("meeting", "cadence"), "monthly", False),
    ("agency", ("meeting", "start_date"), "2027-01-13", True),
    ("agency", ("paper_size",), "A4", True),
    ("agency", ("paper_size",), "tabloid", False),
    ("agency", ("budget", "amount"), -5, False),
    ("agency", ("budget", "amount"), "50", False),
    ("agency", ("journals",), "member keeps", True),
    ("agency", ("journals",), "shredded", False),
    ("agency", ("site_url",), "https://peer.example.org/", True),
]


@pytest.mark.parametrize("kind, where, value, accepted", EDITS,
                         ids=[f"{kind}:{'.'.join(map(str, where))}={value!r}"
                              for kind, where, value, _ in EDITS])
def test_check_and_the_schema_accept_and_refuse_the_same_edits(kind, where, value, accepted):
    doc = _document(kind)
    doc.data = copy.deepcopy(doc.data)
    _set(doc.data, where, value)
    problems: list[Problem] = []
    by_check = validate(doc, problems) is not None
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    errors = list(Draft202012Validator(schema, format_checker=FormatChecker())
                  .iter_errors(doc.data))
    by_schema = not errors
    assert (by_check, by_schema) == (accepted, accepted), (
        [str(problem) for problem in problems], [error.message for error in errors])
