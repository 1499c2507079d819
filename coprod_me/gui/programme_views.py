"""The main window's tabs: the overview of the selected programme and the programme views.

The views are built on first use: a starting window paints its navigator first and builds
them a moment later (``ProgrammeViews.build_when_shown``), once the modules they need have
been imported on a thread. Only the view in front is filled for the selected programme; the
others when they are shown.
"""

from __future__ import annotations

import html
import importlib
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMainWindow, QTabWidget, QTextBrowser, QVBoxLayout, QWidget

from coprod_me.gui.errors import report_exception
from coprod_me.gui.risk_checks import RiskChecks
from coprod_me.services import Services

if TYPE_CHECKING:
    # Imported when the views are built (see ProgrammeViews.build): with them come the
    # SQLModel entities and every service, which the first paint of a starting window does
    # without.
    from coprod_me.gui.chart_tab import ChartTab
    from coprod_me.gui.history_panel import HistoryPanel
    from coprod_me.gui.indicator_tab import IndicatorTab
    from coprod_me.gui.observation_grid import ObservationTab
    from coprod_me.gui.profile_tab import ProfileTab
    from coprod_me.gui.rag_badges import RagBadges
    from coprod_me.gui.records_tab import RecordsTab
    from coprod_me.gui.risks_tab import RisksTab

OVERVIEW_TITLE = "&Overview"
# The tabs after the Overview, in order; each is a placeholder until the views are built.
VIEW_TITLES = ("&Profile", "&Indicators", "O&bservations", "&Records", "&Charts", "Ris&ks",
               "&History")
# What the views need, imported off the GUI thread while a starting window is painted.
VIEW_MODULES = ("coprod_me.model.entities", "coprod_me.services.programmes",
                "coprod_me.services.observations", "coprod_me.services.risk_runs",
                "coprod_me.gui.profile_tab", "coprod_me.gui.indicator_tab",
                "coprod_me.gui.observation_grid", "coprod_me.gui.records_tab",
                "coprod_me.gui.risks_tab", "coprod_me.gui.history_panel")

WELCOME_HTML = (
    "<h2>Welcome to coprod-me</h2>"
    "<p>This database has no programmes yet. Start with one of these (Tab moves "
    "between them, Enter opens one):</p><ul>"
    "<li><a href='action:samples'>Open the five sample programmes</a> — "
    "sanitation in South Asia, urban living labs, Croatian social services, "
    "diabetes care, a Korean civic platform</li>"
    "<li><a href='action:new'>Create a programme</a> by code and name "
    "(Ctrl+Shift+N)</li>"
    "<li><a href='action:load'>Load a programme workbook</a> (Ctrl+O), or drop an "
    ".xlsx file on this window</li>"
    "<li><a href='action:template'>Save an empty workbook template</a> to fill in "
    "a spreadsheet first</li></ul>")

V = TypeVar("V")


def _words(code: str | None) -> str:
    """An enumerated value as words: 'recurrent_budget' -> 'recurrent budget'."""
    return code.replace("_", " ") if code else "—"


