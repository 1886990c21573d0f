"""Stage 5b: output that is never half-written.

A build writes into a fresh temporary folder next to ``site/`` and swaps it into place only
when everything succeeded; a failed or interrupted build leaves the last good ``site/`` as it
was. Leftovers of a killed build are removed by the next one, and said when they cannot be.
One build at a time writes in a project folder: a second one waits for the first.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.core.errors import Problem

BUILD_DIR = Path("build")
"""Generated pages, engine configs and stamps (git-ignored), inside the project."""
STAGING_PREFIX = ".site-"
LOCK_FILE = BUILD_DIR / "build.lock"
"""Held (``flock``) by the build writing in the project folder; the file itself may stay."""
WAITING = "another build is running in this folder; waiting for it to finish"


@contextmanager
def build_lock(root: Path, waiting: Callable[[str], None]) -> Iterator[None]:
    """Hold the project folder for one build; a second build calls ``waiting`` once and
    waits for the first to end.

    The system releases an ``flock`` when the last process holding it ends, so the lock
    file of a killed build never blocks the next one. The PDF workers a build forks share
    its lock: the next build starts only when they are gone too.
    """
    path = root / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "ab") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting(WAITING)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


@contextmanager
def writing_into(folder: Path) -> Iterator[None]:
    """Let an OSError raised while writing into ``folder`` name a path: a write that finds
    the disk full raises one with no file name."""
    try:
        yield
    except OSError as error:
        if error.filename is None:
            error.filename = str(folder)
        raise


def write_whole(target: Path, write: Callable[[Path], None]) -> None:
    """Write ``target`` through ``write`` into a temporary file of its own beside it, then
    put it in place: never half-written, and two commands writing it at once both end with
    a whole file. A folder that cannot be written is named (not the temporary file)."""
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}-", suffix=".partial",
                                        dir=target.parent)
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(target.parent)) from None
    os.close(handle)
    partial = Path(name)
    try:
        write(partial)
        partial.chmod(0o666 & ~process_umask())  # mkstemp's file is private; ours are not
        partial.replace(target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        if error.filename is None:  # a write that finds the disk full names no file
            error.filename = str(target)
        raise
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def clean_stale(root: Path) -> list[Problem]:
    """Remove temporary folders left behind by a build that was killed; return a warning
    for each that cannot be removed.

    Where the swap cannot be atomic (see :func:`_swap`) and a build was killed between its
    two renames, the old site is put back first.
    """
    site = root / "site"
    retired = sorted(root.glob(f"{STAGING_PREFIX}old-*"))
    if not site.exists() and retired:
        os.replace(retired[-1], site)
    return [warning for kind in ("new", "old")
            for stale in root.glob(f"{STAGING_PREFIX}{kind}-*")
            if stale.is_dir() or stale.is_symlink() for warning in _remove(stale)]


def _remove(folder: Path) -> list[Problem]:
    """Remove a temporary folder (a link: the link only); a warning when some of it
    stays."""
    try:
        if folder.is_symlink():
            folder.unlink()
        else:
            shutil.rmtree(folder)
    except OSError as error:
        shutil.rmtree(folder, ignore_errors=True)  # all that can go
        return [Problem(folder.name, 0, "",
                        f"a build's temporary folder could not be removed "
                        f"({error.strerror or error}); remove it yourself (if it is "
                        "immutable, `chattr -R -i` it first)", severity="warning")]
    return []


@contextmanager
def staged_site(root: Path, leftovers: list[Problem]) -> Iterator[Path]:
    """Yield an empty folder to build into; on success it becomes ``root/site``.

    A build that finds nothing to change removes the folder, and ``site/`` stays as it is.
    Temporary folders that cannot be removed are added to ``leftovers`` as warnings.
    """
    site = root / "site"
    if site.is_symlink():  # the swap would replace the link, never reach its folder
        raise NotADirectoryError(errno.ENOTDIR, "a link, not a folder", str(site))
    if site.exists() and not site.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(site))
    leftovers.extend(clean_stale(root))
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}new-", dir=root))
    # mkdtemp makes a private (0700) folder; a site is for web servers and other users,
    # so it gets the mode any new folder gets, as MkDocs' own output does.
    staging.chmod(0o777 & ~process_umask())
    try:
        yield staging
        if staging.exists():
            _swap(staging, site, leftovers)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, site: Path, leftovers: list[Problem]) -> None:
    """Put the new site in place of the old one, in one step where the system can; on a
    failure the old site stays where it was."""
    if site.exists() and _exchange(staging, site):
        leftovers.extend(_remove(staging))  # now holds the previous site
        return
    retired = site.with_name(f"{STAGING_PREFIX}old-{os.getpid()}")
    if not site.exists():
        os.replace(staging, site)
        return
    os.replace(site, retired)
    try:
        os.replace(staging, site)
    except BaseException:
        os.replace(retired, site)
        raise
    leftovers.extend(_remove(retired))


def process_umask() -> int:
    """The process's umask (reading it means setting it, so it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP}
"""What ``renameat2`` says where the file system or the kernel cannot exchange."""


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux ``renameat2``); False where not supported.

    With the exchange there is no moment at which ``site/`` is missing or mixed. Any other
    failure (an immutable ``site/``, say) is raised, naming the folder.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(first.resolve()), _AT_FDCWD,
                 os.fsencode(second.resolve()), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(second))


_PR_SET_PDEATHSIG = 1


def die_with(build: int) -> None:
    """Start a worker process (a PDF's, a site engine's) so that it ends with the build
    that started it, however the build ends (``kill -9`` included), instead of writing on
    beside the next build."""
    try:
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # no prctl (not Linux): the check below still stops a late start
    try:
        os.kill(build, 0)  # the build may have ended before the signal was asked for
    except ProcessLookupError:
        os._exit(1)
