"""A programme's indicators: gates badge, sortable table with on-track status, and the editors
(the wizard in ``indicator_wizard``, the edit, link and gates dialogs in ``indicator_editor``).

Every change goes through ``apply_edit``, so it is one undoable step: undoing a create deletes,
undoing an edit writes the old values back, undoing a link removes it (or restores the
assumption it replaced), undoing a delete recreates the indicator with its targets and links.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coprod_me.gui.errors import report_exception
from coprod_me.gui.indicator_editor import GatesDialog, IndicatorEditor, LinkDialog
from coprod_me.gui.indicator_wizard import (
    CARD_STYLE,
    LEVEL_WORDS,
    IndicatorWizard,
    note,
    outcome_choices,
)
from coprod_me.gui.programme_view import ProgrammeView
from coprod_me.gui.table_models import SORT_ROLE, Column, RowTableModel, filtered
from coprod_me.gui.target_edits import TargetEdits
from coprod_me.gui.undo_commands import apply_edit
from coprod_me.model import entities as M
from coprod_me.model import enums as E
from coprod_me.model.amounts import amount
from coprod_me.model.coaching import Gate, coaching_warnings
from coprod_me.model.errors import DomainError
from coprod_me.model.tracking import Track
from coprod_me.services import Services
from coprod_me.services.fields import editable_columns
from coprod_me.services.indicator_status import LEVEL_ORDER, IndicatorRow

_Index = QModelIndex | QPersistentModelIndex

TRACK_COLOURS: dict[Track, str] = {
    Track.ON_TRACK: "#d8efd9",
    Track.AT_RISK: "#fff3cd",
    Track.OFF_TRACK: "#f6d7d2",
    Track.NO_DATA: "#e4e4e4",
}
GATES_MET = "QPushButton { background: #d8efd9; color: #1b5e20; font-weight: bold; " \
            "border: 1px solid #8bc48e; border-radius: 4px; padding: 4px 10px; text-align: left; }"
GATES_UNMET = "QPushButton { background: #f6d7d2; color: #8c1d18; font-weight: bold; " \
              "border: 1px solid #d98c83; border-radius: 4px; padding: 4px 10px; " \
              "text-align: left; }"
#: Levels that link up to outcomes (an output should drive an outcome).
LINKS_TO_OUTCOMES = (E.ResultLevel.OUTPUT, E.ResultLevel.ACTIVITY, E.ResultLevel.INPUT)


#: What the tab is for first (how each indicator is doing), then what it is: Status, Latest
#: and Target stay in view on a laptop screen; the definition columns follow.
INDICATOR_COLUMNS: list[Column[IndicatorRow]] = [
    Column("Code", lambda r: r.code),
    Column("Indicator", lambda r: r.name, max_width=340),
    Column("Status", lambda r: r.status.label,
           "On track, at risk (amber), off track (red) or no data; hover a cell for why",
           colour=lambda r: TRACK_COLOURS[r.status]),
    Column("Latest value", lambda r: r.latest_value,
           "The latest quarter's total: the programme total, or the strands' totals combined",
           align_right=True),
    Column("Target", lambda r: r.target, "The target of the latest target quarter",
           align_right=True),
    Column("Latest quarter", lambda r: r.latest_quarter),
    Column("Level", lambda r: LEVEL_WORDS.get(r.result_level, r.result_level),
           "Result level: output, outcome, impact … (outcomes are 'is anyone better off?')"),
    Column("RBA quadrant", lambda r: r.rba_quadrant.replace("_", " "),
           "Results-Based Accountability: how much did we do, how well, is anyone better off"),
    Column("Unit", lambda r: r.unit.replace("_", " ")),
    Column("Direction", lambda r: r.direction.replace("_", " ")),
    Column("Baseline", lambda r: r.baseline, align_right=True),
]
COL_STATUS, COL_LATEST, COL_TARGET, COL_LEVEL = 2, 3, 4, 6
_LEVEL_RANK = {lvl.value: i for i, lvl in enumerate(LEVEL_ORDER)}
_TRACK_RANK = {Track.OFF_TRACK: 0, Track.AT_RISK: 1, Track.NO_DATA: 2, Track.ON_TRACK: 3}


class IndicatorTableModel(RowTableModel[IndicatorRow]):
    """Numbers shown as people read them; level and status sort by meaning, not spelling."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(INDICATOR_COLUMNS, parent)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, c = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            v = self.columns[c].value(row)
            if isinstance(v, float):  # rounded by the unit, as the report rounds it
                return amount(v, row.unit, suffix=False)
        elif role == SORT_ROLE:
            if c == COL_LEVEL:
                return float(_LEVEL_RANK.get(row.result_level, 99))
            if c == COL_STATUS:
                return float(_TRACK_RANK[row.status])
        elif role == Qt.ItemDataRole.ToolTipRole:
            if c == COL_STATUS:
                return f"{row.status.label}: {row.status_reason}"
            if c == COL_LATEST and row.latest_basis:
                return f"{row.latest_quarter}, {row.latest_basis}"
            if c == COL_TARGET and row.target_basis:
                return f"{row.target_period}, {row.target_basis}"
        return super().data(index, role)


