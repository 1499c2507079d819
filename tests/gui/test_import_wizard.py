"""The import wizard driven page by page with qtbot; assertions on the database."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFileDialog, QStyleOptionViewItem

from coprod_me.gui.import_wizard import ImportWizard, MappingTableModel
from coprod_me.model.errors import Cancelled
from coprod_me.services import Services
from coprod_me.services.ngo_imports import ImportService
from tests import ngo_files as nf
from tests.builders import small_programme_rows, write


@pytest.fixture
def loaded(services: Services, tmp_path: Path) -> Services:
    services.workbooks.load(write(tmp_path / "p.xlsx", small_programme_rows()))
    return services


@pytest.fixture
def reported(monkeypatch) -> list[BaseException]:
    errors: list[BaseException] = []
    monkeypatch.setattr(ImportWizard, "report", lambda self, exc: errors.append(exc))
    return errors


def _wizard(qtbot, services: Services, path: Path) -> ImportWizard:
    w = ImportWizard(services, "T-01", path)
    qtbot.addWidget(w)
    w.show()
    return w


def _to_preview(qtbot, w: ImportWizard) -> None:
    assert w.currentId() == ImportWizard.PAGE_FILE and w.file_page.isComplete()
    w.next()
    assert w.currentId() == ImportWizard.PAGE_SHEET
    assert w.sheet_page.list.currentItem().text() == nf.MESSY_SHEET
    w.next()
    qtbot.waitUntil(lambda: w.mapping_page.ready, timeout=10000)


def _values(services: Services) -> dict:
    return {(o.indicator_code, o.period, o.strand_code, tuple(o.dims.items())): o.value
            for o in services.observations.find("T-01")}


def test_the_wizard_imports_a_messy_sheet_end_to_end(qtbot, qtmodeltester, loaded: Services,
                                                     tmp_path: Path, monkeypatch, reported):
    before = _values(loaded)
    w = _wizard(qtbot, loaded, nf.messy_long_xlsx(tmp_path / "ngo.xlsx"))
    _to_preview(qtbot, w)

    page = w.mapping_page
    qtmodeltester.check(page.model)
    assert page.header_row.value() == 4
    targets = dict(zip(page.model.keys, page.model.targets, strict=True))
    assert targets["Valeur"] == "value" and targets["Trimestre"] == "period"
    # the user ignores the comment column through the combo box of the last column
    row = page.model.keys.index("Commentaire")
    index = page.model.index(row, MappingTableModel.TARGET)
    delegate = page.table.itemDelegateForColumn(MappingTableModel.TARGET)
    editor = delegate.createEditor(page.table, QStyleOptionViewItem(), index)
    assert isinstance(editor, QComboBox) and editor.accessibleName() == "Maps to"
    editor.setCurrentIndex(editor.findData("ignore"))
    delegate.setModelData(editor, page.model, index)
    assert page.model.data(index) == "(ignore)"
    page.save_name.setText("Eau Propre")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    (saved,) = loaded.imports.mappings("T-01")
    assert saved.mapping.columns["Commentaire"] == "ignore"

    w.next()
    preview = w.preview_page
    qtbot.waitUntil(lambda: preview.ready, timeout=10000)
    qtmodeltester.check(preview.model)
    # (issue 12) by default a stored figure the file would change is kept, and listed in full
    # with every rejected row's reason, in the window
    assert preview.updates.currentData() == "skip"
    assert preview.counts.text() == ("5 new, 0 update, 1 unchanged, 1 skipped (no figure), "
                                     "1 kept as stored, 12 rejected")
    details = preview.details.toPlainText()
    assert ("Kept as stored: 1 row(s) would change figures the database holds (choose "
            "'Update them' above to apply them):\n"
            "- row 20, T-O1 2023Q2 at NORTH (sex=female): value 60 → 58") in details
    assert details.startswith("Rejected: 12 problem(s), each with what to fix:\n")
    assert ("ngo.xlsx, sheet Données T2, row 11, column 'Valeur' (E11): '#DIV/0!' is a "
            "spreadsheet error (#DIV/0!) in cell E11; correct the formula or enter the figure"
            ) in details
    preview.updates.setCurrentIndex(preview.updates.findData("update"))
    qtbot.waitUntil(lambda: preview.ready and "1 update" in preview.counts.text(),
                    timeout=10000)
    assert preview.counts.text() == ("5 new, 1 update, 1 unchanged, 1 skipped (no figure), "
                                     "12 rejected")
    assert preview.model.rowCount() == 20
    errors = tmp_path / "ngo-errors.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(errors), ""))
    qtbot.mouseClick(preview.errors_button, Qt.MouseButton.LeftButton)
    assert errors.exists()

    preview.duplicates.setCurrentIndex(preview.duplicates.findData("last"))
    qtbot.waitUntil(lambda: preview.ready and "6 new" in preview.counts.text(), timeout=10000)

    with qtbot.waitSignal(w.imported, timeout=10000) as signal:
        w.next()  # the commit button
    result = signal.args[0]
    assert (result.imported, result.updated, result.rejected) == (6, 1, 10)
    qtbot.waitUntil(lambda: w.result_page.done)
    assert w.currentId() == ImportWizard.PAGE_RESULT and w.changed
    assert "Saved as import batch" in w.result_page.summary.text()
    after = _values(loaded)
    assert after[("T-P1", "2024Q2", None, ())] == 1300.0  # the last of the repeated rows
    assert after[("T-O2", "2024Q2", "SOUTH", ())] == 52.0
    assert after[("T-O1", "2023Q2", "NORTH", (("sex", "female"),))] == 58.0
    assert len(after) == len(before) + 6
    assert not reported

    with qtbot.waitSignal(w.imported):
        qtbot.mouseClick(w.result_page.undo_button, Qt.MouseButton.LeftButton)
    assert _values(loaded) == before


def test_a_saved_mapping_is_applied_when_the_headers_match(qtbot, loaded: Services,
                                                           tmp_path: Path, reported):
    path = nf.messy_long_xlsx(tmp_path / "ngo.xlsx")
    draft = loaded.imports.open(path, "T-01")
    loaded.imports.save_mapping("Eau Propre", draft, draft.mapping)
    w = _wizard(qtbot, loaded, path)
    _to_preview(qtbot, w)
    assert w.mapping_page.saved.currentText() == "Eau Propre"
    assert "'Eau Propre' matches these headers" in w.mapping_page.status.text()
    w.mapping_page.saved.setCurrentIndex(0)
    w.mapping_page.saved.activated.emit(0)  # the user asks for the headers' own reading
    qtbot.waitUntil(lambda: w.mapping_page.ready, timeout=10000)
    assert w.draft.mapping_name is None


def test_cancelling_the_commit_saves_nothing(qtbot, loaded: Services, tmp_path: Path,
                                             monkeypatch, reported):
    before = _values(loaded)
    started, go_on = threading.Event(), threading.Event()
    real_commit = ImportService.commit

    def gated_commit(self, *args, **kwargs):
        started.set()
        go_on.wait(10)  # the user presses Cancel while the import runs
        return real_commit(self, *args, **kwargs)

    monkeypatch.setattr(ImportService, "commit", gated_commit)
    w = _wizard(qtbot, loaded, nf.messy_long_xlsx(tmp_path / "ngo.xlsx"))
    _to_preview(qtbot, w)
    w.next()
    qtbot.waitUntil(lambda: w.preview_page.ready, timeout=10000)
    w.next()
    assert started.wait(10)
    w.task.dialog.canceled.emit()  # what the Cancel button sends
    go_on.set()
    qtbot.waitUntil(lambda: w.result_page.done, timeout=10000)
    assert [type(e) for e in reported] == [Cancelled]
    assert w.result_page.summary.text() == "Nothing was saved."
    assert _values(loaded) == before


def test_an_unknown_indicator_can_be_created_from_the_preview(qtbot, loaded: Services,
                                                              tmp_path: Path, monkeypatch,
                                                              reported):
    from coprod_me.gui import import_preview

    monkeypatch.setattr(import_preview.CreateIndicatorDialog, "exec",
                        lambda self: import_preview.QDialog.DialogCode.Accepted)
    w = _wizard(qtbot, loaded, nf.messy_long_xlsx(tmp_path / "ngo.xlsx"))
    _to_preview(qtbot, w)
    w.next()
    qtbot.waitUntil(lambda: w.preview_page.ready, timeout=10000)
    assert w.preview_page.create_indicator_button.isEnabled()
    qtbot.mouseClick(w.preview_page.create_indicator_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.preview_page.ready and "6 new" in w.preview_page.counts.text(),
                    timeout=10000)
    ind = loaded.indicators.get("T-01", "T-X9")
    assert (ind.result_level, ind.unit) == ("output", "count")
    assert w.changed and not reported


def _inner(widget) -> bool:
    """Parts of a compound widget (a spin box's line edit, a table's header, a combo's popup)
    are named through the widget they belong to."""
    from PySide6.QtWidgets import QAbstractItemView, QAbstractSpinBox, QHeaderView

    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QAbstractSpinBox, QAbstractItemView, QComboBox)):
            return True
        if parent.metaObject().className() == "QComboBoxPrivateContainer":
            return True
        parent = parent.parentWidget()
    return isinstance(widget, QHeaderView)


def test_every_input_has_an_accessible_name_and_takes_the_keyboard(qtbot, loaded: Services,
                                                                   tmp_path: Path, reported):
    from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QListWidget, QSpinBox, QWidget

    w = _wizard(qtbot, loaded, nf.messy_long_xlsx(tmp_path / "ngo.xlsx"))
    kinds = (QComboBox, QLineEdit, QSpinBox, QListWidget, QAbstractItemView)
    unnamed = [f"{type(x).__name__} on {type(page).__name__}"
               for page in (w.file_page, w.sheet_page, w.mapping_page, w.preview_page,
                            w.result_page)
               for x in page.findChildren(QWidget)
               if isinstance(x, kinds) and not x.accessibleName() and not _inner(x)]
    assert unnamed == []
    named = {x.accessibleName() for page in (w.file_page, w.mapping_page, w.preview_page)
             for x in page.findChildren(QWidget) if isinstance(x, kinds) and not _inner(x)}
    assert {"Programme", "Spreadsheet file", "Saved mapping", "Header row", "Column mapping",
            "Save mapping as", "Rows that change stored figures", "Rows repeated in the file",
            "Preview of every row", "Filter preview rows"} <= named
    for page in (w.file_page, w.mapping_page, w.preview_page):
        for x in page.findChildren(QWidget):
            if isinstance(x, kinds) and not _inner(x):
                assert x.focusPolicy() & Qt.FocusPolicy.TabFocus, type(x).__name__


def test_an_unknown_strand_can_be_created_from_the_preview(qtbot, loaded: Services,
                                                           tmp_path: Path, reported):
    w = _wizard(qtbot, loaded, nf.messy_long_xlsx(tmp_path / "ngo.xlsx"))
    _to_preview(qtbot, w)
    w.next()
    qtbot.waitUntil(lambda: w.preview_page.ready, timeout=10000)
    qtbot.mouseClick(w.preview_page.create_strand_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.preview_page.ready and "6 new" in w.preview_page.counts.text(),
                    timeout=10000)
    assert not w.preview_page.create_strand_button.isEnabled()
    row13 = next(r for r in w.preview.rows if r.row == 13)
    assert (row13.status, row13.strand) == ("new", "EAST")
    assert not reported
