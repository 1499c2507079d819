"""The permissions a file we write should have: those any new file of the user gets.

``tempfile.mkstemp`` creates its file readable by its owner only (0600), whatever the user's
umask; a report or errors workbook written through it and renamed into place kept that mode,
so a colleague in the same group (or a shared folder's backup job) could not read it.
"""

from __future__ import annotations

import os
import threading

_LOCK = threading.Lock()


def umask() -> int:
    """The process's umask (read from /proc where it can be, so nothing changes it)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    with _LOCK:  # os.umask can only be read by setting it: set it back at once
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def new_file_mode() -> int:
    """0666 less the umask: the mode ``open(..., 'w')`` would have given the file."""
    return 0o666 & ~umask()


def as_new_file(path: str | os.PathLike[str]) -> None:
    """Give ``path`` (made by mkstemp) the mode a new file of this user has."""
    if os.name != "nt":  # Windows has no such mode bits
        os.chmod(path, new_file_mode())