def overview_html(services: Services, code: str) -> str:
    """The Overview of a programme: its description, classification, phases and gates."""
    p = services.programmes.get(code)
    label = services.programmes.tradition_label(code)
    gates = services.programmes.gates(code)
    e = html.escape
    parts = [f"<h2>{e(p.code)} — {e(p.name)}</h2>"]
    if p.is_sample:
        parts.append("<p style='background:#fff3cd;padding:4px'><b>Sample data.</b> "
                     f"{e(p.sample_note or '')}</p>")
    if p.description:
        parts.append(f"<p>{e(p.description)}</p>")
    parts.append(f"<p><b>Co-production:</b> {e(_words(label.effective))}<br>"
                 f"<i>{e(label.reasoning)}</i>")
    if label.override:
        parts.append(f"<br>Overridden by the evaluator: {e(label.override_reason or '')}")
    parts.append("</p><table cellspacing=4>")
    for name, value in (("O&amp;S level", p.os_level), ("ORS type", p.ors_type),
                        ("Interaction", p.interaction_mode),
                        ("Intended outcome", p.intended_outcome),
                        ("Moon type", p.moon_type),
                        ("Institutional status", p.institutional_status),
                        ("Clientelism context", p.clientelism_context)):
        parts.append(f"<tr><td><b>{name}</b></td><td>{e(_words(value))}</td></tr>")
    parts.append("</table>")
    phases = services.programmes.phases(code)
    if phases:
        cells = sorted({(ph.phase, ph.level) for ph in phases})
        parts.append("<p><b>Phases × levels:</b> " + ", ".join(
            e(f"{a.replace('_', '-')} ({b})") for a, b in cells) + "</p>")
    met = sum(g.met for g in gates)
    parts.append(f"<h3>Outcome gates: {met} of {len(gates)} met</h3><ul>")
    for g in gates:
        mark = "✔" if g.met else "✘"
        colour = "#2e7d32" if g.met else "#b3261e"
        parts.append(f"<li><span style='color:{colour}'>{mark}</span> <b>{e(g.title)}</b>"
                     f"<br><small>{e(g.explanation)}</small>")
        if g.details:
            parts.append("<ul>" + "".join(f"<li>{e(d)}</li>" for d in g.details) + "</ul>")
        parts.append("</li>")
    parts.append("</ul>")
    return "".join(parts)


