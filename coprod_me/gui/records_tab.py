"""Participation, feedback and allocation records, and the capacity matrix, edited in place.

Each cell edit goes to the database at once through the record service, as one undoable
step; a refused edit says what to fix under the table and the cell keeps its stored value.
The capacity matrix is a 3 × 3 grid (levels × competences) coloured by score; a cell is
edited as "3: adequate staffing", a score from 0 to 4 and a one-line justification.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coprod_me.gui.actor_editor import ActorEditor, ask_for_actor
from coprod_me.gui.errors import report_exception
from coprod_me.gui.programme_view import ProgrammeView
from coprod_me.gui.table_models import ChoiceDelegate, edit_text, show_value, words
from coprod_me.gui.undo_commands import apply_edit
from coprod_me.model.errors import DomainError
from coprod_me.services.actors import ActorService
from coprod_me.services.records import (
    ACTORS,
    ALLOCATIONS,
    CHANNELS,
    COMPETENCES,
    FEEDBACK,
    FUNDING,
    LEVELS,
    PARTICIPATION,
    SCORE_WORDS,
    SPEND,
    SPONSORS,
    STAFFING,
    FieldInfo,
    RecordRow,
    RecordService,
    convert,
    parse_score_text,
)

_Index = QModelIndex | QPersistentModelIndex
CAPACITY = "capacity"
REGISTER = "actor_register"  # the actors themselves, shared between programmes
KINDS: tuple[tuple[str, str], ...] = (
    (REGISTER, "Actors (all programmes)"), (ACTORS, "Actor roles"),
    (PARTICIPATION, "Participation"), (FEEDBACK, "Feedback"), (ALLOCATIONS, "Allocations"),
    (CAPACITY, "Capacity"), (SPONSORS, "Sponsors"), (FUNDING, "Funding sources"),
    (SPEND, "Spending"), (CHANNELS, "Channels"), (STAFFING, "Staffing"))
_NUMBER_KINDS = ("int", "float")
_RED, _AMBER, _GREEN = QColor("#f4c7c3"), QColor("#fce8b2"), QColor("#b7e1cd")






def score_colour(score: int | None) -> QColor | None:
    """0–1 red, 2 amber, 3–4 green; an unscored cell has no colour."""
    if score is None:
        return None
    return _RED if score <= 1 else _AMBER if score == 2 else _GREEN


# Record table ------------------------------------------------------------------------------


class RecordTableModel(QAbstractTableModel):
    """Holds the record rows handed to it; never queries.

    Columns: strand, provider (feedback and allocations), the identifying fields, then the
    editable ones. ``on_edit(row, field, value) -> bool`` saves an edited cell.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[RecordRow] = []
        self.key_fields: list[FieldInfo] = []
        self.fields: list[FieldInfo] = []
        self.show_actor = False
        self.actor_title = "Provider"
        self.on_edit: Callable[[RecordRow, FieldInfo, Any], bool] | None = None

    # columns: ("strand"|"actor"|"key"|"field", FieldInfo | None)
    def _columns(self) -> list[tuple[str, FieldInfo | None]]:
        cols: list[tuple[str, FieldInfo | None]] = [("strand", None)]
        if self.show_actor:
            cols.append(("actor", None))
        cols += [("key", f) for f in self.key_fields]
        cols += [("field", f) for f in self.fields]
        return cols

    def first_field_column(self) -> int:
        return 1 + int(self.show_actor) + len(self.key_fields)

    def column_of(self, name: str) -> int:
        for i, (_, f) in enumerate(self._columns()):
            if f is not None and f.name == name:
                return i
        raise KeyError(name)

    def set_rows(self, rows: Sequence[RecordRow], fields: Sequence[FieldInfo] | None = None,
                 key_fields: Sequence[FieldInfo] | None = None,
                 show_actor: bool | None = None) -> bool:
        """New rows; the same records in the same order update in place (the cursor stays).
        Returns whether the model was reset."""
        rows = list(rows)
        same_shape = fields is None and key_fields is None and show_actor is None
        if same_shape and self.rows and [r.id for r in rows] == [r.id for r in self.rows]:
            self.rows = rows
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(rows) - 1, self.columnCount() - 1))
            return False
        self.beginResetModel()
        self.rows = rows
        if fields is not None:
            self.fields = list(fields)
        if key_fields is not None:
            self.key_fields = list(key_fields)
        if show_actor is not None:
            self.show_actor = show_actor
        self.endResetModel()
        return True

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns())

    def _raw(self, row: RecordRow, column: int) -> tuple[Any, str]:
        what, f = self._columns()[column]
        if what == "strand":
            return row.strand_code, "text"
        if what == "actor":
            return row.actor_code, "text"
        assert f is not None
        source = row.key if what == "key" else row.values
        return source.get(f.name), f.kind

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows) \
                or not 0 <= index.column() < self.columnCount():
            return None
        row = self.rows[index.row()]
        value, kind = self._raw(row, index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return show_value(value, kind)
        if role == Qt.ItemDataRole.EditRole:
            return edit_text(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and kind in _NUMBER_KINDS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            f = self._columns()[index.column()][1]
            return f.description or None if f is not None else None
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() >= self.first_field_column():
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (role != Qt.ItemDataRole.EditRole or not index.isValid()
                or not self.flags(index) & Qt.ItemFlag.ItemIsEditable or self.on_edit is None):
            return False
        field = self.fields[index.column() - self.first_field_column()]
        saved = self.on_edit(self.rows[index.row()], field, value)
        if saved:
            self.dataChanged.emit(index, index)
        return saved

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < self.columnCount():
            what, f = self._columns()[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return {"strand": "Strand", "actor": self.actor_title}.get(what) or (
                    f.label if f is not None else "")
            if role == Qt.ItemDataRole.ToolTipRole and f is not None:
                return f.description or None
            return None
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None


# Capacity matrix ---------------------------------------------------------------------------


class CapacityMatrixModel(QAbstractTableModel):
    """The 3 × 3 matrix handed to it: rows are levels, columns competences.

    ``on_edit(level, competence, text) -> bool`` saves a cell typed as "3: justification".
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.cells: dict[tuple[str, str], tuple[int, str | None]] = {}
        self.on_edit: Callable[[str, str, str], bool] | None = None

    def set_cells(self, cells: dict[tuple[str, str], tuple[int, str | None]]) -> None:
        self.cells = dict(cells)
        self.dataChanged.emit(self.index(0, 0), self.index(len(LEVELS) - 1,
                                                           len(COMPETENCES) - 1))

    def cell(self, level: str, competence: str) -> tuple[int, str | None] | None:
        return self.cells.get((level, competence))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(LEVELS)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COMPETENCES)

    def _key(self, index: _Index) -> tuple[str, str]:
        return LEVELS[index.row()], COMPETENCES[index.column()]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(LEVELS) \
                or not 0 <= index.column() < len(COMPETENCES):
            return None
        cell = self.cells.get(self._key(index))
        if role == Qt.ItemDataRole.DisplayRole:
            if cell is None:
                return "— not scored —"
            score, text = cell
            return f"{score} {SCORE_WORDS[score]}" + (f"\n{text}" if text else "")
        if role == Qt.ItemDataRole.EditRole:
            if cell is None:
                return ""
            return f"{cell[0]}: {cell[1] or ''}".rstrip()
        if role == Qt.ItemDataRole.BackgroundRole:
            colour = score_colour(cell[0] if cell else None)
            return QBrush(colour) if colour is not None else None
        if role == Qt.ItemDataRole.ForegroundRole and cell is not None:
            return QBrush(QColor("#202124"))  # readable on the light fills in a dark theme
        if role == Qt.ItemDataRole.ToolTipRole:
            level, competence = self._key(index)
            base = (f"{level} × {competence}: type a score 0–4 and a one-line justification, "
                    "e.g. '3: adequate staffing'")
            return base if cell is None else f"{base}\nnow: {cell[0]} {SCORE_WORDS[cell[0]]}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsEditable)

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.on_edit is None:
            return False
        level, competence = self._key(index)
        saved = self.on_edit(level, competence, "" if value is None else str(value))
        if saved:
            self.dataChanged.emit(index, index)
        return saved

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        names = COMPETENCES if orientation == Qt.Orientation.Horizontal else LEVELS
        return names[section].capitalize() if 0 <= section < len(names) else None


# The tab -----------------------------------------------------------------------------------


class NewRecordDialog(QDialog):
    """Every field of a new record, required ones marked; the service checks the values."""

    def __init__(self, kind_label: str, fields: Sequence[FieldInfo], strands: Sequence[str],
                 actors: Sequence[tuple[str, str]] | None, actor_required: bool,
                 parent: QWidget | None = None, *,
                 new_actor: Callable[[QWidget], tuple[str, str] | None] | None = None) -> None:
        """``new_actor(dialog)`` adds an actor (asking for its fields) and returns its
        (code, name), or None when cancelled; without it the New actor button is off."""
        super().__init__(parent)
        self._new_actor = new_actor
        self.setWindowTitle(f"New {kind_label.lower()} record")
        form = QFormLayout()
        self.strand = QComboBox()
        self.strand.setAccessibleName("Strand")
        self.strand.addItem("— programme as a whole —", None)
        for code in strands:
            self.strand.addItem(code, code)
        form.addRow("&Strand:", self.strand)
        self.actor: QComboBox | None = None
        self.new_actor_button: QPushButton | None = None
        if actors is not None:
            self.actor = QComboBox()
            self.actor.setAccessibleName("Actor")
            if not actor_required:
                self.actor.addItem("— none —", None)
            for code, name in actors:
                self.actor.addItem(f"{code} — {name}", code)
            self.new_actor_button = QPushButton("&New actor…")
            self.new_actor_button.setToolTip(
                "Add an actor that is not in the list yet; it is saved at once and Ctrl+Z "
                "takes it back (all actors: Records, Actors (all programmes))")
            self.new_actor_button.setEnabled(new_actor is not None)
            self.new_actor_button.clicked.connect(self._add_actor)
            actor_label = QLabel("&Actor:" + (" *" if actor_required else ""))
            actor_label.setBuddy(self.actor)
            actor_row = QHBoxLayout()
            actor_row.addWidget(self.actor, 1)
            actor_row.addWidget(self.new_actor_button)
            form.addRow(actor_label, actor_row)
        self.inputs: dict[str, QComboBox | QLineEdit] = {}
        for f in fields:
            widget: QComboBox | QLineEdit
            if f.kind in ("enum", "bool"):
                widget = QComboBox()
                widget.addItem("", None)
                for value in (f.allowed if f.kind == "enum" else ("yes", "no")):
                    widget.addItem(words(value), value)
            else:
                widget = QLineEdit()
                widget.setPlaceholderText({"int": "whole number", "float": "number",
                                           "date": "YYYY-MM-DD", "quarter": "e.g. 2024Q2"}
                                          .get(f.kind, ""))
            widget.setAccessibleName(f.label)
            widget.setToolTip(f.description)
            self.inputs[f.name] = widget
            form.addRow(f.label + (" *" if f.required else "") + ":", widget)
        inner = QWidget()
        inner.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("Fields marked * are required."))
        lay.addWidget(scroll, 1)
        lay.addWidget(self.message)
        lay.addWidget(buttons)
        self.resize(520, 560)
        if self.actor is not None and self.actor.count() == 0:
            self.message.setText("There are no actors yet: add one with New actor… (Alt+N).")

    def _add_actor(self) -> None:
        if self._new_actor is None or self.actor is None:
            return
        added = self._new_actor(self)
        if added is None:
            return
        code, name = added
        self.actor.addItem(f"{code} — {name}", code)
        self.actor.setCurrentIndex(self.actor.count() - 1)
        self.message.setText(f"Added actor {code} (saved; Edit > Undo takes it back).")

    def values(self) -> dict[str, Any]:
        """The fields the user filled in (blank ones are left to their defaults)."""
        out: dict[str, Any] = {}
        for name, w in self.inputs.items():
            value = w.currentData() if isinstance(w, QComboBox) else w.text().strip()
            if value not in (None, ""):
                out[name] = value
        return out

    def strand_code(self) -> str | None:
        return self.strand.currentData()

    def actor_code(self) -> str | None:
        return self.actor.currentData() if self.actor is not None else None


class RecordsTab(ProgrammeView):
    """The actor register, the programme's record tables and its Capacity matrix."""

    def __init__(self, services: Any, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, undo_stack, parent)
        self._infos: dict[int, Any] = {}

        self.kind = QComboBox()
        self.kind.setAccessibleName("Record kind")
        for key, label in KINDS:
            self.kind.addItem(label, key)
        self.kind.currentIndexChanged.connect(self.refresh)
        kind_label = QLabel("&Records:")
        kind_label.setBuddy(self.kind)

        self.assessment = QComboBox()
        self.assessment.setAccessibleName("Capacity assessment")
        self.assessment.currentIndexChanged.connect(self._reload_matrix)
        self.assessment_label = QLabel("&Assessment:")
        self.assessment_label.setBuddy(self.assessment)

        top = QHBoxLayout()
        top.addWidget(kind_label)
        top.addWidget(self.kind)
        top.addSpacing(16)
        top.addWidget(self.assessment_label)
        top.addWidget(self.assessment, 1)
        top.addStretch()

        self.model = RecordTableModel(self)
        self.model.on_edit = self._edit_record
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Records")
        self.view.setAccessibleDescription(
            "Edit a cell with F2 or by typing; every change is saved at once and can be "
            "undone. Strand, provider, quarter and group identify a row and are read-only.")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.view.setTabKeyNavigation(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._delegates: list[ChoiceDelegate] = []

        self.matrix = CapacityMatrixModel(self)
        self.matrix.on_edit = self._edit_score
        self.matrix_view = QTableView()
        self.matrix_view.setModel(self.matrix)
        self.matrix_view.setAccessibleName("Capacity matrix")
        self.matrix_view.setAccessibleDescription(
            "Rows: individual, organizational, systemic; columns: analytical, operational, "
            "political. Type a score 0 to 4 and a one-line justification, e.g. "
            "'3: adequate staffing'. Red 0–1, amber 2, green 3–4.")
        self.matrix_view.setWordWrap(True)
        self.matrix_view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                         | QAbstractItemView.EditTrigger.EditKeyPressed
                                         | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.matrix_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Stretch)
        self.matrix_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        legend = QLabel("0 absent · 1 weak · 2 partial · 3 adequate · 4 strong. "
                        "Each score needs a one-line justification (type '3: why').")
        legend.setWordWrap(True)
        self.assessment_info = QLabel()
        self.assessment_info.setWordWrap(True)
        capacity_page = QWidget()
        cap_layout = QVBoxLayout(capacity_page)
        cap_layout.setContentsMargins(0, 0, 0, 0)
        cap_layout.addWidget(self.assessment_info)
        cap_layout.addWidget(self.matrix_view, 1)
        cap_layout.addWidget(legend)

        self.actor_editor = ActorEditor(self.actor_service, undo_stack)
        self.actor_editor.said.connect(lambda text, problem: self._say(text, problem=problem))
        self.actor_editor.changed.connect(self.changed)

        self.pages = QStackedWidget()
        self.pages.addWidget(self.view)
        self.pages.addWidget(capacity_page)
        self.pages.addWidget(self.actor_editor)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Record messages")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.add_action = QAction("&Add record…", self)
        self.add_action.setShortcut(QKeySequence("Ins"))
        self.add_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.add_action.setToolTip("Add a record of this kind (Ins)")
        self.add_action.triggered.connect(lambda _c=False: self.add_record())
        self.delete_action = QAction("De&lete record", self)
        self.delete_action.setShortcut(QKeySequence("Ctrl+Del"))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.delete_action.setToolTip("Delete the record under the cursor (Ctrl+Del); "
                                      "Ctrl+Z brings it back")
        self.delete_action.triggered.connect(lambda _c=False: self.delete_current())
        for a in (self.add_action, self.delete_action):
            self.addAction(a)
            for view in (self.view, self.actor_editor.view):
                view.addAction(a)
        for view in (self.view, self.actor_editor.view):
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.record_buttons = QWidget()
        row = QHBoxLayout(self.record_buttons)
        row.setContentsMargins(0, 0, 0, 0)
        self.add_button = QPushButton()
        self.delete_button = QPushButton()
        for a, b in ((self.add_action, self.add_button), (self.delete_action,
                                                          self.delete_button)):
            b.clicked.connect(a.trigger)
            row.addWidget(b)
        row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.record_buttons)
        layout.addWidget(self.status)
        self._show_page()

    # ------------------------------------------------------------------------- plumbing

    @property
    def records(self) -> RecordService:
        """The services' record service."""
        return self.services.records

    @property
    def actor_service(self) -> ActorService:
        return self.services.actors  # type: ignore[no-any-return]

    def current_kind(self) -> str:
        return str(self.kind.currentData())

    def set_kind(self, kind: str) -> None:
        self.kind.setCurrentIndex(max(self.kind.findData(kind), 0))

    def set_programme(self, code: str | None) -> None:
        self.code = code
        self.refresh()

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b3261e;" if problem else "")

    def _show_page(self) -> None:
        kind = self.current_kind()
        capacity, register = kind == CAPACITY, kind == REGISTER
        self.pages.setCurrentIndex(1 if capacity else 2 if register else 0)
        self.record_buttons.setVisible(not capacity)
        self.add_action.setEnabled(not capacity)
        self.delete_action.setEnabled(not capacity)
        self.assessment.setVisible(capacity)
        self.assessment_label.setVisible(capacity)
        what = "actor" if register else "record"
        self.add_action.setText(f"&Add {what}…")
        self.add_action.setToolTip(f"Add {'an actor' if register else 'a record of this kind'}"
                                   " (Ins)")
        self.delete_action.setText(f"De&lete {what}")
        self.delete_action.setToolTip(
            "Delete the actor under the cursor, if no record names it (Ctrl+Del); Ctrl+Z "
            "brings it back" if register else
            "Delete the record under the cursor (Ctrl+Del); Ctrl+Z brings it back")
        for a, b in ((self.add_action, self.add_button), (self.delete_action,
                                                          self.delete_button)):
            b.setText(a.text())
            b.setToolTip(a.toolTip())

    def refresh(self) -> None:
        """Reload what is shown from the database (after a programme or kind change)."""
        self._show_page()
        self._say("")
        try:
            if self.current_kind() == CAPACITY:
                self._fill_assessments()
            elif self.current_kind() == REGISTER:
                self.actor_editor.service = self.actor_service
                self.actor_editor.set_programme(self.code)
            else:
                self._reload_records(reset=True)
        except DomainError as exc:
            self._say(str(exc), problem=True)

    # ------------------------------------------------------------------------- records

    def _reload_records(self, *, reset: bool = False) -> None:
        kind = self.current_kind()
        if kind in (CAPACITY, REGISTER):
            return
        rows = [] if self.code is None else self.records.rows(kind, self.code)
        if not reset:
            self.model.set_rows(rows)
            return
        fields = RecordService.columns(kind)
        self.model.actor_title = {ACTORS: "Actor", SPONSORS: "Actor", FUNDING: "Funder"}.get(
            kind, "Provider")
        self.model.set_rows(rows, fields, RecordService.key_columns(kind),
                            RecordService.has_actor(kind))
        for d in self._delegates:
            d.deleteLater()
        self._delegates = []
        for column in range(self.model.columnCount()):
            self.view.setItemDelegateForColumn(column, None)  # type: ignore[arg-type]
        for i, f in enumerate(fields):
            choices: list[str] = []
            if f.kind == "enum":
                choices = list(f.allowed)
            elif f.kind == "bool":
                choices = ["yes", "no"]
            if choices:
                d = ChoiceDelegate(choices, f.label, self.view)
                self._delegates.append(d)
                self.view.setItemDelegateForColumn(self.model.first_field_column() + i, d)
        self.view.resizeColumnsToContents()
        if not rows and self.code is not None:
            self._say(f"{self.code} has no {kind} records yet; add one (Ins) or load "
                      "them from the programme workbook.")

    def _describe(self, row: RecordRow) -> str:
        parts = [row.strand_code or "programme"]
        if row.actor_code:
            parts.append(row.actor_code)
        parts += [str(v) for v in row.key.values() if v]
        return " ".join(parts)

    def _edit_record(self, row: RecordRow, field: FieldInfo, value: Any) -> bool:
        kind = self.current_kind()
        try:
            new = convert(kind, field.name, value)
        except DomainError as exc:
            self._say(f"{self._describe(row)}, {field.label}: {exc}", problem=True)
            return False
        old = row.values.get(field.name)
        if new == old:
            return False
        records, record_id, name = self.records, row.id, field.name
        text = f"set {words(name)} of {kind} {self._describe(row)} to {show_value(new) or 'empty'}"
        try:
            apply_edit(self.undo_stack, text,
                       lambda: records.update(kind, record_id, name, new, reason=text),
                       lambda: records.update(kind, record_id, name, old,
                                              reason=f"undo: {text}"),
                       self._after_record_edit)
        except DomainError as exc:
            self._say(f"{self._describe(row)}, {field.label}: {exc}", problem=True)
            return False
        except Exception as exc:  # a bug: show it, keep the stored value
            report_exception(exc, self)
            return False
        self._say(f"Saved: {text}")
        return True

    def add_record(self) -> bool:
        """Ask for a new record's fields and add it as one undoable step."""
        kind, code = self.current_kind(), self.code
        if kind == REGISTER:
            return self.actor_editor.add_actor() is not None
        if code is None or kind == CAPACITY:
            return False
        records = self.records
        strands = [st.code for st in self.services.programmes.strands(code)]
        actors = records.actors() if RecordService.has_actor(kind) else None
        dialog = NewRecordDialog(self.kind.currentText(),
                                 [*RecordService.key_columns(kind), *RecordService.columns(kind)],
                                 strands, actors, records.actor_required(kind), self,
                                 new_actor=self._new_actor_for_record)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                record_id = self._create(kind, code, dialog.values(), dialog.strand_code(),
                                         dialog.actor_code())
            except DomainError as exc:
                dialog.message.setText(str(exc))  # keep what was typed; let them fix it
                continue
            except Exception as exc:
                report_exception(exc, self)
                return False
            self._go_to_record(record_id)
            return True
        return False

    def _new_actor_for_record(self, dialog: QWidget) -> tuple[str, str] | None:
        """New actor… in the new-record dialog: the actor is added as its own undoable step."""
        row = ask_for_actor(dialog, self.undo_stack, self.actor_service, self.changed.emit)
        if row is None:
            return None
        self._say(f"Added actor {row.code}.")
        return row.code, str(row.values.get("name") or "")

    def _create(self, kind: str, code: str, values: dict[str, Any], strand: str | None,
                actor: str | None) -> int:
        records = self.records
        created: list[int] = []
        text = f"add {kind} record " + " ".join(
            str(v) for v in (strand, actor, *values.values()) if v)[:60]

        def do() -> object:
            created.append(records.create(kind, code, values, strand_code=strand,
                                          actor_code=actor, reason=text))
            return created[-1]

        apply_edit(self.undo_stack, text, do,
                   lambda: records.delete(kind, created[-1], reason=f"undo: {text}"),
                   self._after_record_edit)
        self._say(f"Saved: {text}")
        return created[-1]

    def delete_current(self) -> bool:
        kind = self.current_kind()
        if kind == REGISTER:
            return self.actor_editor.delete_current()
        idx = self.view.currentIndex()
        if kind == CAPACITY or not idx.isValid():
            self._say("Select a record to delete first.", problem=True)
            return False
        row = self.model.rows[idx.row()]
        records = self.records
        text = f"delete {kind} record {self._describe(row)}"
        ids = [row.id]
        stored: list[dict[str, Any]] = []

        def do() -> object:
            stored.append(records.delete(kind, ids[-1], reason=text))
            return None

        def undo() -> object:
            ids.append(records.restore(kind, stored[-1], reason=f"undo: {text}"))
            return None

        try:
            apply_edit(self.undo_stack, text, do, undo, self._after_record_edit)
        except DomainError as exc:
            self._say(str(exc), problem=True)
            return False
        self._say(f"Deleted {kind} record {self._describe(row)}; Ctrl+Z brings it back.")
        return True

    def _go_to_record(self, record_id: int) -> None:
        for r, row in enumerate(self.model.rows):
            if row.id == record_id:
                self.view.setCurrentIndex(self.model.index(r, self.model.first_field_column()))
                return

    def _after_record_edit(self) -> None:
        if self.current_kind() not in (CAPACITY, REGISTER):
            self._reload_records()
        self.changed.emit()

    # ------------------------------------------------------------------------ capacity

    def _fill_assessments(self) -> None:
        current = self.assessment.currentData()
        self.assessment.blockSignals(True)
        self.assessment.clear()
        items = [] if self.code is None else self.records.assessments(self.code)
        for a in items:
            self.assessment.addItem(a.label, a.id)
        self.assessment.setCurrentIndex(max(self.assessment.findData(current), 0))
        self.assessment.blockSignals(False)
        self._infos = {a.id: a for a in items}
        self._reload_matrix()
        if not items and self.code is not None:
            self._say(f"{self.code} has no capacity assessment; add one in the "
                      "CapacityAssessments sheet of the programme workbook.")

    def current_assessment(self) -> int | None:
        data = self.assessment.currentData()
        return int(data) if data is not None else None

    def select_assessment(self, assessment_id: int) -> None:
        self.assessment.setCurrentIndex(max(self.assessment.findData(assessment_id), 0))

    def _reload_matrix(self) -> None:
        aid = self.current_assessment()
        self.matrix.set_cells({} if aid is None else self.records.matrix(aid))
        info = self._infos.get(aid) if aid is not None else None
        self.assessment_info.setText(
            "" if info is None else
            f"Scope: {words(info.actor_scope)}"
            + (f" ({info.actor_code})" if info.actor_code else "")
            + f" · assessed {info.assessed_on}"
            + (f" by {info.assessor}" if info.assessor else "")
            + (f" · {words(info.method)}" if info.method else ""))
        self.matrix_view.resizeRowsToContents()
        self.matrix_view.setEnabled(aid is not None)

    def _edit_score(self, level: str, competence: str, text: str) -> bool:
        aid = self.current_assessment()
        if aid is None:
            return False
        where = f"{level} × {competence}"
        old = self.matrix.cell(level, competence)
        try:
            score, descriptor = parse_score_text(text)
            if not descriptor and old is not None and old[1]:
                descriptor = old[1]  # a bare score keeps the cell's justification
            if old is not None and (score, descriptor) == old:
                return False
            records = self.records
            label = f"set capacity {where} to {score} {SCORE_WORDS[score]}"
            undo: Callable[[], object]
            if old is None:
                def undo() -> object:
                    records.clear_score(aid, level, competence, reason=f"undo: {label}")
                    return None
            else:
                old_score, old_text = old

                def undo() -> object:
                    records.restore_score(aid, level, competence, old_score, old_text,
                                          reason=f"undo: {label}")
                    return None
            apply_edit(self.undo_stack, label,
                       lambda: records.set_score(aid, level, competence, score, descriptor,
                                                 reason=label),
                       undo, self._after_score_edit)
        except DomainError as exc:
            self._say(f"{where}: {exc}", problem=True)
            return False
        except Exception as exc:
            report_exception(exc, self)
            return False
        self._say(f"Saved: {label}")
        return True

    def _after_score_edit(self) -> None:
        if self.current_kind() == CAPACITY:
            self._reload_matrix()
        self.changed.emit()
