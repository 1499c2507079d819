"""The import wizard for NGO spreadsheets: file → sheet → mapping → preview → result.

Reading, previewing and committing run on a worker thread (``BackgroundTask``) with progress
and Cancel; a cancelled commit saves nothing. The preview page is the commit page: once the
import is saved the wizard cannot go back, but the result page can undo the whole batch.
``imported`` is emitted after a commit or an undo so the main window can refresh.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
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
    QWizard,
    QWizardPage,
)

from coprod_me.gui.errors import report_exception
from coprod_me.gui.table_models import Column, RowTableModel, filtered
from coprod_me.gui.workers import BackgroundTask
from coprod_me.model.enums import BetterOffType, ResultLevel, Unit
from coprod_me.services import Services
from coprod_me.services.ngo_imports import (
    Choices,
    ColumnMapping,
    ImportDraft,
    ImportResult,
    ImportService,
    Preview,
    PreviewRow,
    Target,
)

FILE_FILTER = ("Spreadsheets (" + " ".join(f"*{s}" for s in ImportService.SUFFIXES)
               + ");;All files (*)")
_Index = QModelIndex | QPersistentModelIndex
_STATUS_COLOURS = {"new": "#d8efd9", "update": "#fff3cd", "unchanged": None,
                   "skipped": "#e8e8e8", "rejected": "#f6d7d2"}
_UPDATE_CHOICES = (("update", "Update them: the file wins"),
                   ("skip", "Skip them: keep what the database holds"),
                   ("reject", "Reject them: report them as errors"))
_DUPLICATE_CHOICES = (("reject", "Reject both rows"), ("first", "Keep the first row"),
                      ("last", "Keep the last row"))


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
        except Exception:
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


PREVIEW_COLUMNS: list[Column[PreviewRow]] = [
    Column("Row", lambda r: r.row, "Row in the spreadsheet", align_right=True),
    Column("Cell", lambda r: r.cell or "", "The figure's cell (a wide row holds several)"),
    Column("Status", lambda r: r.status, colour=lambda r: _STATUS_COLOURS.get(r.status)),
    Column("Indicator", lambda r: r.indicator),
    Column("Quarter", lambda r: r.period),
    Column("Strand", lambda r: r.strand),
    Column("Disaggregation", lambda r: ", ".join(f"{d}={c}" for d, c in r.dims.items())),
    Column("Value", lambda r: r.values.get("value"), align_right=True),
    Column("Problems / notes", lambda r: r.describe(), max_width=480),
]


def preview_table_model(parent: Any = None) -> RowTableModel[PreviewRow]:
    return RowTableModel(PREVIEW_COLUMNS, parent)


# ------------------------------------------------------------------------------------ pages


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
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
    def __init__(self, wizard: ImportWizard) -> None:
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
    def __init__(self, wizard: ImportWizard) -> None:
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
        except Exception as exc:
            self.w.report(exc)
            return
        self.status.setText(f"Saved as '{self.save_name.text().strip()}': next time a file "
                            "with these headers is imported, it is applied.")

    def isComplete(self) -> bool:
        return self.ready

    def validatePage(self) -> bool:
        self.w.mapping = self.mapping()
        return True


class PreviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Check what will happen")
        self.setSubTitle("Nothing is saved until you press Import. Rejected rows are not "
                         "imported; write them to an errors workbook for the sender.")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        layout = QVBoxLayout(self)
        self.counts = QLabel()
        self.counts.setAccessibleName("Counts")
        layout.addWidget(self.counts)
        form = QFormLayout()
        self.updates = QComboBox()
        self.updates.setAccessibleName("Rows that change stored figures")
        for value, text in _UPDATE_CHOICES:
            self.updates.addItem(text, value)
        self.duplicates = QComboBox()
        self.duplicates.setAccessibleName("Rows repeated in the file")
        for value, text in _DUPLICATE_CHOICES:
            self.duplicates.addItem(text, value)
        form.addRow("Rows that change stored &figures:", self.updates)
        form.addRow("Rows &repeated in the file:", self.duplicates)
        layout.addLayout(form)
        self.model = preview_table_model(self)
        self.proxy, self.filter = filtered(self.model, self, "Filter rows (e.g. rejected)",
                                           "Filter preview rows")
        layout.addWidget(self.filter)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setAccessibleName("Preview of every row")
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.errors_button = QPushButton("Write &errors workbook…")
        self.errors_button.clicked.connect(self._write_errors)
        self.create_indicator_button = QPushButton("Create &indicator…")
        self.create_indicator_button.clicked.connect(self._create_indicator)
        self.create_strand_button = QPushButton("Create &strand…")
        self.create_strand_button.clicked.connect(self._create_strand)
        for b in (self.errors_button, self.create_indicator_button, self.create_strand_button):
            buttons.addWidget(b)
        buttons.addStretch()
        layout.addLayout(buttons)
        self.ready = False
        self.updates.currentIndexChanged.connect(self._refresh)
        self.duplicates.currentIndexChanged.connect(self._refresh)

    def choices(self) -> Choices:
        return Choices(self.updates.currentData(), self.duplicates.currentData())

    def initializePage(self) -> None:
        self._refresh()

    def _refresh(self) -> None:
        w = self.w
        if w.draft is None or w.mapping is None:
            return
        self.ready = False
        self.completeChanged.emit()
        draft, mapping, choices = w.draft, w.mapping, self.choices()

        def job(progress: Any, cancelled: Any) -> Preview:
            return w.services.imports.preview(draft, mapping, choices, progress=progress,
                                              cancelled=cancelled)

        w.run("Checking every row", job, self._show, on_error=self._failed)

    def _failed(self) -> None:
        self.counts.setText("The mapping cannot be used; go back and correct it.")

    def _show(self, preview: Preview) -> None:
        self.w.preview = preview
        self.model.set_rows(preview.rows)
        c = preview.counts
        self.counts.setText(f"{c['new']} new, {c['update']} update, {c['unchanged']} "
                            f"unchanged, {c['skipped']} skipped (no figure), {c['rejected']} "
                            "rejected")
        self.errors_button.setEnabled(c["rejected"] > 0)
        self.create_indicator_button.setEnabled(bool(preview.unknown_indicators))
        self.create_strand_button.setEnabled(bool(preview.unknown_strands))
        self.table.resizeColumnsToContents()
        self.ready = True
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        p = self.w.preview
        return self.ready and p is not None and (p.count("new") + p.count("update")) > 0

    def _write_errors(self) -> None:
        p = self.w.preview
        if p is None:
            return
        default = str(p.draft.path.with_name(p.draft.path.stem + "-errors.xlsx"))
        name, _ = QFileDialog.getSaveFileName(self, "Write the rejected rows", default,
                                              "Excel workbook (*.xlsx)")
        if not name:
            return
        try:
            out = self.w.services.imports.write_errors(p, Path(name))
        except Exception as exc:
            self.w.report(exc)
            return
        self.counts.setText(self.counts.text() + f" — errors written to {out.name}")

    def _create_indicator(self) -> None:
        p = self.w.preview
        if p is None or not p.unknown_indicators:
            return
        dialog = CreateIndicatorDialog(list(p.unknown_indicators.values()), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self.w.services.imports.create_indicator(
                self.w.programme_code or "", dialog.code(), result_level=dialog.level(),
                unit=dialog.unit(), name=dialog.name(),
                better_off_type=dialog.better_off_type())
        except Exception as exc:
            self.w.report(exc)
            return
        self.w.changed = True
        self._refresh()

    def _create_strand(self) -> None:
        p = self.w.preview
        if p is None or not p.unknown_strands:
            return
        text = next(iter(p.unknown_strands))
        imports = self.w.services.imports
        try:
            imports.create_strand(self.w.programme_code or "", imports.strand_code_for(text),
                                  name=text)
        except Exception as exc:
            self.w.report(exc)
            return
        self.w.changed = True
        self._refresh()

    def validatePage(self) -> bool:
        # Commit runs on the result page, on a worker; this page only hands over the choices.
        self.w.choices = self.choices()
        return True


class ResultPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Result")
        layout = QVBoxLayout(self)
        self.summary = QLabel("Importing…")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Import result")
        layout.addWidget(self.summary)
        self.undo_button = QPushButton("&Undo this import")
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(self._undo)
        layout.addWidget(self.undo_button)
        layout.addStretch()
        self.done = False

    def initializePage(self) -> None:
        w = self.w
        draft, mapping, choices = w.draft, w.mapping, w.choices
        assert draft is not None and mapping is not None

        def job(progress: Any, cancelled: Any) -> ImportResult:
            return w.services.imports.commit(draft, mapping, choices, progress=progress,
                                             cancelled=cancelled)

        w.run(f"Importing {draft.file_name}", job, self._show, on_error=self._failed)

    def _show(self, result: ImportResult) -> None:
        self.w.import_result = result
        self.w.changed = self.w.changed or result.saved
        lines = [f"{result.imported} new, {result.updated} updated, {result.unchanged} "
                 f"unchanged, {result.skipped} skipped, {result.rejected} rejected."]
        if result.batch_id is not None:
            lines.append(f"Saved as import batch {result.batch_id}; it can be undone until "
                         "one of its quarters is locked.")
        else:
            lines.append("Nothing was saved.")
        self.summary.setText("\n".join(lines))
        self.undo_button.setEnabled(result.batch_id is not None)
        self.done = True
        self.completeChanged.emit()
        if result.saved:
            self.w.imported.emit(result)

    def _failed(self) -> None:
        self.summary.setText("Nothing was saved.")
        self.done = True
        self.completeChanged.emit()

    def _undo(self) -> None:
        r = self.w.import_result
        if r is None or r.batch_id is None:
            return
        try:
            undone = self.w.services.imports.undo(r.batch_id)
        except Exception as exc:
            self.w.report(exc)
            return
        self.summary.setText(f"Import batch {undone.batch_id} undone: {undone.deleted} "
                             f"observation(s) removed, {undone.restored} value(s) restored.")
        self.undo_button.setEnabled(False)
        self.w.imported.emit(r)

    def isComplete(self) -> bool:
        return self.done


class CreateIndicatorDialog(QDialog):
    """Create an indicator the file names: the user chooses its result level."""

    def __init__(self, unknown: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Create an indicator")
        form = QFormLayout(self)
        self.code_box = QComboBox()
        self.code_box.setAccessibleName("Indicator code")
        for u in unknown:
            self.code_box.addItem(f"{u.code} (row {u.first_row})", u)
        self.name_edit = QLineEdit(unknown[0].name if unknown else "")
        self.name_edit.setAccessibleName("Indicator name")
        self.level_box = QComboBox()
        self.level_box.setAccessibleName("Result level")
        for lvl in ResultLevel:
            self.level_box.addItem(lvl.value.replace("_", " "), lvl.value)
        self.level_box.setCurrentIndex(self.level_box.findData("output"))
        self.unit_box = QComboBox()
        self.unit_box.setAccessibleName("Unit")
        for unit in Unit:
            self.unit_box.addItem(unit.value.replace("_", " "), unit.value)
        self.better_box = QComboBox()
        self.better_box.setAccessibleName("How people are better off")
        self.better_box.addItem("(not an outcome)", None)
        for b in BetterOffType:
            self.better_box.addItem(b.value.replace("_", " "), b.value)
        form.addRow("&Code:", self.code_box)
        form.addRow("&Name:", self.name_edit)
        form.addRow("Result &level:", self.level_box)
        form.addRow("&Unit:", self.unit_box)
        form.addRow("&Better off by:", self.better_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.code_box.currentIndexChanged.connect(self._pick)
        self._pick()

    def _pick(self) -> None:
        u = self.code_box.currentData()
        if u is not None:
            self.name_edit.setText(u.name)
            self.unit_box.setCurrentIndex(max(self.unit_box.findData(u.unit), 0))

    def code(self) -> str:
        u = self.code_box.currentData()
        return str(u.code) if u is not None else ""

    def name(self) -> str:
        return self.name_edit.text()

    def level(self) -> str:
        return str(self.level_box.currentData())

    def unit(self) -> str:
        return str(self.unit_box.currentData())

    def better_off_type(self) -> str | None:
        v = self.better_box.currentData()
        return None if v is None else str(v)


# ----------------------------------------------------------------------------------- wizard


class ImportWizard(QWizard):
    """Import an NGO spreadsheet into a programme's observations.

    ``imported(ImportResult)`` is emitted after a commit that saved rows and after an undo;
    ``changed`` is True when anything in the database changed (rows, a created indicator or
    strand), so the caller refreshes its views when the wizard closes.
    """

    imported = Signal(object)

    PAGE_FILE, PAGE_SHEET, PAGE_MAPPING, PAGE_PREVIEW, PAGE_RESULT = range(5)

    def __init__(self, services: Services, programme_code: str | None,
                 path: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.programme_code = programme_code
        self.initial_path = path
        self.path: Path | None = path
        self.sheets: list[str] = []
        self.sheet: str | None = None
        self.draft: ImportDraft | None = None
        self.mapping: ColumnMapping | None = None
        self.choices = Choices()
        self.preview: Preview | None = None
        self.import_result: ImportResult | None = None
        self.changed = False
        self.task: BackgroundTask | None = None
        self.setWindowTitle("Import an NGO spreadsheet")
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.file_page = FilePage(self)
        self.sheet_page = SheetPage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.result_page = ResultPage(self)
        for i, page in enumerate((self.file_page, self.sheet_page, self.mapping_page,
                                  self.preview_page, self.result_page)):
            self.setPage(i, page)
        self.resize(900, 600)

    def report(self, exc: BaseException) -> None:
        report_exception(exc, self)

    def run(self, title: str, job: Callable[[Any, Any], Any], done: Callable[[Any], None],
            on_error: Callable[[], None] | None = None) -> None:
        """Long work on the thread pool with a progress dialog and Cancel."""
        task = BackgroundTask(self, title, job)
        task.done.connect(done)

        def failed(exc: object) -> None:
            if on_error is not None:
                on_error()
            if isinstance(exc, BaseException):
                self.report(exc)

        task.error.connect(failed)
        self.task = task
        task.start()

    @property
    def busy(self) -> bool:
        return self.task is not None and self.task.running


__all__ = ["ImportWizard", "MappingTableModel", "preview_table_model"]
