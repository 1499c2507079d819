"""Every edit is an undoable command whose redo and undo call the services.

The change is made (and validated by the service) before the command is pushed, so a
refused edit never reaches the stack; the first ``redo`` that QUndoStack.push triggers is
therefore skipped.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack


class ServiceEdit(QUndoCommand):
    def __init__(self, text: str, do: Callable[[], object], undo: Callable[[], object],
                 after: Callable[[], object] | None = None) -> None:
        super().__init__(text)
        self._do = do
        self._undo = undo
        self._after = after or (lambda: None)
        self._done = True  # made already, before the push

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._do()
        self._after()

    def undo(self) -> None:
        self._undo()
        self._after()


def apply_edit(stack: QUndoStack, text: str, do: Callable[[], object],
               undo: Callable[[], object], after: Callable[[], object] | None = None) -> None:
    """Make the change now (a DomainError propagates, nothing is pushed), then record it."""
    do()
    stack.push(ServiceEdit(text, do, undo, after))
    if after is not None:
        after()
