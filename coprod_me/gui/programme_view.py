"""What every programme view of the main window shares: its services, the window's undo
stack, the programme it shows, and the ``changed`` signal after an edit."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from coprod_me.services import Services


class ProgrammeView(QWidget):
    """A tab of the main window that shows one programme (or none).

    The window points it at a programme with ``set_programme`` (only when the tab is in
    front; a hidden one is filled when shown), hands it new services when the database is
    switched, and listens to ``changed``: a view emits it after an edit it made and after
    that edit's undo or redo, so the window can refresh the navigator and check the risks
    again. A subclass builds its widgets from parts and re-reads in ``reload``.
    """

    changed = Signal()

    def __init__(self, services: Services, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.undo_stack = undo_stack
        self.code: str | None = None

    def set_programme(self, code: str | None) -> None:
        """Show ``code`` (None: no programme selected; the view is disabled)."""
        self.code = code
        self.setEnabled(code is not None)
        self.reload()

    def set_services(self, services: Services) -> None:
        """Another database was opened: read and edit through its services from now on."""
        self.services = services

    def reload(self) -> None:
        """Read the programme shown again (after an edit elsewhere, an undo, a refresh)."""
        raise NotImplementedError
