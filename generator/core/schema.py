"""JSON Schema files for editors: content files name them in their first line."""

from __future__ import annotations

import json
from pathlib import Path

from generator.core.models import KINDS


def write_schemas(root: Path) -> list[Path]:
    """Write ``schemas/<kind>.schema.json`` for every content kind."""
    folder = root / "schemas"
    folder.mkdir(exist_ok=True)
    written = []
    for kind, model in KINDS.items():
        path = folder / f"{kind}.schema.json"
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        path.write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")
        written.append(path.relative_to(root))
    return written
