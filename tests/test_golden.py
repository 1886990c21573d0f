"""The generated pages of the shipped content and of the example overlay are exactly those
recorded in ``tests/golden/`` (regenerate: ``.venv/bin/python tests/golden.py``), so that a
change to the code that moves things around changes no page a reader sees."""

from __future__ import annotations

import difflib

import pytest

from golden import GOLDEN, PROJECTS, rendered


@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_generated_pages_match_their_snapshots(name: str) -> None:
    folder = GOLDEN / name
    recorded = {path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
                for path in folder.rglob("*") if path.is_file()}
    made = rendered(PROJECTS[name])
    assert sorted(made) == sorted(recorded), "pages added or gone"
    changed = [path for path in sorted(made) if made[path] != recorded[path]]
    first = "".join(difflib.unified_diff(recorded[changed[0]].splitlines(True),
                                         made[changed[0]].splitlines(True),
                                         changed[0], changed[0], n=2)) if changed else ""
    assert not changed, f"{len(changed)} pages differ from their snapshots, first:\n{first[:3000]}"
