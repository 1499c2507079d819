"""The actor register, edited in place: people, offices and organisations of every programme.

Actors are shared between programmes, so the table lists all of them, the selected
programme's first (the Programmes column says who names each). Every cell is edited in
place (classes and organisation types from a drop-down, yes/no for political exposure,
dates as YYYY-MM-DD); each change is saved at once through the actor service as one undoable
step, and a refused one says what to fix. Ins adds an actor, Ctrl+Del deletes one that no
record names (the records tab owns those actions and hands them on).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coprod_me.gui.table_models import ChoiceDelegate, edit_text, show_value, words
from coprod_me.gui.undo_commands import apply_edit
from coprod_me.model.errors import DomainError
from coprod_me.services.actors import ActorRow, ActorService
from coprod_me.services.records import FieldInfo

_Index = QModelIndex | QPersistentModelIndex
_EXPOSED = QColor("#b3261e")


class ActorTableModel(QAbstractTableModel):
    """Holds the actor rows handed to it; never queries.

    Columns: every editable field, with the programmes that name the actor (read-only)
    after code and name. ``on_edit(row, field, value) -> bool`` saves an edited cell.
    """

    programmes_column = 2

    def __init__(self, fields: Sequence[FieldInfo], parent: Any = None) -> None:
        super().__init__(parent)
        self.fields = list(fields)
        self._columns: list[FieldInfo | None] = list(self.fields)
        self._columns.insert(self.programmes_column, None)
        self.rows: list[ActorRow] = []
        self.programme: str | None = None
        self.on_edit: Callable[[ActorRow, FieldInfo, Any], bool] | None = None

    def column_of(self, name: str) -> int:
        return next(i for i, f in enumerate(self._columns) if f is not None and f.name == name)

    def row_of(self, actor_id: int) -> int | None:
        return next((r for r, row in enumerate(self.rows) if row.id == actor_id), None)

    def set_rows(self, rows: Sequence[ActorRow], programme: str | None = None) -> None:
        """New rows; the same actors in the same order update in place (the cursor stays)."""
        rows = list(rows)
        if ([r.id for r in rows] == [r.id for r in self.rows] and rows
                and programme == self.programme):
            self.rows = rows
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(rows) - 1, self.columnCount() - 1))
            return
        self.beginResetModel()
        self.rows = rows
        self.programme = programme
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows) \
                or not 0 <= index.column() < self.columnCount():
            return None
        row = self.rows[index.row()]
        if index.column() == self.programmes_column:
            text = ", ".join(row.programmes)
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return text
            if role == Qt.ItemDataRole.ToolTipRole:
                return ("Named by records of: " + text) if text else \
                    "No record names this actor yet; it can be deleted"
            return None
        f = self._columns[index.column()]
        assert f is not None
        value = row.values.get(f.name)
        if role == Qt.ItemDataRole.DisplayRole:
            return show_value(value, f.kind)
        if role == Qt.ItemDataRole.EditRole:
            return edit_text(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f.description or None
        if role == Qt.ItemDataRole.ForegroundRole and f.name == "is_politically_exposed" \
                and value:
            return QBrush(_EXPOSED)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() != self.programmes_column:
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (role != Qt.ItemDataRole.EditRole or not index.isValid()
                or not self.flags(index) & Qt.ItemFlag.ItemIsEditable or self.on_edit is None):
            return False
        f = self._columns[index.column()]
        assert f is not None
        saved = self.on_edit(self.rows[index.row()], f, value)
        if saved:
            self.dataChanged.emit(index, index)
        return saved

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < self.columnCount():
            f = self._columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                if f is None:
                    return "Programmes"
                return f.label + (" *" if f.required else "")
            if role == Qt.ItemDataRole.ToolTipRole:
                return f.description if f is not None else \
                    "Programmes whose records name the actor (read-only)"
            return None
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None


class NewActorDialog(QDialog):
    """Every field of a new actor, code, name and class first and marked required; the
    service checks the values and the dialog stays open on a problem."""

    def __init__(self, fields: Sequence[FieldInfo], parent: QWidget | None = None,
                 *, code: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("New actor")
        form = QFormLayout()
        self.inputs: dict[str, QComboBox | QLineEdit | QCheckBox] = {}
        mnemonics = {"code": "Cod&e", "name": "&Name", "actor_class": "C&lass",
                     "org_type": "Or&ganisation type", "registration_id": "&Registration id",
                     "is_politically_exposed": "&Politically exposed",
                     "pep_description": "Exposure &description", "pep_since": "Exposed &since",
                     "pep_until": "Exposed &until"}
        for f in fields:
            widget: QComboBox | QLineEdit | QCheckBox
            label = mnemonics.get(f.name, f.label) + (" *" if f.required else "")
            if f.kind == "bool":
                widget = QCheckBox(label)
                form.addRow("", widget)
            else:
                if f.kind == "enum":
                    widget = QComboBox()
                    widget.addItem("— choose —" if f.required else "— not set —", None)
                    for value in f.allowed:
                        widget.addItem(words(value), value)
                else:
                    widget = QLineEdit()
                    widget.setPlaceholderText({"date": "YYYY-MM-DD"}.get(f.kind, ""))
                form.addRow(label + ":", widget)
            widget.setAccessibleName(f.label)
            widget.setToolTip(f.description)
            self.inputs[f.name] = widget
        code_input = self.inputs.get("code")
        if isinstance(code_input, QLineEdit):
            code_input.setText(code)
            code_input.setPlaceholderText("e.g. RS-01-ACT-PMU")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setAccessibleName("Problems with the new actor")
        intro = QLabel("Fields marked * are required. Actors are shared between programmes; "
                       "a role under Records › Actor roles links one to a programme.")
        intro.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addWidget(buttons)
        self.resize(520, 0)

    def values(self) -> dict[str, Any]:
        """The fields the user filled in (blank ones are left to their defaults)."""
        out: dict[str, Any] = {}
        for name, w in self.inputs.items():
            if isinstance(w, QCheckBox):
                out[name] = w.isChecked()
                continue
            value = w.currentData() if isinstance(w, QComboBox) else w.text().strip()
            if value not in (None, ""):
                out[name] = value
        return out


def create_actor(stack: QUndoStack, service: ActorService, values: dict[str, Any],
                 after: Callable[[], object] | None = None) -> int:
    """Add an actor as one undoable step; returns its id. DomainError if refused (nothing
    is pushed)."""
    created: list[int] = []
    text = f"add actor {str(values.get('code', '')).strip()}"

    def do() -> object:
        created.append(service.create(values, reason=text))
        return created[-1]

    apply_edit(stack, text, do, lambda: service.delete(created[-1], reason=f"undo: {text}"),
               after)
    return created[-1]


def ask_for_actor(parent: QWidget, stack: QUndoStack, service: ActorService,
                  after: Callable[[], object] | None = None, *, code: str = ""
                  ) -> ActorRow | None:
    """Show the new-actor dialog until the actor is added (returned) or the user cancels."""
    dialog = NewActorDialog(service.columns(), parent, code=code)
    while dialog.exec() == QDialog.DialogCode.Accepted:
        try:
            actor_id = create_actor(stack, service, dialog.values(), after)
        except DomainError as exc:
            dialog.message.setText(str(exc))  # keep what was typed; let them fix it
            continue
        return service.get(actor_id)
    return None


class ActorEditor(QWidget):
    """The actor table with its filter; messages go out through ``said(text, problem)``."""

    changed = Signal()
    said = Signal(str, bool)

    def __init__(self, service: ActorService, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.undo_stack = undo_stack
        self.programme: str | None = None
        self._moved: dict[int, int] = {}  # id before a delete -> id after its undo

        self.model = ActorTableModel(ActorService.columns(), self)
        self.model.on_edit = self._edit
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter actors (code, name, class, programme …)")
        self.filter.setAccessibleName("Filter actors")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        filter_label = QLabel("Fin&d:")
        filter_label.setBuddy(self.filter)

        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setAccessibleName("Actors")
        self.view.setAccessibleDescription(
            "Every actor, the selected programme's first. Edit a cell with F2 or by typing; "
            "every change is saved at once and can be undone. Ins adds an actor, Ctrl+Del "
            "deletes one that no record names.")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.view.setTabKeyNavigation(False)
        self.view.setWordWrap(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._delegates: list[ChoiceDelegate] = []
        for f in self.model.fields:
            i = self.model.column_of(f.name)
            choices = list(f.allowed) if f.kind == "enum" else \
                ["yes", "no"] if f.kind == "bool" else []
            if choices:
                d = ChoiceDelegate(choices, f.label, self.view,
                                   empty_label="— choose —" if f.required else "— not set —")
                self._delegates.append(d)
                self.view.setItemDelegateForColumn(i, d)

        top = QHBoxLayout()
        top.addWidget(filter_label)
        top.addWidget(self.filter, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)

    # --------------------------------------------------------------------------- showing

    def set_programme(self, code: str | None) -> None:
        self.programme = code
        self.reload()

    def reload(self) -> None:
        """Fill from the database, keeping the cursor on the same actor and column."""
        current = self.current_row()
        column = self.view.currentIndex().column()
        first = not self.model.rows
        self.model.set_rows(self.service.rows(self.programme), self.programme)
        if first:
            self.view.resizeColumnsToContents()
            for c in range(self.model.columnCount()):
                self.view.setColumnWidth(c, min(self.view.columnWidth(c), 320))
        if current is not None:
            self.go_to(current.id, max(column, 0))

    def current_row(self) -> ActorRow | None:
        idx = self.proxy.mapToSource(self.view.currentIndex())
        return self.model.rows[idx.row()] if idx.isValid() else None

    def go_to(self, actor_id: int, column: int = 0) -> bool:
        row = self.model.row_of(actor_id)
        if row is None:
            return False
        idx = self.proxy.mapFromSource(self.model.index(row, column))
        if not idx.isValid():  # filtered out: show it
            self.filter.clear()
            idx = self.proxy.mapFromSource(self.model.index(row, column))
        self.view.setCurrentIndex(idx)
        self.view.scrollTo(idx)
        return True

    def _say(self, text: str, problem: bool = False) -> None:
        self.said.emit(text, problem)

    def _id(self, actor_id: int) -> int:
        while actor_id in self._moved:
            actor_id = self._moved[actor_id]
        return actor_id

    def _after(self) -> None:
        self.reload()
        self.changed.emit()

    # --------------------------------------------------------------------------- editing

    def _edit(self, row: ActorRow, field: FieldInfo, value: Any) -> bool:
        service = self.service
        where = f"{row.code}, {field.label}"
        try:
            new = service.convert(field.name, value)
        except DomainError as exc:
            self._say(f"{where}: {exc}", True)
            return False
        old = row.values.get(field.name)
        if new == old:
            return False
        text = f"set {field.label.lower()} of actor {row.code} to {show_value(new) or 'empty'}"
        first_id = row.id
        try:
            apply_edit(self.undo_stack, text,
                       lambda: service.update(self._id(first_id), field.name, new, reason=text),
                       lambda: service.update(self._id(first_id), field.name, old,
                                              reason=f"undo: {text}"),
                       self._after)
        except DomainError as exc:
            self._say(f"{where}: {exc}", True)
            return False
        self._say(f"Saved: {text}")
        return True

    def add_actor(self) -> ActorRow | None:
        """Ask for a new actor and add it as one undoable step; the cursor goes to it."""
        row = ask_for_actor(self, self.undo_stack, self.service, self._after,
                            code=f"{self.programme}-ACT-" if self.programme else "")
        if row is not None:
            self.go_to(row.id, 1)
            self._say(f"Added actor {row.code}; give it a role under Actor roles to link it "
                      "to a programme. Ctrl+Z takes it back.")
        return row

    def delete_current(self) -> bool:
        row = self.current_row()
        if row is None:
            self._say("Select an actor to delete first.", True)
            return False
        service = self.service
        text = f"delete actor {row.code}"
        ids = [row.id]
        stored: list[dict[str, Any]] = []

        def do() -> object:
            stored.append(service.delete(self._id(ids[0]), reason=text))
            return None

        def undo() -> object:
            old = self._id(ids[0])
            new = service.restore(stored[-1], reason=f"undo: {text}")
            if new != old:
                self._moved[old] = new
            return None

        try:
            apply_edit(self.undo_stack, text, do, undo, self._after)
        except DomainError as exc:
            self._say(str(exc), True)
            return False
        self._say(f"Deleted actor {row.code}; Ctrl+Z brings it back.")
        return True
