"""Stage 5b: output that is never half-written.

A build writes into a fresh temporary folder next to ``site/`` and swaps it into place only
when everything succeeded; a failed or interrupted build leaves the last good ``site/`` as it
was. Leftovers of a killed build are removed by the next one.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STAGING_PREFIX = ".site-"


def clean_stale(root: Path) -> None:
    """Remove temporary folders left behind by a build that was killed.

    Where the swap cannot be atomic (see :func:`_swap`) and a build was killed between its
    two renames, the old site is put back first.
    """
    site = root / "site"
    retired = sorted(root.glob(f"{STAGING_PREFIX}old-*"))
    if not site.exists() and retired:
        os.replace(retired[-1], site)
    for stale in root.glob(f"{STAGING_PREFIX}*"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)


@contextmanager
def staged_site(root: Path) -> Iterator[Path]:
    """Yield an empty folder to build into; on success it becomes ``root/site``.

    A build that finds nothing to change removes the folder, and ``site/`` stays as it is.
    """
    clean_stale(root)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}new-", dir=root))
    # mkdtemp makes a private (0700) folder; a site is for web servers and other users,
    # so it gets the mode any new folder gets, as MkDocs' own output does.
    staging.chmod(0o777 & ~_umask())
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if not staging.exists():
        return
    site = root / "site"
    if site.exists() and _exchange(staging, site):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the previous site
        return
    retired = root / f"{STAGING_PREFIX}old-{os.getpid()}"
    if site.exists():
        os.replace(site, retired)
    os.replace(staging, site)
    shutil.rmtree(retired, ignore_errors=True)


def _umask() -> int:
    """The process's umask (reading it means setting it, so it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux ``renameat2``); False where not supported.

    With the exchange there is no moment at which ``site/`` is missing or mixed.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    return renameat2(_AT_FDCWD, os.fsencode(first.resolve()), _AT_FDCWD,
                     os.fsencode(second.resolve()), _RENAME_EXCHANGE) == 0
