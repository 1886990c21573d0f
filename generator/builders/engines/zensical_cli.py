"""Zensical, run through its command line: it reads the same generated config as MkDocs.

Zensical 0.0.73 (the newest that installs here) does not stem Spanish search and builds one
language per config, so MkDocs stays the default; ``tests/test_zensical.py`` records how its
site differs from MkDocs' one.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.core.errors import EngineError

PACKAGES = ("zensical",)
"""The installed packages whose versions shape the site."""


def build(config_file: Path) -> None:
    """Build the site in strict mode (a warning fails it). Zensical writes only inside the
    folder of its config file, so the config's ``site_dir`` must lie there."""
    executable = Path(sys.executable).with_name("zensical")
    if not executable.is_file():
        raise EngineError("Zensical is not installed: pip install -e '.[zensical]'")
    result = subprocess.run([str(executable), "build", "--clean", "--strict", "-f",
                             str(config_file)], capture_output=True, text=True)
    if result.returncode != 0:
        raise EngineError(f"the site engine failed:\n{result.stdout}{result.stderr}")
