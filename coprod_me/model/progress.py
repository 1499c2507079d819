"""The callbacks long work takes, so services need no Qt and tests need no threads."""

from __future__ import annotations

from collections.abc import Callable

#: progress(done, total, message)
Progress = Callable[[int, int, str], None]
#: asked now and then; True means the user pressed Cancel
IsCancelled = Callable[[], bool]


def no_progress(_done: int, _total: int, _message: str) -> None:
    return None


def never() -> bool:
    return False
