"""File → Export quarterly report: the dialog writes the workbook on a worker."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from python_calamine import CalamineWorkbook

from coprod_me.gui.report_dialog import ReportDialog
from coprod_me.model.errors import Cancelled
from coprod_me.services import Services
from coprod_me.services.database import load_samples


@pytest.fixture
def samples(services: Services) -> Services:
    load_samples(services.store)
    return services


def _dialog(qtbot, samples: Services, codes: list[str], quarter: str | None) -> ReportDialog:
    d = ReportDialog(samples, codes, quarter)
    qtbot.addWidget(d)
    d.show()
    return d


def test_exporting_writes_the_report_and_its_pngs(qtbot, samples: Services, tmp_path: Path):
    d = _dialog(qtbot, samples, ["HL-01"], "2024Q2")
    assert d.chosen_codes() == ["HL-01"]
    assert d.quarter.currentText() == "2024Q2"
    # leave out two sheets, raise the threshold, ask for pictures
    for i in range(d.sections.count()):
        if d.sections.item(i).text() in ("Capacity", "DataQuality"):
            d.sections.item(i).setCheckState(Qt.CheckState.Unchecked)
    d.threshold.setValue(10)
    out = tmp_path / "hl.xlsx"
    qtbot.keyClicks(d.output, str(out))
    d.pngs.setChecked(True)
    with qtbot.waitSignal(d.exported, timeout=30000) as blocker:
        qtbot.mouseClick(d.export_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert result.file == out and result.suppression_threshold == 10
    names = CalamineWorkbook.from_path(str(out)).sheet_names
    assert "Capacity" not in names and "DataQuality" not in names
    assert names[:3] == ["README", "Summary", "Outcomes"]
    assert result.pngs and all(p.parent == tmp_path / "hl-charts" for p in result.pngs)
    assert "Wrote" in d.status.text()


def test_ticking_two_programmes_makes_a_portfolio(qtbot, samples: Services, tmp_path: Path):
    d = _dialog(qtbot, samples, ["RS-01"], None)
    for i in range(d.programmes.count()):
        item = d.programmes.item(i)
        if item.data(Qt.ItemDataRole.UserRole) == "KR-01":
            item.setCheckState(Qt.CheckState.Checked)
    assert d.chosen_codes() == ["KR-01", "RS-01"]
    d.quarter.setCurrentText("2024Q2")
    d.output.setText(str(tmp_path / "p.xlsx"))
    with qtbot.waitSignal(d.exported, timeout=30000):
        d.export()
    assert "Portfolio" in CalamineWorkbook.from_path(str(tmp_path / "p.xlsx")).sheet_names


def test_missing_choices_are_explained_before_any_work(qtbot, samples: Services):
    d = _dialog(qtbot, samples, [], "2024Q2")
    assert d.export() is None and "programme" in d.status.text()
    d.programmes.item(0).setCheckState(Qt.CheckState.Checked)
    d.quarter.setCurrentText("someday")
    assert d.export() is None and "not a quarter" in d.status.text()
    d.quarter.setCurrentText("2024Q2")
    assert d.export() is None and "Save as" in d.status.text()


def test_cancel_stops_the_export_and_writes_nothing(qtbot, samples: Services, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch):
    started = threading.Event()

    def slow_write(*_args: Any, progress: Any, cancelled: Any, **_kw: Any) -> None:
        progress(1, 100, "Reading the programmes")
        started.set()
        while not cancelled():  # the worker waits for the user, who presses Cancel
            threading.Event().wait(0.01)
        raise Cancelled("report cancelled")
    monkeypatch.setattr(samples.reports, "write", slow_write)
    d = _dialog(qtbot, samples, ["RS-01"], "2024Q2")
    d.output.setText(str(tmp_path / "never.xlsx"))
    task = d.export()
    assert task is not None
    qtbot.waitUntil(started.is_set, timeout=10000)
    with qtbot.waitSignal(task.error, timeout=10000):
        task.dialog.canceled.emit()  # what the progress dialog's Cancel button sends
    assert "cancelled" in d.status.text() and not (tmp_path / "never.xlsx").exists()
    assert d.export_button.isEnabled()


def test_every_control_has_an_accessible_name(qtbot, samples: Services):
    d = _dialog(qtbot, samples, ["RS-01"], "2024Q2")
    for w in (d.programmes, d.quarter, d.sections, d.threshold, d.output, d.browse, d.pngs,
              d.png_dir, d.export_button):
        assert isinstance(w, QWidget) and w.accessibleName(), w
    assert d.export_button.isDefault()


def test_a_written_report_can_be_opened_or_shown_in_its_folder(qtbot, window, tmp_path: Path,
                                                               monkeypatch):
    """The window says where the report went in words (it once showed 'Wrote
    ReportResult(file=PosixPath(...' in the status bar) and offers Open and Show in folder."""
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QMessageBox

    load_samples(window.services.store)
    window.refresh()
    window.select("HL-01")
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile())
                        or True)
    dialog = window.export_report()
    dialog.quarter.setCurrentText("2024Q2")
    out = tmp_path / "hl.xlsx"
    dialog.output.setText(str(out))
    with qtbot.waitSignal(dialog.exported, timeout=30000):
        dialog.export()
    assert window.statusBar().currentMessage() == f"Wrote {out}"
    box = window.written
    assert box is not None and box.isVisible()
    assert box.text() == f"The quarterly report was written to {out}."
    buttons = {b.text().replace("&", ""): b for b in box.buttons()}
    assert set(buttons) == {"Open", "Show in folder", "Close"}
    qtbot.mouseClick(buttons["Open"], Qt.MouseButton.LeftButton)
    assert opened == [str(out)]
    window._report_written(dialog.result)  # the box again, as after another export
    box = window.written
    assert box is not None
    buttons = {b.text().replace("&", ""): b for b in box.buttons()}
    qtbot.mouseClick(buttons["Show in folder"], Qt.MouseButton.LeftButton)
    assert opened == [str(out), str(tmp_path)]
    assert not isinstance(box, QMessageBox) or not box.isVisible()
