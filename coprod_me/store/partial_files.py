"""Files written whole or not at all, and the partial files a killed run left behind.

A file we produce (a report, a backup) is written to a hidden partial file beside it,
``.STEM.XXXXXXXX.EXT.partial`` (``XXXXXXXX`` as ``tempfile.mkstemp`` draws it), held open
from its creation to the rename that puts it in place. A run killed on the way leaves the
partial behind; the next write into that folder removes such orphans: only names of that
shape, regular files of this user, last changed before this process started and open in
no process. Where open files cannot be seen (no ``/proc``), only partials a day old go.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from coprod_me.model.errors import DomainError
from coprod_me.model.new_files import as_new_file
from coprod_me.store.file_holders import can_see_processes, open_anywhere

SUFFIX = ".partial"
#: ``.STEM.`` + the eight characters mkstemp draws + ``.EXT`` (if any) + ``.partial``
ORPHAN_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}(\.[A-Za-z0-9]+)?\.partial$")
#: without a view of the open files, a partial this old is taken to be abandoned
UNSEEN_AGE = 24 * 3600
#: this process's start, near enough: a partial changed since may belong to a run still
#: writing (started before this one, not yet renamed); it waits for a later run
STARTED = time.time()


def abandoned(paths: Iterable[Path]) -> list[Path]:
    """Those of ``paths`` that are regular files of this user, changed before this process
    started (a day ago where open files cannot be seen) and open in no process."""
    seen = can_see_processes()
    before = STARTED if seen else time.time() - UNSEEN_AGE
    old = []
    for path in paths:
        try:
            st = path.lstat()
        except OSError:
            continue
        if not path.is_file() or path.is_symlink() or st.st_mtime >= before:
            continue
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            continue  # another user's: not ours to judge
        old.append(path)
    if not seen or not old:
        return old
    held = open_anywhere(old)
    return [p for p in old if p not in held]


def orphans(folder: Path) -> list[Path]:
    """The partial files in ``folder`` that no running writer owns."""
    try:
        named = [Path(e.path) for e in os.scandir(folder) if ORPHAN_NAME.match(e.name)]
    except OSError:
        return []
    return abandoned(named)


def remove(paths: Iterable[Path]) -> list[Path]:
    """Remove ``paths``; returns those removed (one gone meanwhile is skipped)."""
    removed = []
    for path in paths:
        try:
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


def check_output(output: Path | str, suffix: str | None, what: str) -> Path:
    """Refuse, before any work, an output the writer cannot produce: a name not ending in
    ``suffix`` ("{name}: {what}; name it .xlsx"), a missing folder, a folder's name."""
    output = Path(output)
    if suffix is not None and output.suffix.lower() != suffix:
        raise DomainError(f"{output.name}: {what}; name it {suffix}")
    if not output.parent.is_dir():
        raise DomainError(f"folder {output.parent} does not exist; create it first")
    if output.is_dir():
        raise DomainError(f"{output} is a folder; give a file name ending in "
                          f"{suffix or output.suffix or 'a file type'}")
    return output


@contextmanager
def partial_file(target: Path) -> Iterator[Path]:
    """A hidden partial file beside ``target`` to write; renamed over ``target`` when the
    block ends normally, removed when it fails. Orphans in the folder are removed first.

    The partial stays open in this process until then, so that no other run takes it for
    an orphan.
    """
    target = Path(target)
    remove(orphans(target.parent))
    fd, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix + SUFFIX,
                                dir=target.parent)
    tmp = Path(name)
    try:
        yield tmp
        as_new_file(tmp)  # mkstemp made it private (0600); the output is an ordinary file
        if os.name == "nt":  # Windows renames no open file
            os.close(fd)
            fd = -1
        os.replace(tmp, target)  # atomic on one file system: the whole file or none
    finally:
        if fd >= 0:
            os.close(fd)
        tmp.unlink(missing_ok=True)
