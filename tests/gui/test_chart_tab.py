"""The chart tab, driven as a user would: pick an indicator and a strand, switch views, save."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QFileDialog

from coprod_me.gui.chart_tab import DISAGGREGATION, OUTPUT_VS_OUTCOME, ChartTab
from coprod_me.services import Services
from coprod_me.services.database import load_samples

RS_O1_IN_BLK = [58.0, 61.0, 63.0, 63.0, 64.0, 64.0, 63.0]
QUARTERS = ["2022Q4", "2023Q1", "2023Q2", "2023Q3", "2023Q4", "2024Q1", "2024Q2"]


def _run(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env,
                          capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[2])


def test_importing_the_main_window_does_not_import_matplotlib():
    result = _run("""
        import sys
        import coprod_me.gui.main_window, coprod_me.gui.chart_tab, coprod_me.services.series
        loaded = sorted(m for m in sys.modules if m.split(".")[0] == "matplotlib")
        assert not loaded, loaded
        print("ok")
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_matplotlib_is_loaded_when_the_chart_tab_is_first_shown(tmp_path: Path):
    result = _run(f"""
        import sys
        from PySide6.QtGui import QUndoStack
        from PySide6.QtWidgets import QApplication
        from coprod_me.gui.chart_tab import ChartTab
        from coprod_me.services import Services
        app = QApplication([])
        services = Services.open({str(tmp_path / "lazy.sqlite")!r})
        services.programmes.create("LZ-1", "Lazy")
        tab = ChartTab(services, QUndoStack())
        tab.set_programme("LZ-1")  # the tab is hidden: nothing is drawn yet
        assert "matplotlib" not in sys.modules and tab.figure is None
        tab.show()
        app.processEvents()
        assert "matplotlib" in sys.modules and tab.figure is not None
        services.close()
        print("ok")
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


@pytest.fixture
def tab(qtbot, services: Services) -> ChartTab:
    load_samples(services.store)
    t = ChartTab(services, QUndoStack())
    qtbot.addWidget(t)
    t.resize(1000, 700)
    t.show()
    qtbot.waitExposed(t)
    return t


def choose(combo, data) -> None:
    idx = combo.findData(data)
    assert idx >= 0, f"{data!r} not offered"
    combo.setCurrentIndex(idx)


def lines(fig, gid: str, ax: int = 0) -> list:
    return [ln for ln in fig.axes[ax].get_lines() if ln.get_gid() == gid]


def x_quarters(line) -> list[str]:
    from coprod_me.reports.charts import x_quarter

    return [x_quarter(x) for x in line.get_xdata()]


def test_choosing_an_indicator_and_strand_shows_its_curve(tab: ChartTab):
    tab.set_programme("RS-01")
    assert tab.indicator_combo.count() == 11
    choose(tab.indicator_combo, "RS-O1")
    # nothing is recorded at programme level, so the first strand with values is chosen
    assert tab.strand_combo.itemText(0) == "programme level (no values)"
    assert [tab.strand_combo.itemData(i) for i in range(1, tab.strand_combo.count())] == [
        "BD-UPZ", "ID-KAB", "IN-BLK"]
    assert tab.strand == "BD-UPZ"
    choose(tab.strand_combo, "IN-BLK")
    (history,) = lines(tab.figure, "history")
    assert list(history.get_ydata()) == RS_O1_IN_BLK
    assert x_quarters(history) == QUARTERS
    assert lines(tab.figure, "target") and lines(tab.figure, "forecast")
    assert tab.canvas.figure is tab.figure
    assert "7 quarter(s) from 2022Q4 (58) to 2024Q2 (63)" in tab.summary.text()
    assert tab.canvas.accessibleDescription() == tab.summary.text()


def test_output_next_to_outcome_shows_two_axes(tab: ChartTab):
    tab.set_programme("RS-01")
    choose(tab.indicator_combo, "RS-O1")
    choose(tab.strand_combo, "IN-BLK")
    assert not tab.linked_combo.isVisible()
    choose(tab.kind_combo, OUTPUT_VS_OUTCOME)
    assert tab.linked_combo.isVisible()
    assert tab.linked_combo.currentText().startswith("RS-P1 → RS-O1")
    assert len(tab.figure.axes) == 2
    top, bottom = tab.figure.axes
    assert "RS-P1" in top.get_title(loc="left") and "RS-O1" in bottom.get_title(loc="left")
    assert list(lines(tab.figure, "history", 1)[0].get_ydata()) == RS_O1_IN_BLK
    # from an output, the linked combo offers the outcomes it should drive
    choose(tab.indicator_combo, "RS-P1")
    assert [tab.linked_combo.itemData(i) for i in range(tab.linked_combo.count())] == [
        "driven:RS-O1", "driven:RS-O2"]
    assert len(tab.figure.axes) == 2


def test_an_indicator_without_links_says_so(tab: ChartTab):
    tab.set_programme("RS-01")
    choose(tab.kind_combo, OUTPUT_VS_OUTCOME)
    choose(tab.indicator_combo, "RS-O5")
    assert tab.linked_combo.count() == 0
    assert "has no result links" in tab.summary.text()


def test_disaggregation_shows_a_panel_per_dimension(tab: ChartTab):
    tab.set_programme("HL-01")
    choose(tab.indicator_combo, "HL-O1")
    choose(tab.kind_combo, DISAGGREGATION)
    assert [ax.get_title(loc="left") for ax in tab.figure.axes] == ["age band", "sex"]
    assert "age_band (4 categories)" in tab.summary.text()


def test_the_chart_saves_as_png_and_svg(tab: ChartTab, qtbot, tmp_path: Path, monkeypatch):
    tab.set_programme("RS-01")
    choose(tab.indicator_combo, "RS-O1")
    choose(tab.strand_combo, "IN-BLK")
    offered: list[str] = []

    def dialog(answer: tuple[str, str]):
        def get(_parent, _caption, start, _filters):
            offered.append(start)
            return answer
        return get

    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        dialog((str(tmp_path / "curve.png"), "PNG image (*.png)")))
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    png = tmp_path / "curve.png"
    assert png.stat().st_size > 0 and png.read_bytes()[:4] == b"\x89PNG"
    assert offered[0].endswith("RS-01-RS-O1-IN-BLK-turn_the_curve.png")
    # no extension typed: the chosen filter decides
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        dialog((str(tmp_path / "curve"), "SVG image (*.svg)")))
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    svg = tmp_path / "curve.svg"
    assert svg.stat().st_size > 0 and b"<svg" in svg.read_bytes()[:500]
    # cancelling writes nothing
    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog(("", "")))
    assert tab.choose_and_save() is None


def test_a_hidden_tab_draws_when_it_is_shown(qtbot, services: Services):
    load_samples(services.store)
    t = ChartTab(services, QUndoStack())
    qtbot.addWidget(t)
    t.set_programme("HR-01")
    assert t.figure is None and t.indicator == "HR-O2"
    t.show()
    qtbot.waitUntil(lambda: t.figure is not None)
    assert lines(t.figure, "history")


def test_controls_are_named_and_reachable_by_keyboard(tab: ChartTab, qtbot):
    tab.set_programme("RS-01")
    for w in (tab.indicator_combo, tab.strand_combo, tab.kind_combo, tab.linked_combo,
              tab.save_button):
        assert w.accessibleName()
        assert w.focusPolicy() & Qt.FocusPolicy.TabFocus
    tab.indicator_combo.setFocus()
    first = tab.indicator
    qtbot.keyClick(tab.indicator_combo, Qt.Key.Key_Down)
    assert tab.indicator != first
    (history,) = lines(tab.figure, "history")
    assert tab.figure.axes[0].get_title(loc="left").startswith(tab.indicator)
    assert len(history.get_ydata()) > 0


def test_no_programme_and_an_empty_programme_show_a_message(tab: ChartTab):
    tab.set_programme(None)
    assert "Select a programme" in tab.summary.text()
    assert not tab.save_button.isEnabled()
    tab.services.programmes.create("EMPTY-1", "Nothing yet")
    tab.set_programme("EMPTY-1")
    assert tab.summary.text() == "EMPTY-1 has no indicators yet."
    assert not tab.indicator_combo.isEnabled()


def test_a_new_database_is_read_after_the_services_are_swapped(tab: ChartTab, tmp_path):
    other = Services.open(tmp_path / "other.sqlite")
    try:
        other.programmes.create("NEW-1", "Another database")
        tab.services = other
        tab.set_programme("NEW-1")
        assert tab.series.store is other.store
        assert tab.summary.text() == "NEW-1 has no indicators yet."
    finally:
        other.close()


def test_a_new_choice_is_drawn_again_in_place_on_the_same_canvas(tab: ChartTab):
    """Issue 14: switching indicator, strand or kind redraws the figure on show; it does not
    make a new figure, canvas and toolbar each time."""
    tab.set_programme("RS-01")
    choose(tab.indicator_combo, "RS-O1")
    figure, canvas, toolbar = tab.figure, tab.canvas, tab.toolbar
    assert canvas.figure is figure
    choose(tab.strand_combo, "IN-BLK")
    (history,) = lines(tab.figure, "history")
    assert list(history.get_ydata()) == RS_O1_IN_BLK
    choose(tab.indicator_combo, "RS-O2")
    assert "RS-O2" in tab.figure.axes[0].get_title(loc="left")
    choose(tab.kind_combo, OUTPUT_VS_OUTCOME)
    assert len(tab.figure.axes) == 2  # the figure emptied and drawn with its two axes
    choose(tab.kind_combo, DISAGGREGATION)
    tab.set_programme("HL-01")
    assert (tab.figure, tab.canvas, tab.toolbar) == (figure, canvas, toolbar)
    assert tab.canvas.figure is figure
    assert [tab.chart_layout.itemAt(i).widget() for i in range(tab.chart_layout.count())] == [
        toolbar, canvas]  # no canvas left behind either
