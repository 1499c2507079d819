"""The last pages of the import wizard: what will happen to every row, then the result.

The preview page is the commit page: it hands the choices over and the result page commits
on a worker (Cancel saves nothing), then offers to undo the whole batch. The preview page can
create an indicator or strand the file names but the programme lacks. It lists in full, in the
window, every rejected row with why, every stored figure the file would change (kept by
default, until the user chooses to update them) and every figure that looks unusual next to
its series; a mapping that cannot be used is explained there too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from coprod_me.gui.import_pages import Wizard
from coprod_me.gui.table_models import Column, RowTableModel, filtered
from coprod_me.model.enums import BetterOffType, ResultLevel, Unit
from coprod_me.model.errors import DomainError
from coprod_me.services.ngo_imports import Choices, ImportResult, Preview, PreviewRow

_STATUS_COLOURS = {"new": "#d8efd9", "update": "#fff3cd", "unchanged": None,
                   "skipped": "#e8e8e8", "rejected": "#f6d7d2"}
_UPDATE_CHOICES = (("skip", "Skip them and list the changes: keep what the database holds"),
                   ("update", "Update them: the file wins"),
                   ("reject", "Reject them: report them as errors"))
_DUPLICATE_CHOICES = (("reject", "Reject both rows"), ("first", "Keep the first row"),
                      ("last", "Keep the last row"))


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


class PreviewPage(QWizardPage):
    def __init__(self, wizard: Wizard) -> None:
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
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Problems, changes and warnings")
        self.details.setMaximumHeight(10 * self.fontMetrics().lineSpacing())
        layout.addWidget(self.details)
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

        def job(progress: Any, cancelled: Any) -> Preview | DomainError:
            try:
                return w.services.imports.preview(draft, mapping, choices, progress=progress,
                                                  cancelled=cancelled)
            except DomainError as exc:  # said in full on this page, not in a dialog
                return exc

        w.run("Checking every row", job, self._show, on_error=self._failed)

    def _failed(self) -> None:
        self.counts.setText("The mapping cannot be used; go back and correct it.")

    def _show(self, preview: Preview | DomainError) -> None:
        if isinstance(preview, DomainError):
            self.w.preview = None
            self.model.set_rows([])
            self._failed()
            self.details.setPlainText(str(preview))
            return
        self.w.preview = preview
        self.model.set_rows(preview.rows)
        c = preview.counts
        changes, warnings = preview.changes, preview.warnings
        self.counts.setText(
            f"{c['new']} new, {c['update']} update, {c['unchanged']} unchanged, "
            f"{c['skipped'] - len(changes)} skipped (no figure), "
            + (f"{len(changes)} kept as stored, " if changes else "")
            + f"{c['rejected']} rejected" + (f"; {len(warnings)} unusual figure(s) to check"
                                            if warnings else ""))
        self.details.setPlainText(_details(preview, changes, warnings))
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


def _details(preview: Preview, changes: list[str], warnings: list[str]) -> str:
    """Every rejected row with why, every stored figure kept and every unusual figure, in
    full: what the preview page shows under its table."""
    lines: list[str] = []
    problems = preview.problems
    if problems:
        lines += [f"Rejected: {len(problems)} problem(s), each with what to fix:",
                  *(f"- {p}" for p in problems), ""]
    if changes:
        lines += [f"Kept as stored: {len(changes)} row(s) would change figures the database "
                  "holds (choose 'Update them' above to apply them):",
                  *(f"- {c}" for c in changes), ""]
    if warnings:
        lines += [f"Unusual figures: {len(warnings)} (they are imported; check them):",
                  *(f"- {w}" for w in warnings)]
    return "\n".join(lines).strip() or "No problems: every row reads cleanly."


class ResultPage(QWizardPage):
    def __init__(self, wizard: Wizard) -> None:
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
        kept = len(result.changes)
        lines = [f"{result.imported} new, {result.updated} updated, {result.unchanged} "
                 f"unchanged, {result.skipped - kept} skipped, "
                 + (f"{kept} kept as stored, " if kept else "")
                 + f"{result.rejected} rejected."]
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
