"""Participation, feedback and allocation records, and the capacity matrix, edited in place.

Each cell edit goes to the database at once through the record service, as one undoable
step; a refused edit says what to fix under the table and the cell keeps its stored value.
The capacity matrix is a 3 × 3 grid (levels × competences) coloured by score; a cell is
edited as "3: adequate staffing", a score from 0 to 4 and a one-line justification. The
table models are in ``record_models``, the new-record dialog in ``record_dialog``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coprod_me.gui.actor_editor import ActorEditor, ask_for_actor
from coprod_me.gui.programme_view import ProgrammeView
from coprod_me.gui.record_dialog import NewRecordDialog
from coprod_me.gui.record_models import CapacityMatrixModel, RecordTableModel
from coprod_me.gui.table_models import ChoiceDelegate, show_value, words
from coprod_me.gui.undo_commands import apply_edit
from coprod_me.model.errors import DomainError
from coprod_me.services import Services
from coprod_me.services.actors import ActorService
from coprod_me.services.records import (
    ACTORS,
    ALLOCATIONS,
    CHANNELS,
    FEEDBACK,
    FUNDING,
    PARTICIPATION,
    SCORE_WORDS,
    SPEND,
    SPONSORS,
    STAFFING,
    AssessmentInfo,
    FieldInfo,
    RecordRow,
    RecordService,
    convert,
    parse_score_text,
)

CAPACITY = "capacity"
REGISTER = "actor_register"  # the actors themselves, shared between programmes
KINDS: tuple[tuple[str, str], ...] = (
    (REGISTER, "Actors (all programmes)"), (ACTORS, "Actor roles"),
    (PARTICIPATION, "Participation"), (FEEDBACK, "Feedback"), (ALLOCATIONS, "Allocations"),
    (CAPACITY, "Capacity"), (SPONSORS, "Sponsors"), (FUNDING, "Funding sources"),
    (SPEND, "Spending"), (CHANNELS, "Channels"), (STAFFING, "Staffing"))
_EDIT_TRIGGERS = (QAbstractItemView.EditTrigger.DoubleClicked
                  | QAbstractItemView.EditTrigger.EditKeyPressed
                  | QAbstractItemView.EditTrigger.AnyKeyPressed)


class RecordsTab(ProgrammeView):
    """The actor register, the programme's record tables and its Capacity matrix."""

    def __init__(self, services: Services, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, undo_stack, parent)
        self._infos: dict[int, AssessmentInfo] = {}
        top = self._build_choosers()
        self._build_record_table()
        capacity_page = self._build_capacity_page()
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
        self._build_actions()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.record_buttons)
        layout.addWidget(self.status)
        self._show_page()

    # ---------------------------------------------------------------------------- parts

    def _build_choosers(self) -> QHBoxLayout:
        """The kind of record shown and, for Capacity, the assessment."""
        self.kind = QComboBox()
        self.kind.setAccessibleName("Record kind")
        for key, label in KINDS:
            self.kind.addItem(label, key)
        self.kind.currentIndexChanged.connect(lambda _i: self.reload())
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
        return top

    def _build_record_table(self) -> None:
        self.model = RecordTableModel(self)
        self.model.on_edit = self._edit_record
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Records")
        self.view.setAccessibleDescription(
            "Edit a cell with F2 or by typing; every change is saved at once and can be "
            "undone. Strand, provider, quarter and group identify a row and are read-only.")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setEditTriggers(_EDIT_TRIGGERS)
        self.view.setTabKeyNavigation(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._delegates: list[ChoiceDelegate] = []

    def _build_capacity_page(self) -> QWidget:
        """The 3 × 3 matrix of the assessment chosen, what it covers, and the score legend."""
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
        self.matrix_view.setEditTriggers(_EDIT_TRIGGERS)
        self.matrix_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Stretch)
        self.matrix_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        legend = QLabel("0 absent · 1 weak · 2 partial · 3 adequate · 4 strong. "
                        "Each score needs a one-line justification (type '3: why').")
        legend.setWordWrap(True)
        self.assessment_info = QLabel()
        self.assessment_info.setWordWrap(True)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.assessment_info)
        layout.addWidget(self.matrix_view, 1)
        layout.addWidget(legend)
        return page

    def _build_actions(self) -> None:
        """Add and Delete, for records or actors (their words follow the page shown), in the
        tables' context menus and as buttons under them."""
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

    # ------------------------------------------------------------------------- plumbing

    @property
    def records(self) -> RecordService:
        """The services' record service."""
        return self.services.records

    @property
    def actor_service(self) -> ActorService:
        return self.services.actors

    def current_kind(self) -> str:
        return str(self.kind.currentData())

    def set_kind(self, kind: str) -> None:
        self.kind.setCurrentIndex(max(self.kind.findData(kind), 0))

    def set_programme(self, code: str | None) -> None:
        # Unlike other views, this one stays enabled without a programme: the actor
        # register it holds is every programme's.
        self.code = code
        self.reload()

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

    def reload(self) -> None:
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
        self._say(f"Saved: {label}")
        return True

    def _after_score_edit(self) -> None:
        if self.current_kind() == CAPACITY:
            self._reload_matrix()
        self.changed.emit()
