"""Observations as an editable grid: per indicator (a series by quarter) or per quarter.

Every change goes to the database at once through the services, as one undoable step: a cell
edit, an added or deleted observation, a correction of a locked quarter, and a whole block
pasted from Excel or LibreOffice (planned by ``services.observation_paste``, then saved
here). Rows of locked quarters are read-only here and in the services; a correction of one
needs a reason and is kept as a revision (domain §1.4). Every value passes the value gate
before it is saved: a number that reads two ways (1,234 on a ratio) is asked about, figures
that look unusual next to their series are confirmed, and what is refused is said in full
under the grid, each problem with its row and why.

Observations are named by their cell (indicator, quarter, strand, disaggregation) in the undo
commands, not by id, so undoing a delete (which re-creates the row) keeps older commands valid.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from coprod_me.gui.observation_chooser import ALL_STRANDS, ObservationChooser
from coprod_me.gui.observation_dialogs import (
    AddObservationDialog,
    CorrectionDialog,
    RevisionsDialog,
    confirm_unusual,
    read_new_observation,
    settle_reading,
)
from coprod_me.gui.observation_table import (
    ObservationTableModel,
    ObservationTableView,
    decimal_point,
    show_number,
    typed_value,
)
from coprod_me.gui.programme_view import ProgrammeView
from coprod_me.gui.table_models import words
from coprod_me.gui.undo_commands import apply_edit
from coprod_me.model.errors import DomainError, NotFound
from coprod_me.model.quarter import Quarter
from coprod_me.services import Services
from coprod_me.services.observation_paste import (
    COL_COMMENT,
    COL_INDICATOR,
    COL_QUARTER,
    COL_SOURCE,
    COLUMN_OF_FIELD,
    FIELDS,
    TITLES,
    PastePlan,
    dims_text,
    plan_paste,
)
from coprod_me.services.observations import (
    CORRECTABLE,
    BlockResult,
    BlockRow,
    CellError,
    DeletedObservation,
    ObservationKey,
    ObservationView,
    format_block,
    parse_block,
)


def _action(owner: QWidget, text: str, slot: Callable[[], object], shortcut: str | None,
            tip: str) -> QAction:
    """An action of ``owner`` whose shortcut works wherever the focus is inside it."""
    a = QAction(text, owner)
    if shortcut:
        a.setShortcut(QKeySequence(shortcut))
        a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    a.setToolTip(tip)
    a.setStatusTip(tip)
    a.triggered.connect(lambda _checked=False: slot())
    owner.addAction(a)
    return a


def _status_area(status: QLabel, line: int) -> QScrollArea:
    """The messages under the grid: a refused paste lists every problem here, in full, each
    with its row and why (selectable, to copy); a long list scrolls after eight lines."""
    status.setWordWrap(True)
    status.setAccessibleName("Observation messages")
    status.setTextFormat(Qt.TextFormat.PlainText)
    status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    status.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    area = QScrollArea()
    area.setWidget(status)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setMaximumHeight(8 * line)
    return area


class ObservationTab(ProgrammeView):
    """The observations of the selected programme, one indicator or one quarter at a time."""

    def __init__(self, services: Services, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, undo_stack, parent)
        self._units: dict[str, str] = {}
        self.chooser = ObservationChooser()
        self.chooser.mode_changed.connect(self._mode_changed)
        self.chooser.choice_changed.connect(self._reload_rows)
        # the chooser's parts, as the keyboard and the tests reach them
        self.mode, self.selector = self.chooser.mode, self.chooser.selector
        self.selector_label = self.chooser.selector_label
        self.strand_filter = self.chooser.strand_filter
        self._build_grid()
        self._build_actions()
        buttons = self._build_buttons()
        lay = QVBoxLayout(self)
        lay.addWidget(self.chooser)
        lay.addWidget(self.view, 1)
        lay.addLayout(buttons)
        self.status = QLabel()
        lay.addWidget(_status_area(self.status, self.fontMetrics().lineSpacing()))
        previous: QWidget = self.mode
        for widget in (self.selector, self.strand_filter, self.view, *self.buttons.values()):
            self.setTabOrder(previous, widget)
            previous = widget
        self.setEnabled(False)

    # ------------------------------------------------------------------------------ parts

    def _build_grid(self) -> None:
        self.model = ObservationTableModel(self)
        self.model.on_edit = self._edit_cell
        self.view = ObservationTableView(self.model)
        self.view.paste_requested.connect(self.paste)
        self.view.copy_requested.connect(self.copy_selection)
        self.view.correct_requested.connect(self.correct_locked_value)
        self.view.selectionModel().currentChanged.connect(self._current_changed)

    def _build_actions(self) -> None:
        """The tab's actions, with their shortcuts, in the grid's context menu."""
        action = partial(_action, self)
        self.add_action = action("&Add observation…", self.add_observation, "Ins",
                                 "Log a value for a quarter, strand and disaggregation (Ins)")
        self.delete_action = action("De&lete selected", self.delete_selected, "Ctrl+Del",
                                    "Delete the observations of the selected rows (Ctrl+Del)")
        self.paste_action = action("Pa&ste", self.paste, None,
                                   "Paste a block copied from Excel or LibreOffice at the "
                                   "current cell (Ctrl+V); one undoable step")
        self.copy_action = action("Cop&y", self.copy_selection, None,
                                  "Copy the selected cells for a spreadsheet (Ctrl+C)")
        self.correct_action = action("Co&rrect locked value…", self.correct_locked_value, None,
                                     "Correct a value of a locked quarter with a reason; the "
                                     "old value is kept as a revision (F2 on a locked cell)")
        self.history_action = action("Correctio&ns…", self.show_revisions, None,
                                     "The corrections of the current observation")
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for a in (self.add_action, self.delete_action, self.copy_action, self.paste_action,
                  self.correct_action, self.history_action):
            self.view.addAction(a)

    def _build_buttons(self) -> QHBoxLayout:
        """A button for each action, for the mouse."""
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for name, a in (("add", self.add_action), ("delete", self.delete_action),
                        ("paste", self.paste_action), ("copy", self.copy_action),
                        ("correct", self.correct_action), ("history", self.history_action)):
            b = QPushButton(a.text())
            b.setToolTip(a.toolTip())
            b.clicked.connect(a.trigger)
            self.buttons[name] = b
            row.addWidget(b)
        row.addStretch(1)
        return row

    # ------------------------------------------------------------------------------ loading

    def set_programme(self, code: str | None) -> None:
        # Another programme has other strands; the messages were about the last state.
        changed = code != self.code
        self.code = code
        self.status.clear()
        if changed:
            self._fill_strands()
        super().set_programme(code)

    def _fill_strands(self) -> None:
        try:
            strands = [] if self.code is None else self.services.programmes.strands(self.code)
        except NotFound:
            strands = []
        self.chooser.fill_strands([(st.code, st.name) for st in strands])

    def set_strand(self, strand: str | None = ALL_STRANDS) -> None:
        """Show one strand's observations (None: the programme total; ALL_STRANDS: all)."""
        self.chooser.set_strand(strand)

    def select_indicator(self, code: str) -> None:
        self.chooser.select_indicator(code)

    def select_quarter(self, quarter: str) -> None:
        self.chooser.select_quarter(quarter)

    @property
    def by_quarter(self) -> bool:
        return self.chooser.by_quarter

    def _mode_changed(self) -> None:
        self.view.setColumnHidden(COL_INDICATOR, not self.by_quarter)
        self.view.setColumnHidden(COL_QUARTER, self.by_quarter)
        self.reload()

    def reload(self) -> None:
        """Re-read the indicators or quarters to choose from and the rows (after changes made
        elsewhere: a quarter locked, an indicator added, an undo in another tab)."""
        code = self.code
        items: list[tuple[str, str]] = []
        self._units = {}
        try:
            indicators = [] if code is None else self.services.indicators.of_programme(code)
            if code is not None and self.by_quarter:
                items = [(q, q) for q in self.services.observations.quarters(code)]
        except NotFound:  # the programme is gone (e.g. its creation was undone)
            indicators, items = [], []
        self._units = {i.code: i.unit for i in indicators}
        if not self.by_quarter:  # outcomes first (domain §1.5.1 E)
            items = [(f"{i.code} — {i.name} ({words(i.result_level)}, {words(i.unit)})",
                      i.code) for i in indicators]
        self.chooser.fill_choices(items)
        self.view.setColumnHidden(COL_INDICATOR, not self.by_quarter)
        self.view.setColumnHidden(COL_QUARTER, self.by_quarter)
        self._reload_rows()

    def _reload_rows(self) -> None:
        """Re-read the rows of the indicator or quarter chosen, keeping the cursor's cell."""
        selected = self.selector.currentData()
        rows: list[ObservationView] = []
        if self.code is not None and selected:
            try:
                if self.by_quarter:
                    rows = self.services.observations.find(self.code, period=selected)
                else:
                    rows = self.services.observations.find(self.code, indicator=selected)
            except NotFound:
                rows = []
        rows = [r for r in rows if self.chooser.shows_strand(r.strand_code)]
        current = self.view.currentIndex()
        key = self.model.row_at(current.row()).key if current.isValid() else None
        column = current.column() if current.isValid() else self.view.visible_columns()[0]
        if self.model.set_rows(rows, self._units):
            if key is not None:
                self.view.go_to(key, column)
            self.view.resizeColumnsToContents()
            for c in (COL_SOURCE, COL_COMMENT):
                self.view.setColumnWidth(c, min(self.view.columnWidth(c), 260))
        self._current_changed()

    def _after_change(self) -> None:
        self._reload_rows()
        self.changed.emit()

    def _current_changed(self, *_args: Any) -> None:
        row = self.view.current_row()
        locked = row is not None and row.locked
        self.correct_action.setEnabled(locked)
        self.buttons["correct"].setEnabled(locked)
        has_revisions = row is not None and row.revisions > 0
        self.history_action.setEnabled(has_revisions)
        self.buttons["history"].setEnabled(has_revisions)

    def current_row(self) -> ObservationView | None:
        """The observation under the cursor, if any."""
        return self.view.current_row()

    def _subject(self) -> str:
        return self.chooser.subject()

    # ------------------------------------------------------------------------------ messages

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.status.setStyleSheet("color: #b3261e;" if problem else "")
        self.status.setText(text)

    def _problem(self, exc: DomainError) -> None:
        """A refused change under the grid, in full: every problem with its row and why
        (selectable, so it can be copied)."""
        self._say(str(exc), problem=True)

    def _unusual_ok(self, rows: list[BlockRow]) -> bool:
        """True when the values ``rows`` set look usual, or the user saves them anyway."""
        code = self.code
        assert code is not None
        warnings = self.services.observations.warnings(code, rows)
        return not warnings or confirm_unusual(self, warnings)

    def _id_of(self, key: ObservationKey) -> int:
        code = self.code
        assert code is not None
        oid = self.services.observations.locate(code, key)
        if oid is None:
            raise NotFound(f"{key.describe()} no longer exists")
        return oid

    # -------------------------------------------------------------------------------- edits

    def _edit_cell(self, row: ObservationView, field: str, value: Any) -> bool:
        title = TITLES[COLUMN_OF_FIELD[field]]
        unit = self._units.get(row.indicator_code)
        try:
            new = settle_reading(self, f"{row.key.describe()}, {title}",
                                 lambda decimal, ask: typed_value(field, value, unit,
                                                                  decimal=decimal, ask=ask))
        except CellError as exc:
            self._say(f"{row.key.describe()}, {title}: '{value}' {exc}", problem=True)
            return False
        except DomainError as exc:
            self._problem(exc)
            return False
        old = getattr(row, field)
        if new == old:
            return False
        if not self._unusual_ok([BlockRow(row.indicator_code, row.period, row.strand_code,
                                          row.dims, {field: new})]):
            self._say(f"Not saved: {title.lower()} of {row.key.describe()} stays "
                      f"{show_number(old) if isinstance(old, int | float) else 'empty'}.")
            return False
        key = row.key
        observations = self.services.observations
        shown = show_number(new) if isinstance(new, int | float) else (new or "empty")
        text = f"set {title.lower()} of {key.describe()} to {shown}"
        try:
            apply_edit(self.undo_stack, text,
                       lambda: observations.update(self._id_of(key), {field: new}, reason=text),
                       lambda: observations.update(self._id_of(key), {field: old},
                                                   reason=f"undo: {text}"),
                       after=self._after_change)
        except DomainError as exc:
            self._problem(exc)
            return False
        self._say(f"Saved: {text}.")
        return True

    def add_observation(self) -> None:
        if self.code is None:
            return
        indicators = [(i.code, f"{i.code} — {i.name}")
                      for i in self.services.indicators.of_programme(self.code)]
        if not indicators:
            self._say("This programme has no indicators yet; add one first.", problem=True)
            return
        strands = [s.code for s in self.services.programmes.strands(self.code)]
        row = self.view.current_row() or (self.model.rows[-1] if self.model.rows else None)
        indicator = row.indicator_code if row else (
            None if self.by_quarter else self.selector.currentData())
        if self.by_quarter:
            quarter = self.selector.currentData() or ""
        elif self.model.rows:
            quarter = str(Quarter.parse(self.model.rows[-1].period).next())
        else:
            quarter = ""
        dialog = AddObservationDialog(
            indicators, strands, self._submit_new, indicator=indicator, quarter=quarter,
            strand=row.strand_code if row else None, dims=dims_text(row.dims) if row else "",
            parent=self)
        dialog.exec()

    def _submit_new(self, values: dict[str, Any]) -> None:
        """Save the Add dialog's values as one undoable step; DomainError keeps it open."""
        code = self.code
        assert code is not None
        new = read_new_observation(values, self._units.get(values["indicator"]))
        key = new.key
        if not self._unusual_ok([BlockRow(key.indicator, key.period, key.strand, new.dims,
                                          new.fields)]):
            raise DomainError("Not saved; correct the figure, or press OK and save it anyway")
        observations = self.services.observations
        text = f"add observation {key.describe()}"
        apply_edit(self.undo_stack, text,
                   lambda: observations.record(code, key.indicator, key.period,
                                               strand=key.strand, dims=new.dims, reason=text,
                                               **new.fields),
                   lambda: observations.delete(self._id_of(key), reason=f"undo: {text}"),
                   after=self._after_change)
        self._say(f"Added {key.describe()}.")
        if not self.by_quarter and self.selector.currentData() != key.indicator:
            self.select_indicator(key.indicator)
        elif self.by_quarter and self.selector.findData(key.period) < 0:
            self.reload()
        self.view.go_to(key)

    def delete_selected(self) -> None:
        rows = self.view.selected_rows()
        if not rows:
            self._say("Select the observations to delete first.", problem=True)
            return
        locked = sorted({r.period for r in rows if r.locked})
        if locked:
            self._say(f"{', '.join(locked)} {'is' if len(locked) == 1 else 'are'} locked; its "
                      "observations cannot be deleted (unlock the quarter with a reason first).",
                      problem=True)
            return
        keys = [r.key for r in rows]
        observations = self.services.observations
        text = (f"delete observation {keys[0].describe()}" if len(keys) == 1 else
                f"delete {len(keys)} observations of {self._subject()}")
        deleted: list[DeletedObservation] = []

        def do() -> None:
            gone = observations.delete_many([self._id_of(k) for k in keys], reason=text)
            deleted[:] = gone

        try:
            apply_edit(self.undo_stack, text, do,
                       lambda: observations.restore(deleted, reason=f"undo: {text}"),
                       after=self._after_change)
        except DomainError as exc:
            self._problem(exc)
            return
        self._say(f"Deleted {len(keys)} observation(s); Undo (Ctrl+Z) brings them back.")

    # ------------------------------------------------------------------------- corrections

    def correct_locked_value(self) -> None:
        idx = self.view.currentIndex()
        if not idx.isValid():
            self._say("Choose the cell to correct first.", problem=True)
            return
        row = self.model.row_at(idx.row())
        if not row.locked:
            self._say(f"{row.period} is open: edit the cell directly.", problem=False)
            return
        field = FIELDS.get(idx.column(), "value")
        if field not in CORRECTABLE:
            field = "value"
        current = self.model.text(row, COLUMN_OF_FIELD[field])
        dialog = CorrectionDialog(row, field, current,
                                  lambda f, v, why: self._submit_correction(row, f, v, why),
                                  parent=self)
        dialog.exec()

    def _submit_correction(self, row: ObservationView, field: str, value: str,
                           reason: str) -> None:
        new = typed_value(field, value, self._units.get(row.indicator_code))
        old = getattr(row, field)
        key = row.key
        if not self._unusual_ok([BlockRow(key.indicator, key.period, key.strand, row.dims,
                                          {field: new})]):
            raise DomainError("Not corrected; check the figure, or press Correct and save it "
                              "anyway")
        why = reason.strip()
        observations = self.services.observations
        title = TITLES[COLUMN_OF_FIELD[field]].lower()
        text = f"correct {title} of {key.describe()}"
        # Undo is a correction too: a locked quarter's history only grows.
        apply_edit(self.undo_stack, text,
                   lambda: observations.correct(self._id_of(key), {field: new}, reason=why),
                   lambda: observations.correct(self._id_of(key), {field: old},
                                                reason=f"undo of correction: {why}"),
                   after=self._after_change)
        self._say(f"Corrected {title} of {key.describe()}; the previous value is kept as a "
                  "revision.")

    def show_revisions(self) -> None:
        row = self.view.current_row()
        if row is None:
            return
        try:
            revisions = self.services.observations.revisions(self._id_of(row.key))
        except DomainError as exc:
            self._problem(exc)
            return
        RevisionsDialog(row.key, revisions, parent=self).exec()

    # ------------------------------------------------------------------------ the clipboard

    def copy_selection(self) -> None:
        grid = self.view.selected_cells()
        if not grid:
            return
        QApplication.clipboard().setText(format_block(grid))
        self._say(f"Copied {len(grid)} × {len(grid[0])} cell(s).")

    def paste(self) -> None:
        self.paste_text(QApplication.clipboard().text())

    def paste_text(self, text: str) -> None:
        """Paste a block at the current cell as one undoable step.

        Block rows land on consecutive grid rows; past the last row, new observations are
        created for the following quarters (same strand and disaggregation as the last row,
        unless the block has those columns). Nothing is saved when any cell is wrong.
        """
        if self.code is None:
            return
        grid = parse_block(text)
        if not grid:
            self._say("The clipboard holds no cells to paste.", problem=True)
            return
        current = self.view.currentIndex()
        try:
            plan = settle_reading(self, "", lambda decimal, ask: plan_paste(
                grid, self.model.rows, columns=self.view.visible_columns(),
                at_row=current.row() if current.isValid() else 0,
                at_column=current.column() if current.isValid() else None,
                units=self._units, indicator=None if self.by_quarter else self._subject(),
                decimal=decimal or decimal_point(), ask=ask))
            if not self._unusual_ok(list(plan.rows)):
                self._say("Nothing was pasted.")
                return
            done = self._save_plan(plan)
        except DomainError as exc:
            self._problem(exc)
            return
        self.view.select_block(plan.start_row, plan.height, plan.columns)
        self._say("\n".join((f"Pasted {plan.height} × {plan.width} cells: "
                             f"{len(done.created_ids)} observation(s) added, "
                             f"{len(done.changed_ids)} changed. Undo (Ctrl+Z) reverts the "
                             "whole block.", *plan.notes)))

    def _save_plan(self, plan: PastePlan) -> BlockResult:
        """Save a planned paste as one undoable step; DomainError when nothing changes."""
        code = self.code
        assert code is not None
        observations = self.services.observations
        text = f"paste {plan.height} × {plan.width} cells into {self._subject()}"
        result: list[BlockResult] = []

        def do() -> None:
            first = not result
            result[:] = [observations.apply_block(code, plan.rows, reason=text)]
            if first and not result[0].entries:
                raise DomainError("the pasted values are the ones already stored; nothing "
                                  "changed")

        apply_edit(self.undo_stack, text, do,
                   lambda: observations.revert_block(result[0], reason=f"undo: {text}"),
                   after=self._after_change)
        return result[0]
