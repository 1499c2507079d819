"""The first pages of the import wizard: the file, the sheet and the column mapping.

Each page reads and sets the wizard's state (``Wizard``: the file, the draft read from it,
the mapping) and runs long work through the wizard's ``run`` (a worker thread with Cancel).
A mapping that cannot be saved says why on its page, every problem in full.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from coprod_me.model.errors import DomainError
from coprod_me.services import Services
from coprod_me.services.ngo_imports import (
    Choices,
    ColumnMapping,
    ImportDraft,
    ImportResult,
    ImportService,
    Preview,
    Target,
)

FILE_FILTER = ("Spreadsheets (" + " ".join(f"*{s}" for s in ImportService.SUFFIXES)
               + ");;All files (*)")
_Index = QModelIndex | QPersistentModelIndex


class Wizard(Protocol):
    """What a page reads and sets on the import wizard it belongs to (``ImportWizard``)."""

    services: Services
    programme_code: str | None
    initial_path: Path | None
    path: Path | None
    sheets: list[str]
    sheet: str | None
    draft: ImportDraft | None
    mapping: ColumnMapping | None
    choices: Choices
    preview: Preview | None
    import_result: ImportResult | None
    changed: bool
    imported: Any  # Signal(ImportResult)

    def report(self, exc: BaseException) -> None: ...

    def run(self, title: str, job: Callable[[Any, Any], Any], done: Callable[[Any], None],
            on_error: Callable[[], None] | None = None) -> None: ...


class MappingTableModel(QAbstractTableModel):
    """Source column → target field; the target column is editable (a combo box)."""

    COLUMN, EXAMPLES, TARGET = range(3)
    TITLES = ("Column in the file", "First values", "Maps to")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.keys: list[str] = []
        self.examples: list[str] = []
        self.targets: list[str] = []
        self.plain: list[str] = []

    def set_mapping(self, draft: ImportDraft, mapping: ColumnMapping) -> None:
        self.beginResetModel()
        self.keys = draft.column_keys
        self.examples = [", ".join(draft.samples(k)) for k in self.keys]
        self.targets = [mapping.columns.get(k, "ignore") for k in self.keys]
        self.plain = draft.targets()
        self.endResetModel()

    def mapping(self, header_row: int, header_rows: int) -> ColumnMapping:
        return ColumnMapping(header_row, header_rows, dict(zip(self.keys, self.targets,
                                                               strict=True)))

    def choices(self, row: int) -> list[str]:
        """The targets a row's combo offers: every field, and its own suggestion."""
        out = list(self.plain)
        if self.targets[row] not in out:
            out.insert(1, self.targets[row])
        return out

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.keys)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.keys):
            return None
        r, c = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if c == self.COLUMN:
                return self.keys[r]
            if c == self.EXAMPLES:
                return self.examples[r]
            return Target.parse(self.targets[r]).label()
        if role == Qt.ItemDataRole.EditRole and c == self.TARGET:
            return self.targets[r]
        if role == Qt.ItemDataRole.ToolTipRole and c == self.TARGET:
            return "Double-click or press F2 to choose what this column holds"
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != self.TARGET or \
                role != Qt.ItemDataRole.EditRole:
            return False
        text = str(value)
        try:
            Target.parse(text)
        except DomainError:  # not a target a column can map to
            return False
        self.targets[index.row()] = text
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])
        return True

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == self.TARGET:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < 3:
            return self.TITLES[section]
        return None


