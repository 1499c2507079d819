"""What an evaluator does to a flag: acknowledge it, mitigate it (owner, due date), close it as
resolved or as a false positive, or give it another severity (domain §0: a flag is a prompt
for judgement, not a verdict). Each action is one undoable step whose undo writes the flag
back as it was (``FlagRegisterService.restore``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QWidget

from coprod_me.gui.errors import show_domain_error
from coprod_me.gui.flag_dialogs import CloseDialog, MitigateDialog, OverrideDialog
from coprod_me.gui.undo_commands import apply_edit
from coprod_me.model.enums import FlagStatus
from coprod_me.model.errors import DomainError
from coprod_me.services.flag_register import CLOSED_STATUSES, OPEN_STATUSES

if TYPE_CHECKING:
    from coprod_me.services.flag_register import FlagRegisterService, FlagView


class FlagActions(QWidget):
    """The row of buttons under the detail pane, acting on the flag ``selected`` returns.

    ``acted`` carries the id of the flag an action changed, after the action and after its
    undo or redo, so the register can show the flag as it now is; ``done`` says what was done.
    """

    acted = Signal(int)
    done = Signal(str)

    def __init__(self, undo_stack: QUndoStack, flag_register: Callable[[], FlagRegisterService],
                 selected: Callable[[], FlagView | None], parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.undo_stack = undo_stack
        self._flag_register = flag_register  # a function: the database can be switched
        self._selected = selected
        self.dialog: QDialog | None = None  # the action's dialog while it is open
        self.acknowledge_button = QPushButton("Ackno&wledge")
        self.acknowledge_button.setToolTip("Say the flag has been seen and is being looked at")
        self.acknowledge_button.clicked.connect(self.acknowledge_selected)
        self.mitigate_button = QPushButton("&Mitigate…")
        self.mitigate_button.setToolTip("Record what will be done, by whom and by when")
        self.mitigate_button.clicked.connect(self.mitigate_selected)
        self.close_button = QPushButton("C&lose…")
        self.close_button.setToolTip("Close as resolved or as a false positive, with a reason")
        self.close_button.clicked.connect(self.close_selected)
        self.override_button = QPushButton("Overri&de severity…")
        self.override_button.setToolTip("Set another severity than the rule computed, "
                                        "with a reason")
        self.override_button.clicked.connect(self.override_selected)
        self.buttons = (self.acknowledge_button, self.mitigate_button, self.close_button,
                        self.override_button)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for b in self.buttons:
            b.setAutoDefault(False)
            row.addWidget(b)
        row.addStretch(1)

    def enable_for(self, f: FlagView | None) -> None:
        """Offer what can be done to ``f`` as it stands (None: nothing is selected)."""
        status = f.status if f is not None else None
        self.acknowledge_button.setEnabled(status == FlagStatus.OPEN.value)
        self.mitigate_button.setEnabled(status in OPEN_STATUSES)
        self.close_button.setEnabled(status is not None and status not in CLOSED_STATUSES)
        self.override_button.setEnabled(status in OPEN_STATUSES)

    def _act(self, f: FlagView, text: str, do: Callable[[], object]) -> None:
        """One undoable flag action; undo writes the flag back as it was."""
        risks, before = self._flag_register(), f
        try:
            apply_edit(self.undo_stack, text, do, lambda: risks.restore(before),
                       after=lambda: self.acted.emit(before.id))
        except DomainError as exc:
            show_domain_error(self, exc)
            return
        self.done.emit(f"Done: {text}. Edit > Undo takes it back.")

    def _open_dialog(self, dialog: QDialog, on_accept: Callable[[], None]) -> None:
        self.dialog = dialog

        def finished(result: int) -> None:
            if result == QDialog.DialogCode.Accepted:
                on_accept()

        dialog.finished.connect(finished)
        dialog.open()

    def acknowledge_selected(self) -> None:
        f = self._selected()
        if f is None:
            return
        risks = self._flag_register()
        self._act(f, f"acknowledge {f.rule_id} ({f.quarter})",
                  lambda: risks.acknowledge(f.id))

    def mitigate_selected(self) -> None:
        f = self._selected()
        if f is None:
            return
        dialog = MitigateDialog(f, self)
        risks = self._flag_register()

        def save() -> None:
            mitigation, owner, due = dialog.values()
            self._act(f, f"mitigate {f.rule_id} ({f.quarter}), owner {owner}",
                      lambda: risks.mitigate(f.id, mitigation=mitigation, owner=owner,
                                             due_date=due))

        self._open_dialog(dialog, save)

    def close_selected(self) -> None:
        f = self._selected()
        if f is None:
            return
        dialog = CloseDialog(f, self)
        risks = self._flag_register()

        def save() -> None:
            false_positive, reason = dialog.values()
            how = "as a false positive" if false_positive else "as resolved"
            self._act(f, f"close {f.rule_id} ({f.quarter}) {how}",
                      lambda: risks.close(f.id, false_positive=false_positive, reason=reason))

        self._open_dialog(dialog, save)

    def override_selected(self) -> None:
        f = self._selected()
        if f is None:
            return
        dialog = OverrideDialog(f, self)
        risks = self._flag_register()

        def save() -> None:
            severity, reason = dialog.values()
            self._act(f, f"set severity of {f.rule_id} ({f.quarter}) to "
                         f"{severity or 'as computed'}",
                      lambda: risks.override_severity(f.id, severity, reason=reason))

        self._open_dialog(dialog, save)
