"""View > Portfolio…: the five samples, each programme's categories as its Overview badges say
them, sorting, filtering, and a double-click or Enter opening the programme."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QUndoCommand

from coprod_me.gui.main_window import MainWindow
from coprod_me.gui.portfolio_view import CODE_ROLE, PortfolioView
from coprod_me.gui.rag_badges import CATEGORY_WORDS, SEVERITY_COLOURS, RagBadges
from coprod_me.model.enums import RiskCategory
from coprod_me.services import Services
from coprod_me.services.database import load_samples
from coprod_me.services.portfolio import COLUMNS

SAMPLES = ["HL-01", "HR-01", "KR-01", "RS-01", "ULL-01"]
FIRST_CATEGORY = next(i for i, c in enumerate(COLUMNS) if c.category is not None)


@pytest.fixture
def loaded(services: Services) -> Services:
    load_samples(services.store)
    services.risk_runs.run()  # every sample checked: no quiet check starts in the window
    return services


def _open(qtbot, window: MainWindow) -> PortfolioView:
    window.portfolio_action.trigger()
    view = window.findChild(PortfolioView, "portfolio_view")
    assert view is not None and view.isVisible()
    # filled on a worker thread: the rows arrive through the event loop, never before
    assert view.model.rowCount() == 0 and view.task.running
    qtbot.waitUntil(lambda: view.portfolio is not None and not view.task.running,
                    timeout=30000)
    return view


def _codes(view: PortfolioView) -> list[str]:
    return [view.code_at(r) for r in range(view.proxy.rowCount())]


def _assert_as_the_badges(qtbot, loaded: Services, view: PortfolioView, quarter: str) -> None:
    badges = RagBadges(loaded)
    qtbot.addWidget(badges)
    model = view.model
    assert sorted(r.code for r in model.rows) == SAMPLES
    for row in range(model.rowCount()):
        code = model.index(row, 0).data(CODE_ROLE)
        badges.set_programme(code, quarter)
        assert badges.shown_quarter == quarter
        for offset, category in enumerate(c.value for c in RiskCategory):
            index = model.index(row, FIRST_CATEGORY + offset)
            assert COLUMNS[index.column()].category == category
            assert f"{CATEGORY_WORDS[category]}: {index.data()}" == badges.text_of(category)
            fill = SEVERITY_COLOURS[badges.levels[category]][0]
            assert fill in badges.badges[category].styleSheet()
            assert index.data(Qt.ItemDataRole.BackgroundRole).color() == QColor(fill)


def test_the_samples_categories_are_the_overview_badges(qtbot, loaded: Services,
                                                         window: MainWindow, qtmodeltester):
    view = _open(qtbot, window)
    assert view.portfolio is not None and view.portfolio.quarter == "2024Q2"
    qtmodeltester.check(view.model)
    qtmodeltester.check(view.proxy)
    _assert_as_the_badges(qtbot, loaded, view, "2024Q2")
    # another quarter, chosen in the window: HR-01 reported in 2021
    view.quarter.setCurrentIndex(view.quarter.findData("2021Q4"))
    view.quarter.activated.emit(view.quarter.currentIndex())
    qtbot.waitUntil(lambda: view.portfolio is not None and view.portfolio.quarter == "2021Q4"
                    and not view.task.running, timeout=30000)
    assert view.quarter.currentData() == "2021Q4"
    _assert_as_the_badges(qtbot, loaded, view, "2021Q4")
    hr = next(r for r in view.model.rows if r.code == "HR-01")
    assert hr.on_track + hr.at_risk + hr.off_track > 0


def test_every_column_sorts_both_ways(qtbot, loaded: Services, window: MainWindow):
    view = _open(qtbot, window)
    for column, spec in enumerate(COLUMNS):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            view.table.sortByColumn(column, order)
            keys = [spec.key(view.model.rows[view.proxy.mapToSource(
                view.proxy.index(r, 0)).row()]) for r in range(view.proxy.rowCount())]
            wanted = sorted(keys, reverse=order == Qt.SortOrder.DescendingOrder)
            assert keys == wanted, spec.header
    off_track = next(i for i, c in enumerate(COLUMNS) if c.header == "Off track")
    view.table.sortByColumn(off_track, Qt.SortOrder.DescendingOrder)
    top = max(view.model.rows, key=lambda r: r.off_track)
    assert view.code_at(0) == top.code and top.off_track > 0


def test_the_text_and_attention_filters(qtbot, loaded: Services, window: MainWindow):
    view = _open(qtbot, window)
    view.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert _codes(view) == SAMPLES
    qtbot.keyClicks(view.filter_edit, "rs-01")
    assert _codes(view) == ["RS-01"]
    view.filter_edit.clear()
    qtbot.keyClicks(view.filter_edit, "Sanitation")  # a name's word
    assert _codes(view) == ["RS-01"]
    view.filter_edit.clear()
    assert _codes(view) == SAMPLES
    view.attention.setChecked(True)
    attention = [r.code for r in sorted(view.model.rows, key=lambda r: r.code)
                 if r.needs_attention]
    assert attention and len(attention) < len(SAMPLES)
    assert _codes(view) == attention
    for code in attention:
        row = next(r for r in view.model.rows if r.code == code)
        assert row.off_track or row.gates_unmet or any(
            c.rag in ("amber", "red") for c in row.categories)
    assert f"{len(attention)} need attention" in view.status.text()
    view.attention.setChecked(False)
    assert _codes(view) == SAMPLES


def test_double_click_or_enter_opens_the_programme(qtbot, loaded: Services,
                                                   window: MainWindow):
    window.select("HL-01")
    view = _open(qtbot, window)
    view.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    row = _codes(view).index("KR-01")
    rect = view.table.visualRect(view.proxy.index(row, 1))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.selected_code() == "KR-01"
    assert window.views.shown_code == "KR-01"
    assert window.tabs.currentIndex() == 0
    assert window.rag_badges.code == "KR-01"
    view.table.setFocus()
    view.table.setCurrentIndex(view.proxy.index(_codes(view).index("ULL-01"), 0))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert window.selected_code() == "ULL-01"
    assert window.views.shown_code == "ULL-01"


def test_the_menu_entry_and_one_window(qtbot, loaded: Services, window: MainWindow):
    assert window.portfolio_action.shortcut().toString() == "Ctrl+Shift+P"
    view = _open(qtbot, window)
    window.portfolio_action.trigger()  # asked again: the same window, read afresh
    assert window.findChildren(PortfolioView) == [view]
    qtbot.waitUntil(lambda: not view.task.running, timeout=30000)


def test_an_edit_elsewhere_reads_the_open_portfolio_again(qtbot, loaded: Services,
                                                         window: MainWindow):
    """A flag handled in the app (here: the undo stack moving, as any edit does) shows in
    the open Portfolio without F5."""
    view = _open(qtbot, window)
    before = {r.code: r for r in view.model.rows}
    flag = loaded.flag_register.register("RS-01", quarter="2024Q2", category="co_destruction",
                                         status="open")[0]
    loaded.flag_register.mitigate(flag.id, mitigation="a mitigation plan is agreed",
                                  owner="district office")
    window.undo_stack.push(QUndoCommand("an edit"))
    qtbot.waitUntil(lambda: view.task.running, timeout=5000)
    qtbot.waitUntil(lambda: not view.task.running and view.model.rows
                    and {r.code: r for r in view.model.rows}["RS-01"] != before["RS-01"],
                    timeout=30000)
    rs01 = {r.code: r for r in view.model.rows}["RS-01"]
    column = next(i for i, c in enumerate(COLUMNS) if c.category == "co_destruction")
    assert "mitigating" in COLUMNS[column].text(rs01)