class _View(Generic[V]):
    """A view of the host, built with the others on first use (``ProgrammeViews.build``)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.attr = "_" + name

    def __get__(self, views: ProgrammeViews | None, owner: type | None = None) -> V:
        assert views is not None
        views.build()
        value: V = getattr(views, self.attr)
        return value


class ProgrammeViews(QObject):
    """The tab widget of the main window, its Overview (``details`` and the RAG badges) and
    the programme views in the tabs after it.

    The window tells it which programme is selected (``show``); it fills the view in front
    and the others when they are shown. ``edited`` says a view changed the programme shown
    (an edit, or its undo or redo): the window refreshes the navigator and checks the risks
    again.
    """

    edited = Signal()

    profile_tab: _View[ProfileTab] = _View()
    indicator_tab: _View[IndicatorTab] = _View()
    observation_tab: _View[ObservationTab] = _View()
    records_tab: _View[RecordsTab] = _View()
    chart_tab: _View[ChartTab] = _View()
    risks_tab: _View[RisksTab] = _View()
    history_panel: _View[HistoryPanel] = _View()
    rag_badges: _View[RagBadges] = _View()

    def __init__(self, services: Services, undo_stack: QUndoStack, risk_checks: RiskChecks,
                 window: QMainWindow) -> None:
        super().__init__(window)
        self.services = services
        self.undo_stack = undo_stack
        self.risk_checks = risk_checks
        self._window = window
        self.shown_code: str | None = None  # the programme the views and overview show
        self._strand: str | None = None  # the strand selected with it (the grid shows it)
        self._stale: dict[Any, str] = {}  # views not yet filled for the selected programme
        self._built = False
        self._preload_failure: BaseException | None = None
        self.details = QTextBrowser()
        self.details.setAccessibleName("Programme details")
        self.details.setOpenExternalLinks(False)
        self.details.setOpenLinks(False)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Programme views")
        self.tabs.currentChanged.connect(lambda _i: self._fill_stale(self.tabs.currentWidget()))
        overview = QWidget()
        self._overview_layout = QVBoxLayout(overview)
        self._overview_layout.setContentsMargins(0, 0, 0, 0)
        self._overview_layout.addWidget(self.details, 1)  # the RAG badges go above it
        self.tabs.addTab(overview, OVERVIEW_TITLE)
        for title in VIEW_TITLES:
            self.tabs.addTab(QWidget(), title)
        # the rules run again, quietly, after every edit, load or import: the badges follow
        self.risk_checks.checked.connect(self._risks_checked)

    # ------------------------------------------------------------------------- building

    def build(self) -> None:
        """The programme views, in place of the placeholder tabs (once)."""
        if self._built:
            return
        self._built = True
        from coprod_me.gui.chart_tab import ChartTab
        from coprod_me.gui.history_panel import HistoryPanel
        from coprod_me.gui.indicator_tab import IndicatorTab
        from coprod_me.gui.observation_grid import ObservationTab
        from coprod_me.gui.profile_tab import ProfileTab
        from coprod_me.gui.rag_badges import RagBadges
        from coprod_me.gui.records_tab import RecordsTab
        from coprod_me.gui.risks_tab import RisksTab

        services, undo_stack = self.services, self.undo_stack
        self._profile_tab = ProfileTab(services, undo_stack)
        self._history_panel = HistoryPanel(services)
        self._rag_badges = RagBadges(services)
        self._indicator_tab = IndicatorTab(services, undo_stack)
        self._observation_tab = ObservationTab(services, undo_stack)
        self._records_tab = RecordsTab(services, undo_stack)
        self._chart_tab = ChartTab(services, undo_stack)
        self._risks_tab = RisksTab(services, undo_stack, self.risk_checks)
        self._connect_views()
        self._overview_layout.insertWidget(0, self._rag_badges)
        views = (self._profile_tab, self._indicator_tab, self._observation_tab,
                 self._records_tab, self._chart_tab, self._risks_tab, self._history_panel)
        current = self.tabs.currentIndex()
        self.tabs.blockSignals(True)  # a tab shown now is filled by the window's start
        for i, (view, title) in enumerate(zip(views, VIEW_TITLES, strict=True), start=1):
            placeholder = self.tabs.widget(i)
            self.tabs.removeTab(i)
            self.tabs.insertTab(i, view, title)
            placeholder.deleteLater()
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)

    def _connect_views(self) -> None:
        # A view says "changed" after an edit and after its undo or redo: the window
        # refreshes and checks the risks again, quietly and off the GUI thread. Not after
        # the undo stack moves, which it also does for a flag acknowledged or closed.
        for view in (self._profile_tab, self._indicator_tab, self._observation_tab,
                     self._records_tab):
            view.changed.connect(self.edited)
        # every undo or redo: what the views show may have changed under them
        for reread in (self._history_panel.refresh, self._observation_tab.reload,
                       self._records_tab.reload, self._chart_tab.reload):
            self.undo_stack.indexChanged.connect(reread)
        self._rag_badges.category_activated.connect(self.show_risk_category)
        # a programme shown whose rules never ran is checked quietly (F9 runs them asked)
        self._rag_badges.unchecked.connect(self.risk_checks.schedule_once)
        self._risks_tab.changed.connect(self._risks_checked)

    def build_when_shown(self, then: Callable[[], None]) -> None:
        """Build the views once the window is on screen, then call ``then``.

        The window has painted its navigator; the views need the entities, the ORM and the
        services (a third of a second of imports), imported on a thread meanwhile.
        """
        self._then = then
        self._exposure_waits = 0
        # A timer, not a zero-time call: it fires after what the loop already holds (the
        # first paint, input), and _when_exposed waits for the window to be exposed.
        QTimer.singleShot(1, self._when_exposed)

    def _when_exposed(self) -> None:
        """Once the window is on screen (the navigator painted, what the loop holds done):
        the imports on a thread; the window keeps answering meanwhile."""
        window = self._window
        handle = window.windowHandle()
        if (window.isVisible() and handle is not None and not handle.isExposed()
                and self._exposure_waits < 50):
            self._exposure_waits += 1  # the window system has not shown it yet
            QTimer.singleShot(10, self._when_exposed)
            return
        if window.isVisible():
            window.repaint()  # the navigator is on screen before the build holds the loop
        self._preload = threading.Thread(target=self._preload_modules, name="preload",
                                         daemon=True)
        self._preload.start()
        QTimer.singleShot(5, self._build_when_loaded)

    def _preload_modules(self) -> None:
        """Import what the views need (on the preload thread)."""
        try:
            for name in VIEW_MODULES:
                importlib.import_module(name)
            Services.prepare()  # what the first ORM query would otherwise do on the GUI thread
        except BaseException as exc:  # handed to the GUI thread, which reports it
            self._preload_failure = exc

    def _build_when_loaded(self) -> None:
        if self._preload.is_alive() and not self._built:
            QTimer.singleShot(5, self._build_when_loaded)
            return
        if self._preload_failure is not None and not self._built:
            # The views cannot be built without these modules: say why, once, and leave
            # the window as first painted (building would fail again, view by view).
            report_exception(self._preload_failure, self._window)
            return
        QTimer.singleShot(0, self._build_then_start)

    def _build_then_start(self) -> None:
        try:
            self.build()
        finally:
            QTimer.singleShot(0, self._then)

    # ----------------------------------------------------------------- the programme shown

    def show(self, code: str, strand: str | None) -> bool:
        """Show ``code`` (and ``strand`` in the observation grid): the overview and the view
        in front. True when the programme was not the one shown already."""
        from coprod_me.gui.observation_chooser import ALL_STRANDS

        self._strand = strand
        new = code != self.shown_code
        if new:
            self.shown_code = code
            self.details.setHtml(overview_html(self.services, code))
            self.point_at(code)
        if self.observation_tab not in self._stale:
            self.observation_tab.set_strand(strand or ALL_STRANDS)
        return new

    def point_at(self, code: str | None) -> None:
        """Point every programme view at ``code`` (None when no programme is selected)."""
        # Only the view in front is filled now; the others when they are shown (each fill
        # runs its own queries, and most are never looked at for most programmes).
        self._stale = {}
        for view in self.programme_views():
            if view is self.tabs.currentWidget() or code is None:
                view.set_programme(code)
            else:
                self._stale[view] = code
        self.rag_badges.set_programme(code)
        if code is None:
            self.shown_code = None

    def _fill_stale(self, view: Any) -> None:
        code = self._stale.pop(view, None)
        if code is not None:
            from coprod_me.gui.observation_chooser import ALL_STRANDS

            view.set_programme(code)
            if view is self.observation_tab:
                view.set_strand(self._strand or ALL_STRANDS)

    def view(self, widget: Any) -> Any:
        """A programme view, filled for the selected programme (for callers that use one
        without showing it first)."""
        self._fill_stale(widget)
        return widget

    def programme_views(self) -> list[Any]:
        return [self.profile_tab, self.indicator_tab, self.observation_tab, self.records_tab,
                self.chart_tab, self.risks_tab]

    def show_opening(self, code: str, name: str) -> None:
        """What the overview says while a starting window builds its views."""
        self.details.setHtml(f"<h2>{html.escape(code)} — {html.escape(name)}</h2>"
                             "<p>Opening …</p>")

    def show_welcome(self) -> None:
        """The overview of a database with no programme: where to start."""
        self.details.setHtml(WELCOME_HTML)

    def reload_after_edit(self) -> None:
        """The views that show what an edit elsewhere changes (charts, indicator status)."""
        self.chart_tab.reload()
        self.indicator_tab.reload()

    def set_services(self, services: Services) -> None:
        """Another database: the views read and edit through its services from now on."""
        self.services = services
        if not self._built:
            return  # built with these when first used
        for view in self.programme_views():
            view.set_services(services)
        self._history_panel.services = services
        self._rag_badges.services = services

    # ----------------------------------------------------------------- what is looked at

    def record_in_view(self, code: str | None) -> tuple[str | None, int | None]:
        """The record the user is looking at: an observation, an indicator, a risk flag, a
        record of the history, or the programme ``code``."""
        view = self.tabs.currentWidget()
        if view is self.observation_tab:
            row = self.observation_tab.current_row()
            if row is not None:
                return "observation", row.id
        if view is self.indicator_tab and code is not None:
            ind = self.indicator_tab.selected()
            if ind is not None:
                return "indicator", self.services.indicators.get(code, ind.code).id
        if view is self.risks_tab:
            flag = self.risks_tab.selected()
            if flag is not None:
                return "risk_flag", flag.id
        if view is self.history_panel:
            return self.history_panel.entity, self.history_panel.entity_id
        if code is not None:
            return "programme", self.services.programmes.get(code).id
        return None, None

    def show_history(self, code: str | None) -> None:
        """The History tab, on the record in view (see ``record_in_view``)."""
        entity, entity_id = self.record_in_view(code)
        self.history_panel.show_record(entity, entity_id)
        self.tabs.setCurrentWidget(self.history_panel)

    def show_risk_category(self, category: str) -> None:
        self.tabs.setCurrentWidget(self.risks_tab)
        self.risks_tab.show_category(category)

    def _risks_checked(self, *_args: Any) -> None:
        self.rag_badges.refresh()
