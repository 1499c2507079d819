"""The callbacks long work takes, so services need no Qt and tests need no threads."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: progress(done, total, message)
Progress = Callable[[int, int, str], None]
#: asked now and then; True means the user pressed Cancel
IsCancelled = Callable[[], bool]


def no_progress(_done: int, _total: int, _message: str) -> None:
    return None


def never() -> bool:
    return False


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection during bulk work (an import plan, a risk snapshot).

    Such work allocates hundreds of thousands of small objects that live until it ends and
    form no reference cycles, so every collection meanwhile rescans them for nothing (a third
    of the time at 100,000 rows); reference counting still frees everything as usual. What
    the pause allocated and keeps joins the oldest generation directly (freeze, unfreeze)
    instead of being scanned by a young collection the moment the collector is back.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.freeze()
            gc.unfreeze()
            gc.enable()
