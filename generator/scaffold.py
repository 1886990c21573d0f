"""``curriculum new``: start a content file from a template that already passes ``check``."""

from __future__ import annotations

import os
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from generator.load import find_files

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def new_lesson(root: Path, lesson_id: str, folder: Path | None = None) -> Path:
    """Write ``content/lessons/<id>.yml`` in the project, or in the overlay ``folder``;
    refuse a bad id or an existing file."""
    if not ID_PATTERN.match(lesson_id) or len(lesson_id) > 60:
        raise ValueError(f"'{lesson_id}' is not a valid id: use lower-case letters, digits and "
                         "single hyphens, e.g. 'active-listening'")
    target = (folder or root) / "content" / "lessons" / f"{lesson_id}.yml"
    if target.exists():
        raise ValueError(f"{target} already exists")
    lessons = sum(1 for _, kind in find_files(root) if kind == "lesson")
    env = Environment(loader=FileSystemLoader(str(root / "templates" / "new")),
                      undefined=StrictUndefined, keep_trailing_newline=True)
    text = env.get_template("lesson.yml.j2").render(
        id=lesson_id, title=lesson_id.replace("-", " ").capitalize(), sequence=lessons + 1)
    target.parent.mkdir(parents=True, exist_ok=True)
    schema = os.path.relpath(root / "schemas" / "lesson.schema.json", target.parent)
    text = text.replace("$schema=../../schemas/lesson.schema.json", f"$schema={schema}", 1)
    target.write_text(text, encoding="utf-8")
    return target
