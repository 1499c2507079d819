"""Editing a saved indicator's targets, each change one undoable step (the indicator editor's
Targets box).

Setting a target where none was is a plain step; changing one that was set asks why first, and
the service keeps the change as a numbered revision. Undo of a change restores the value and
withdraws that revision (a revision records what stands, so an undone change is no revision;
the audit log keeps both the change and its undoing). Removing asks why; a revised target is
refused by the service, so undoing a removal never has history to bring back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog, QGroupBox, QLabel, QVBoxLayout, QWidget

from coprod_me.gui.errors import report_exception
from coprod_me.gui.target_table import ReasonDialog, TargetPanel
from coprod_me.gui.undo_commands import apply_edit
from coprod_me.model.amounts import amount
from coprod_me.model.errors import DomainError
from coprod_me.services import Services
from coprod_me.services.indicators import TargetLine


class TargetEdits:
    """One indicator's target changes through the window's undo stack."""

    def __init__(self, services: Services, undo_stack: QUndoStack, programme_code: str,
                 indicator_code: str, after: Callable[[], object]) -> None:
        self.services = services
        self.undo_stack = undo_stack
        self.programme = programme_code
        self.code = indicator_code
        self.after = after
        self.refresh: Callable[[], object] = lambda: None  # the open editor's table

    def _after(self) -> None:
        self.after()
        self.refresh()

    def lines(self) -> list[TargetLine]:
        return self.services.indicators.target_lines(self.programme, self.code)

    def set(self, period: str, strand: str | None, value: float,
            before: TargetLine | None, reason: str | None = None) -> None:
        """Set the target (``before``: the target it changes, None for a new one)."""
        p, code, ind = self.programme, self.code, self.services.indicators
        where = f"{code} {period}" + (f" ({strand})" if strand else "")
        if before is None:
            text = f"set target {where}"
            apply_edit(self.undo_stack, text,
                       lambda: ind.set_target(p, code, period, value, strand=strand,
                                              reason=text),
                       lambda: ind.remove_target(p, code, period, strand=strand,
                                                 reason=f"undo: {text}"), self._after)
            return
        text = f"revise target {where}"
        apply_edit(self.undo_stack, text,
                   lambda: ind.set_target(p, code, period, value, strand=strand, reason=reason),
                   lambda: ind.withdraw_target_revision(p, code, period, strand=strand,
                                                        reason=f"undo: {text}"), self._after)

    def remove(self, line: TargetLine, reason: str) -> None:
        p, code, ind = self.programme, self.code, self.services.indicators
        text = f"remove target {code} {line.period}" + (f" ({line.strand})" if line.strand
                                                         else "")
        apply_edit(self.undo_stack, text,
                   lambda: ind.remove_target(p, code, line.period, strand=line.strand,
                                             reason=reason),
                   lambda: ind.set_target(p, code, line.period, line.value, strand=line.strand,
                                          rationale=line.rationale, reason=f"undo: {text}"),
                   self._after)


class TargetsBox(QGroupBox):
    """The editor's Targets section: the panel, saving each change at once."""

    def __init__(self, edits: TargetEdits, unit: str, parent: QWidget | None = None) -> None:
        super().__init__("Targets", parent)
        self.edits = edits
        self.unit = unit
        self.reason_dialog: ReasonDialog | None = None
        intro = QLabel("Each change is saved at once (Edit > Undo takes it back). Changing a "
                       "target that was set asks why; the reason is kept with the revision "
                       "and listed in the report.")
        intro.setWordWrap(True)
        strands = [(st.code, st.name) for st in edits.services.programmes.strands(
            edits.programme)]
        self.panel = TargetPanel(unit, strands, lambda q: edits.services.indicators
                                 .target_quarter_problem(edits.programme, q))
        self.panel.set_requested.connect(self._set)
        self.panel.remove_requested.connect(self._remove)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.panel)
        edits.refresh = self.reload
        self.reload()

    def reload(self) -> None:
        self.panel.set_lines(self.edits.lines())
        self.panel.set_revisions(self.edits.services.indicators.target_revisions(
            self.edits.programme, self.edits.code))

    def _set(self, period: str, strand: str | None, value: float) -> None:
        before = self.panel.line_at(period, strand)
        if before is not None and before.value == value:
            self.panel.show_error(f"the target of {period} is {amount(value, self.unit)} "
                                  "already")
            return
        if before is None:
            self._run(lambda: self.edits.set(period, strand, value, None))
            return
        where = period + (f" ({strand})" if strand else "")
        self.reason_dialog = ReasonDialog(
            f"Revise the target of {where}",
            f"The target of {self.edits.code} for {where} changes from "
            f"{amount(before.value, self.unit)} to {amount(value, self.unit)}. &Why? The "
            "reason is kept with the revision and listed in the report.", self)
        dialog = self.reason_dialog

        def answered(result: int) -> None:
            if result == QDialog.DialogCode.Accepted:
                self._run(lambda: self.edits.set(period, strand, value, before, dialog.text()))

        dialog.finished.connect(answered)
        dialog.open()

    def _remove(self, line: TargetLine) -> None:
        where = line.period + (f" ({line.strand})" if line.strand else "")
        self.reason_dialog = ReasonDialog(
            f"Remove the target of {where}",
            f"Remove the target {amount(line.value, self.unit)} of {self.edits.code} for "
            f"{where}? &Why? (The audit log keeps the reason.)", self)
        dialog = self.reason_dialog

        def answered(result: int) -> None:
            if result == QDialog.DialogCode.Accepted:
                self._run(lambda: self.edits.remove(line, dialog.text()))

        dialog.finished.connect(answered)
        dialog.open()

    def _run(self, edit: Callable[[], None]) -> None:
        try:
            edit()
        except DomainError as exc:
            report_exception(exc, self)
            return
        self.panel.show_error("")