class GatesBadge(QPushButton):
    """'Outcome gates: 4 of 5 met', coloured; click, Space or Enter opens the list."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.click()
            return
        super().keyPressEvent(event)


# ------------------------------------------------------------------------------------------
# The tab


class IndicatorTab(ProgrammeView):
    """The programme's indicators with their status, the outcome gates, and the editors."""

    def __init__(self, services: Services, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, undo_stack, parent)
        self.wizard: IndicatorWizard | None = None
        self.editor: IndicatorEditor | None = None
        self.link_dialog: LinkDialog | None = None
        self.gates_dialog: GatesDialog | None = None
        self.gates: list[Gate] = []
        self.gates_badge = GatesBadge("Outcome gates")
        self.gates_badge.setAccessibleName("Outcome gates")
        self.gates_badge.setAutoDefault(False)
        self.gates_badge.clicked.connect(self.show_gates)
        self._build_table()
        buttons = self._build_buttons()
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setAccessibleName("Selected indicator")
        self.message = note(style=CARD_STYLE)
        self.message.setAccessibleName("Coaching")
        self.message.hide()

        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.gates_badge)
        top.addStretch(1)
        lay.addLayout(top)
        bar = QHBoxLayout()
        label = QLabel("F&ilter:")
        label.setBuddy(self.filter_edit)
        bar.addWidget(label)
        bar.addWidget(self.filter_edit)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        lay.addLayout(buttons)
        lay.addWidget(self.detail)
        lay.addWidget(self.message)
        self.setEnabled(False)
        self._selection_changed()

    # ------------------------------------------------------------------------------ parts

    def _build_table(self) -> None:
        """The sortable, filtered table; outcomes first, as stored, until a column is sorted."""
        self.model = IndicatorTableModel(self)
        self.proxy, self.filter_edit = filtered(
            self.model, self, "Filter indicators (code, name, level, status …)",
            "Filter indicators")
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Indicators")
        header = self.table.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # outcomes first, as stored
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda *_a: self.edit_selected())

    def _build_buttons(self) -> QHBoxLayout:
        self.new_button = QPushButton("&New indicator…")
        self.new_button.setToolTip("Create an indicator with the outcome-coaching wizard")
        self.new_button.clicked.connect(self.new_indicator)
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.clicked.connect(self.edit_selected)
        self.link_button = QPushButton("&Link to outcome…")
        self.link_button.setToolTip("Say which outcome an output should drive, and why")
        self.link_button.clicked.connect(self.link_selected)
        self.delete_button = QPushButton("&Delete")
        self.delete_button.clicked.connect(self.delete_selected)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.link_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        return buttons

    # ------------------------------------------------------------------------------ loading

    def set_programme(self, code: str | None) -> None:
        if code != self.code:
            self.message.hide()  # the coaching was about the last programme's indicator
        super().set_programme(code)

    def reload(self) -> None:
        if self.code is None:
            self.model.set_rows([])
            self._selection_changed()
            return
        current = self.selected()
        self.model.set_rows(self.services.indicators.status_table(self.code))
        self.table.resizeColumnsToContents()
        for i, col in enumerate(self.model.columns):
            if col.max_width and self.table.columnWidth(i) > col.max_width:
                self.table.setColumnWidth(i, col.max_width)
        self.gates = self.services.programmes.gates(self.code)
        met = sum(g.met for g in self.gates)
        self.gates_badge.setText(f"Outcome gates: {met} of {len(self.gates)} met")
        self.gates_badge.setStyleSheet(GATES_MET if met == len(self.gates) else GATES_UNMET)
        unmet = [f"{g.code} {g.title}" for g in self.gates if not g.met]
        self.gates_badge.setToolTip(
            ("Not met: " + "; ".join(unmet) if unmet else "Every outcome gate is met")
            + ". Click or press Enter for the details.")
        if current is not None:
            self.select(current.code)
        self._selection_changed()

    def selected(self) -> IndicatorRow | None:
        idx = self.table.currentIndex()
        if not idx.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(idx).row())

    def select(self, indicator_code: str) -> None:
        for row, r in enumerate(self.model.rows):
            if r.code == indicator_code:
                idx = self.proxy.mapFromSource(self.model.index(row, 0))
                if idx.isValid():
                    self.table.setCurrentIndex(idx)
                    self.table.selectRow(idx.row())
                return

    def _selection_changed(self, *_args: Any) -> None:
        r = self.selected()
        self.new_button.setEnabled(self.code is not None)
        self.edit_button.setEnabled(r is not None)
        self.delete_button.setEnabled(r is not None)
        links_up = r is not None and r.result_level in LINKS_TO_OUTCOMES
        self.link_button.setEnabled(links_up)
        if r is None:
            self.detail.setText("")
            return
        e = html.escape
        parts = [f"<b>{e(r.code)}</b> {e(r.name)}<br>"
                 f"<span style='background:{TRACK_COLOURS[r.status]}'>&nbsp;"
                 f"{e(r.status.label)}&nbsp;</span> {e(r.status_reason)}"]
        if r.latest_basis:
            parts.append(f"<br>Latest value: {e(r.latest_quarter or '')}, {e(r.latest_basis)}")
        if r.target_basis:
            parts.append(f"; target: {e(r.target_period or '')}, {e(r.target_basis)}")
        if r.linked_to:
            parts.append("<br>Should drive: " + e(", ".join(r.linked_to)))
        elif links_up:
            parts.append("<br><span style='color:#b3261e'>Not linked to an outcome yet: "
                         "use Link to outcome…</span>")
        for w in coaching_warnings(r.name, r.result_level):
            parts.append(f"<br><span style='color:#8a5a00'>{e(w)}</span>")
        self.detail.setText("".join(parts))

    def _after_edit(self) -> None:
        self.reload()
        self.changed.emit()

    def _show_warnings(self, warnings: tuple[str, ...] | list[str]) -> None:
        self.message.setText("\n".join(warnings))
        self.message.setVisible(bool(warnings))

    # ------------------------------------------------------------------------------ gates

    def show_gates(self) -> None:
        if self.code is None:
            return
        self.gates_dialog = GatesDialog(self.code, self.gates, self)
        self.gates_dialog.open()

    # ---------------------------------------------------------------------------- create

    def new_indicator(self) -> None:
        if self.code is None:
            return
        code = self.code
        self.wizard = IndicatorWizard(self.services, self.undo_stack, code, self,
                                      after=self._after_edit)
        wizard = self.wizard

        def done(result: int) -> None:
            if result == QDialog.DialogCode.Accepted and wizard.created:
                self.select(wizard.created)
                self._show_warnings(wizard.warnings)

        wizard.finished.connect(done)
        wizard.open()

    # ------------------------------------------------------------------------------ edit

    def edit_selected(self) -> None:
        r = self.selected()
        if r is None or self.code is None:
            return
        try:
            ind = self.services.indicators.get(self.code, r.code)
        except DomainError as exc:
            report_exception(exc, self)
            return
        targets = TargetEdits(self.services, self.undo_stack, self.code, ind.code,
                              after=self._after_edit)
        self.editor = IndicatorEditor(ind, lambda changes: self._update(ind, changes), self,
                                      targets=targets)
        self.editor.open()

    def _update(self, ind: M.Indicator, changes: dict[str, Any]) -> None:
        assert self.code is not None
        p, code = self.code, ind.code
        indicators = self.services.indicators
        old = {f: getattr(ind, f) for f in changes}
        text = f"edit {code}: " + ", ".join(sorted(changes))
        saved: list[tuple[str, ...]] = []
        apply_edit(self.undo_stack, text,
                   lambda: saved.append(indicators.update(p, code, changes, reason=text).warnings),
                   lambda: indicators.update(p, code, old, reason=f"undo: {text}"),
                   after=self._after_edit)
        self._show_warnings(saved[0] if saved else ())

    # ------------------------------------------------------------------------------ link

    def link_selected(self) -> None:
        r = self.selected()
        if r is None or self.code is None:
            return
        choices = outcome_choices(self.services, self.code)
        existing = {to: link for frm, to, link in self.services.indicators.links(self.code)
                    if frm == r.code}
        self.link_dialog = LinkDialog(
            r, choices, existing,
            lambda targets, assumption, strength: self._link(r.code, targets, assumption,
                                                             strength, existing), self)
        self.link_dialog.open()

    def _link(self, from_code: str, targets: list[str], assumption: str, strength: str,
              existing: dict[str, M.ResultLink]) -> None:
        assert self.code is not None
        p = self.code
        indicators = self.services.indicators
        before = {to: (lk.assumption_text, lk.strength) for to, lk in existing.items()}
        text = f"link {from_code} to {', '.join(targets)}"

        def do() -> None:
            done: list[str] = []
            try:
                for to in targets:
                    indicators.link(p, from_code, to, assumption, strength=strength, reason=text)
                    done.append(to)
            except Exception:
                restore(done)  # all or nothing
                raise

        def restore(targets_done: list[str]) -> None:
            for to in targets_done:
                if to in before:
                    old_text, old_strength = before[to]
                    indicators.link(p, from_code, to, old_text, strength=old_strength,
                                    reason=f"undo: {text}")
                else:
                    indicators.unlink(p, from_code, to, reason=f"undo: {text}")

        apply_edit(self.undo_stack, text, do, lambda: restore(targets), after=self._after_edit)

    # ---------------------------------------------------------------------------- delete

    def delete_selected(self) -> None:
        r = self.selected()
        if r is None or self.code is None:
            return
        answer = QMessageBox.question(
            self, f"Delete {r.code}",
            f"Delete indicator {r.code} ({r.name}) with its targets and result links?\n"
            "Indicators with observations cannot be deleted. Edit > Undo brings it back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            restore = self._snapshot(r.code)
            p, code = self.code, r.code
            text = f"delete indicator {code}"
            apply_edit(self.undo_stack, text,
                       lambda: self.services.indicators.delete(p, code, reason=text),
                       restore, after=self._after_edit)
        except DomainError as exc:
            report_exception(exc, self)

    def _snapshot(self, code: str) -> Callable[[], None]:
        """A function that recreates the indicator with its targets and links."""
        assert self.code is not None
        p = self.code
        services = self.services
        ind = services.indicators.get(p, code)
        strands = {s.id: s.code for s in services.programmes.strands(p)}
        fields = {f: getattr(ind, f) for f in editable_columns("indicator")
                  if f not in ("code", "name")}
        strand = strands.get(ind.strand_id) if ind.strand_id else None
        targets = [(t.period, t.value, t.rationale, strands.get(t.strand_id)
                    if t.strand_id else None) for t in services.indicators.targets(p, code)]
        links = [(frm, to, lk.assumption_text, lk.strength)
                 for frm, to, lk in services.indicators.links(p) if code in (frm, to)]
        name = ind.name
        reason = f"undo: delete indicator {code}"

        def restore() -> None:
            indicators = services.indicators
            indicators.create(p, code, name, strand=strand, reason=reason, **fields)
            for period, value, rationale, t_strand in targets:
                indicators.set_target(p, code, period, value, strand=t_strand,
                                      rationale=rationale, reason=reason)
            for frm, to, assumption, strength in links:
                indicators.link(p, frm, to, assumption, strength=strength, reason=reason)

        return restore
