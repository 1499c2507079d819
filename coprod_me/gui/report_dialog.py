"""File → Export quarterly report: choose programmes, quarter, sections and where to save.

The report is written on the thread pool (``BackgroundTask``) with a progress dialog and
Cancel; the service writes to a temporary file and renames it, so Cancel leaves nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from coprod_me.gui.errors import report_exception, show_domain_error
from coprod_me.gui.workers import BackgroundTask
from coprod_me.model.errors import Cancelled, DomainError
from coprod_me.model.quarter import Quarter
from coprod_me.services import Services
from coprod_me.services.quarterly_reports import (
    DEFAULT_SUPPRESSION_THRESHOLD,
    SECTIONS,
    ReportResult,
)

REPORT_FILTER = "Excel workbooks (*.xlsx)"


class ReportDialog(QDialog):
    """The quarterly report's options; ``exported`` carries the ReportResult when written."""

    exported = Signal(object)

    def __init__(self, services: Services, codes: list[str], quarter: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.task: BackgroundTask | None = None
        self.result: ReportResult | None = None
        self.setWindowTitle("Export quarterly report")
        self.setAccessibleName("Export quarterly report")

        self._make_choices(codes, quarter)
        out_row = self._make_destination()
        self.status = QLabel(self)
        self.status.setAccessibleName("Export status")
        self.status.setWordWrap(True)

        form = self._form(out_row)
        self._make_buttons()

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(560, 560)

    # ----------------------------------------------------------------------------- parts

    def _make_choices(self, codes: list[str], quarter: str | None) -> None:
        """The programmes (``codes`` ticked), the quarter, the sheets and the threshold."""
        self.programmes = QListWidget(self)
        self.programmes.setAccessibleName("Programmes in the report")
        self.programmes.setToolTip("Tick one programme for its report, several for a portfolio "
                                   "report with a Portfolio sheet comparing them")
        for code, name in self.services.reports.programme_codes():
            item = QListWidgetItem(f"{code} — {name}", self.programmes)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if code in codes
                               else Qt.CheckState.Unchecked)
        self.programmes.setMaximumHeight(130)
        self.programmes.itemChanged.connect(self._refresh_quarters)

        self.quarter = QComboBox(self)
        self.quarter.setEditable(True)
        self.quarter.setAccessibleName("Reporting quarter")
        self.quarter.setToolTip("The quarter the report is about, written 2024Q2")
        self._wanted_quarter = quarter
        self._refresh_quarters()

        self.sections = QListWidget(self)
        self.sections.setAccessibleName("Sheets in the report")
        self.sections.setToolTip("README is always included")
        for name in SECTIONS[1:]:
            item = QListWidgetItem(name, self.sections)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        self.sections.setMaximumHeight(130)

        self.threshold = QSpinBox(self)
        self.threshold.setRange(0, 1000)
        self.threshold.setValue(DEFAULT_SUPPRESSION_THRESHOLD)
        self.threshold.setAccessibleName("Suppression threshold")
        self.threshold.setToolTip("Disaggregated counts under this number are shown as '<N' "
                                  "and left out of ratios; 0 shows every count")

    def _make_destination(self) -> QHBoxLayout:
        """The report file with Browse (the row returned), and the PNG pictures' folder."""
        self.output = QLineEdit(self)
        self.output.setAccessibleName("Report file")
        self.output.setPlaceholderText("report.xlsx")
        self.browse = QPushButton("&Browse…", self)
        self.browse.setAccessibleName("Choose the report file")
        self.browse.clicked.connect(self.choose_output)
        self.pngs = QCheckBox("Also save the charts as &PNG pictures", self)
        self.pngs.setAccessibleName("Save charts as PNG pictures")
        self.png_dir = QLineEdit(self)
        self.png_dir.setAccessibleName("Folder for the PNG pictures")
        self.png_dir.setPlaceholderText("a folder beside the report")
        self.png_dir.setEnabled(False)
        self.pngs.toggled.connect(self.png_dir.setEnabled)
        out_row = QHBoxLayout()
        out_row.addWidget(self.output, 1)
        out_row.addWidget(self.browse)
        return out_row

    def _form(self, out_row: QHBoxLayout) -> QFormLayout:
        """The fields under their labels (a label's mnemonic goes to its field)."""
        form = QFormLayout()
        for text, widget in (("P&rogrammes:", self.programmes), ("&Quarter:", self.quarter),
                             ("S&heets:", self.sections),
                             ("Suppress counts &under:", self.threshold)):
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)
        out_label = QLabel("Save &as:", self)
        out_label.setBuddy(self.output)
        form.addRow(out_label, out_row)
        form.addRow("", self.pngs)
        png_label = QLabel("PNG &folder:", self)
        png_label.setBuddy(self.png_dir)
        form.addRow(png_label, self.png_dir)
        return form

    def _make_buttons(self) -> None:
        """Export (the default button) and Close."""
        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton("&Export",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setAccessibleName("Export the report")
        self.export_button.setDefault(True)
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close without exporting")
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)

    # --------------------------------------------------------------------------- choices

    def chosen_codes(self) -> list[str]:
        return [self.programmes.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.programmes.count())
                if self.programmes.item(i).checkState() == Qt.CheckState.Checked]

    def chosen_sections(self) -> list[str]:
        return [self.sections.item(i).text() for i in range(self.sections.count())
                if self.sections.item(i).checkState() == Qt.CheckState.Checked]

    def _refresh_quarters(self, *_args: Any) -> None:
        current = self.quarter.currentText() or self._wanted_quarter
        codes = self.chosen_codes()
        quarters = self.services.reports.quarters(codes) if codes else []
        self.quarter.blockSignals(True)
        self.quarter.clear()
        self.quarter.addItems(quarters)
        if current:
            self.quarter.setCurrentText(current)
        self.quarter.blockSignals(False)

    def choose_output(self) -> None:
        start = self.output.text() or str(Path.home() / self._suggested_name())
        name, _ = QFileDialog.getSaveFileName(self, "Save quarterly report as", start,
                                              REPORT_FILTER)
        if name:
            self.output.setText(name if name.lower().endswith(".xlsx") else name + ".xlsx")

    def _suggested_name(self) -> str:
        codes = self.chosen_codes()
        who = codes[0] if len(codes) == 1 else "portfolio"
        return f"{who}-{self.quarter.currentText() or 'report'}.xlsx"

    # ---------------------------------------------------------------------------- export

    def export(self) -> BackgroundTask | None:
        codes, sections = self.chosen_codes(), self.chosen_sections()
        try:
            if not codes:
                raise DomainError("Tick at least one programme.")
            quarter = str(Quarter.parse(self.quarter.currentText()))
            if not self.output.text().strip():
                raise DomainError("Choose where to save the report (Save as).")
        except DomainError as exc:  # InvalidQuarter too
            self.status.setText(str(exc))
            return None
        output = Path(self.output.text().strip())
        png_dir: Path | None = None
        if self.pngs.isChecked():
            png_dir = (Path(self.png_dir.text().strip()) if self.png_dir.text().strip()
                       else output.with_name(output.stem + "-charts"))
        threshold = self.threshold.value()
        reports = self.services.reports

        def job(progress: Any, cancelled: Any) -> ReportResult:
            return reports.write(codes, quarter, output, sections=sections,
                                 suppression_threshold=threshold, png_dir=png_dir,
                                 progress=progress, cancelled=cancelled)

        self.export_button.setEnabled(False)
        self.status.setText(f"Writing {output.name} …")
        self.task = BackgroundTask(self, "Exporting quarterly report", job)
        self.task.done.connect(self._done)
        self.task.error.connect(self._failed)
        return self.task.start()

    def _done(self, result: object) -> None:
        assert isinstance(result, ReportResult)
        self.result = result
        self.export_button.setEnabled(True)
        extra = f" and {len(result.pngs)} PNG charts" if result.pngs else ""
        self.status.setText(f"Wrote {result.file}{extra}.")
        self.exported.emit(result)
        self.accept()

    def _failed(self, exc: object) -> None:
        self.export_button.setEnabled(True)
        assert isinstance(exc, BaseException)
        if isinstance(exc, Cancelled):
            self.status.setText("Export cancelled; no report was written.")
        elif isinstance(exc, DomainError):
            self.status.setText(str(exc))
            show_domain_error(self, exc, "Cannot export the report")
        else:
            self.status.setText("The export failed; see the error details.")
            report_exception(exc, self)