class TargetDelegate(QStyledItemDelegate):
    """A combo box of targets, labelled in words, for the mapping table's last column."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: _Index) -> QWidget:
        combo = QComboBox(parent)
        combo.setAccessibleName("Maps to")
        model = index.model()
        assert isinstance(model, MappingTableModel)
        for text in model.choices(index.row()):
            combo.addItem(Target.parse(text).label(), text)
        return combo

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        assert isinstance(editor, QComboBox)
        i = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        editor.setCurrentIndex(max(i, 0))

    def setModelData(self, editor: QWidget, model: Any, index: _Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)



# ------------------------------------------------------------------------------------ pages


class FilePage(QWizardPage):
    def __init__(self, wizard: Wizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Choose the spreadsheet")
        self.setSubTitle("An NGO's quarterly figures in any shape: .xlsx, .xlsm, .xls, .ods "
                         "or .csv.")
        form = QFormLayout(self)
        self.programme = QComboBox()
        self.programme.setAccessibleName("Programme")
        for p in wizard.services.programmes.summaries():
            self.programme.addItem(f"{p.code} — {p.name}", p.code)
        if wizard.programme_code:
            self.programme.setCurrentIndex(max(self.programme.findData(
                wizard.programme_code), 0))
        form.addRow("&Programme:", self.programme)
        self.path = QLineEdit(str(wizard.initial_path) if wizard.initial_path else "")
        self.path.setAccessibleName("Spreadsheet file")
        self.browse = QPushButton("&Browse…")
        self.browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path)
        row.addWidget(self.browse)
        file_label = QLabel("&File:")
        file_label.setBuddy(self.path)  # a layout cannot be a buddy: point Alt+F at the path
        form.addRow(file_label, row)
        self.path.textChanged.connect(self.completeChanged)
        self.programme.currentIndexChanged.connect(self.completeChanged)

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import a spreadsheet", "", FILE_FILTER)
        if name:
            self.path.setText(name)

    def isComplete(self) -> bool:
        return bool(self.programme.currentData()) and Path(self.path.text()).is_file()

    def validatePage(self) -> bool:
        try:
            self.w.sheets = self.w.services.imports.sheets(Path(self.path.text()))
        except Exception as exc:
            self.w.report(exc)
            return False
        self.w.path = Path(self.path.text())
        self.w.programme_code = self.programme.currentData()
        return True


class SheetPage(QWizardPage):
    def __init__(self, wizard: Wizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Choose the sheet")
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        self.list.setAccessibleName("Sheets")
        label = QLabel("&Sheets of the file:")
        label.setBuddy(self.list)
        layout.addWidget(label)
        layout.addWidget(self.list)
        self.list.currentRowChanged.connect(self.completeChanged)

    def initializePage(self) -> None:
        self.list.clear()
        self.list.addItems(self.w.sheets)
        preferred = next((i for i, n in enumerate(self.w.sheets)
                          if n in ("Observations_raw", "Observations")), 0)
        self.list.setCurrentRow(preferred)
        self.list.setFocus()

    def isComplete(self) -> bool:
        return self.list.currentRow() >= 0

    def validatePage(self) -> bool:
        self.w.sheet = self.w.sheets[self.list.currentRow()]
        return True


class MappingPage(QWizardPage):
    def __init__(self, wizard: Wizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Say what each column holds")
        self.setSubTitle("The suggestion comes from the headers (English, French, Spanish, "
                         "Italian, Portuguese, HXL hashtags) or from a saved mapping.")
        layout = QVBoxLayout(self)
        top = QFormLayout()
        self.saved = QComboBox()
        self.saved.setAccessibleName("Saved mapping")
        top.addRow("Saved &mapping:", self.saved)
        rows = QHBoxLayout()
        self.header_row = QSpinBox()
        self.header_row.setRange(1, 1_048_576)
        self.header_row.setAccessibleName("Header row")
        self.header_rows = QSpinBox()
        self.header_rows.setRange(1, 4)
        self.header_rows.setAccessibleName("Header rows")
        self.reread = QPushButton("&Read again")
        self.reread.clicked.connect(self._reread)
        rows.addWidget(self.header_row)
        rows.addWidget(QLabel("rows deep:"))
        rows.addWidget(self.header_rows)
        rows.addWidget(self.reread)
        rows.addStretch()
        header_label = QLabel("&Header starts at row:")
        header_label.setBuddy(self.header_row)
        top.addRow(header_label, rows)
        layout.addLayout(top)
        self.model = MappingTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(MappingTableModel.TARGET, TargetDelegate(self))
        self.table.setAccessibleName("Column mapping")
        self.table.horizontalHeader().setSectionResizeMode(
            MappingTableModel.TARGET, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableView.EditTrigger.AllEditTriggers)
        layout.addWidget(self.table)
        save = QHBoxLayout()
        self.save_name = QLineEdit()
        self.save_name.setPlaceholderText("e.g. the sender's name")
        self.save_name.setAccessibleName("Save mapping as")
        self.save_button = QPushButton("Sa&ve mapping")
        self.save_button.clicked.connect(self._save)
        label = QLabel("Save mapping &as:")
        label.setBuddy(self.save_name)
        save.addWidget(label)
        save.addWidget(self.save_name)
        save.addWidget(self.save_button)
        layout.addLayout(save)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.ready = False
        self.saved.activated.connect(self._use_saved)

    def initializePage(self) -> None:
        self._read(None, None, None)

    def _read(self, header_row: int | None, header_rows: int | None,
              mapping_name: str | None, use_saved: bool = True) -> None:
        self.ready = False
        self.completeChanged.emit()
        w = self.w
        path, code, sheet = w.path, w.programme_code, w.sheet
        assert path is not None and code is not None

        def job(progress: Any, cancelled: Any) -> ImportDraft:
            return w.services.imports.open(path, code, sheet=sheet, header_row=header_row,
                                           header_rows=header_rows, mapping_name=mapping_name,
                                           use_saved=use_saved, progress=progress,
                                           cancelled=cancelled)

        w.run(f"Reading {path.name}", job, self._show)

    def _show(self, draft: ImportDraft) -> None:
        self.w.draft = draft
        self.model.set_mapping(draft, draft.mapping)
        self.header_row.setValue(draft.mapping.header_row)
        self.header_rows.setValue(draft.mapping.header_rows)
        self.saved.clear()
        self.saved.addItem("(suggested from the headers)", None)
        for m in self.w.services.imports.mappings(self.w.programme_code):
            self.saved.addItem(m.name, m.name)
        if draft.mapping_name:
            self.saved.setCurrentIndex(self.saved.findData(draft.mapping_name))
            self.status.setText(f"The saved mapping '{draft.mapping_name}' matches these "
                                "headers and was applied.")
        else:
            self.status.setText(f"{len(draft.column_keys)} columns; header at row "
                                f"{draft.mapping.header_row}.")
        self.table.resizeColumnsToContents()
        self.ready = True
        self.completeChanged.emit()

    def _reread(self) -> None:
        self._read(self.header_row.value(), self.header_rows.value(), None)

    def _use_saved(self, _index: int) -> None:
        name = self.saved.currentData()
        # "(suggested)" means the headers' own reading, even when a saved mapping matches
        self._read(None, None, name, use_saved=bool(name))

    def mapping(self) -> ColumnMapping:
        return self.model.mapping(self.header_row.value(), self.header_rows.value())

    def _save(self) -> None:
        if self.w.draft is None:
            return
        try:
            self.w.services.imports.save_mapping(self.save_name.text(), self.w.draft,
                                                 self.mapping())
        except DomainError as exc:  # every problem of the mapping, in full, on the page
            self.status.setText(str(exc))
            return
        self.status.setText(f"Saved as '{self.save_name.text().strip()}': next time a file "
                            "with these headers is imported, it is applied.")

    def isComplete(self) -> bool:
        return self.ready

    def validatePage(self) -> bool:
        self.w.mapping = self.mapping()
        return True
