"""Stage 5b: output that is never half-written.

A build writes into a fresh temporary folder next to ``site/`` and swaps it into place only
when everything succeeded; a failed or interrupted build leaves the last good ``site/`` as it
was. Leftovers of a killed build are removed by the next one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STAGING_PREFIX = ".site-"


def clean_stale(root: Path) -> None:
    """Remove temporary folders left behind by a build that was killed."""
    for stale in root.glob(f"{STAGING_PREFIX}*"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)


@contextmanager
def staged_site(root: Path) -> Iterator[Path]:
    """Yield an empty folder to build into; on success it becomes ``root/site``."""
    clean_stale(root)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}new-", dir=root))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    site = root / "site"
    retired = root / f"{STAGING_PREFIX}old-{os.getpid()}"
    if site.exists():
        os.replace(site, retired)
    os.replace(staging, site)
    shutil.rmtree(retired, ignore_errors=True)
