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

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget, QWizard

from coprod_me.gui.errors import report_exception
from coprod_me.gui.import_pages import FilePage, MappingPage, MappingTableModel, SheetPage
from coprod_me.gui.import_preview import PreviewPage, ResultPage, preview_table_model
from coprod_me.gui.workers import BackgroundTask
from coprod_me.services import Services
from coprod_me.services.ngo_imports import (
    Choices,
    ColumnMapping,
    ImportDraft,
    ImportResult,
    Preview,
)


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
