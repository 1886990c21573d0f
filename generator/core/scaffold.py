"""``curriculum new``: start a lesson as a draft from the template; ``check`` lists what is
left to fill in."""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from generator.core.errors import RequestError, texts
from generator.core.parse import find_files

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _render(root: Path, lesson_id: str, sequence: int) -> str:
    env = Environment(loader=FileSystemLoader(str(root / "templates" / "new")),
                      undefined=StrictUndefined, keep_trailing_newline=True)
    return env.get_template("lesson.yml.j2").render(
        id=lesson_id, title=lesson_id.replace("-", " ").capitalize(), sequence=sequence)


@cache
def template_texts(root: Path) -> frozenset[str]:
    """The new-lesson template's lines to fill in ("Write ..."), as a lesson holds them
    until someone does."""
    template = root / "templates" / "new" / "lesson.yml.j2"
    if not template.is_file():
        return frozenset()
    data = yaml.safe_load(_render(root, "new-lesson", 1))
    return frozenset(" ".join(text.split()) for _, text in texts(data)
                     if text.startswith("Write"))


def new_lesson(root: Path, lesson_id: str, folder: Path | None = None) -> Path:
    """Write ``content/lessons/<id>.yml`` in the project, or in the overlay ``folder``;
    refuse a bad id or an existing file."""
    if not ID_PATTERN.match(lesson_id) or len(lesson_id) > 60:
        raise RequestError(f"'{lesson_id}' is not a valid id: use lower-case letters, digits and "
                         "single hyphens, e.g. 'active-listening'")
    target = (folder or root) / "content" / "lessons" / f"{lesson_id}.yml"
    if target.exists():
        raise RequestError(f"{target} already exists")
    lessons = sum(1 for _, kind in find_files(root) if kind == "lesson")
    text = _render(root, lesson_id, lessons + 1)
    target.parent.mkdir(parents=True, exist_ok=True)
    schema = os.path.relpath(root / "schemas" / "lesson.schema.json", target.parent)
    text = text.replace("$schema=../../schemas/lesson.schema.json", f"$schema={schema}", 1)
    target.write_text(text, encoding="utf-8")
    return target
