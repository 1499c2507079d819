"""The main window's tabs: the overview of the selected programme and the programme views.

Each view is built the first time it is used (its tab shown, or the window asks for it); its
tab holds a placeholder until then. A starting window paints its navigator first; a thread
then imports what the overview needs and reads the programme list with its gates and the
first programme's overview, which the GUI thread only puts on screen
(``ProgrammeViews.build_when_shown``). Then, with the window usable, a thread imports the
views' modules and matplotlib, so a tab opened later is built without waiting for them. Only
the view in front is filled for the selected programme; the others when they are shown.
"""

from __future__ import annotations

import contextlib
import gc
import html
import importlib
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMainWindow, QTabWidget, QTextBrowser, QVBoxLayout, QWidget

from coprod_me.gui.errors import report_exception
from coprod_me.gui.risk_checks import RiskChecks
from coprod_me.services import Services

if TYPE_CHECKING:
    # Imported when each view is built (ProgrammeViews.view_named): with them come the
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
    from coprod_me.services.programme_index import ProgrammeSummary

OVERVIEW_TITLE = "&Overview"
# The tabs after the Overview, in order; each is a placeholder until the views are built.
VIEW_TITLES = ("&Profile", "&Indicators", "O&bservations", "&Records", "&Charts", "Ris&ks",
               "&History")
# The views, by attribute: their module and class, in the order of their tabs after the
# Overview (VIEW_TITLES); the RAG badges sit on the Overview itself.
VIEWS = {"profile_tab": ("coprod_me.gui.profile_tab", "ProfileTab"),
         "indicator_tab": ("coprod_me.gui.indicator_tab", "IndicatorTab"),
         "observation_tab": ("coprod_me.gui.observation_grid", "ObservationTab"),
         "records_tab": ("coprod_me.gui.records_tab", "RecordsTab"),
         "chart_tab": ("coprod_me.gui.chart_tab", "ChartTab"),
         "risks_tab": ("coprod_me.gui.risks_tab", "RisksTab"),
         "history_panel": ("coprod_me.gui.history_panel", "HistoryPanel")}
BADGES = ("coprod_me.gui.rag_badges", "RagBadges")
# What the overview needs, imported off the GUI thread while a starting window is painted.
VIEW_MODULES = ("coprod_me.model.entities", "coprod_me.services.programmes",
                "coprod_me.services.observations", "coprod_me.services.flag_register",
                BADGES[0])
# What the other views need, imported off the GUI thread once the window is usable: a tab
# opened then is built without waiting for them (matplotlib is most of the Charts' wait).
LATER_MODULES = (*(module for module, _cls in VIEWS.values()),
                 "coprod_me.services.observations", "coprod_me.services.risk_runs",
                 "coprod_me.reports.charts", "matplotlib.backends.backend_qtagg")

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
    """A view of the host, built on first use (``ProgrammeViews.view_named``)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, views: ProgrammeViews | None, owner: type | None = None) -> V:
        assert views is not None
        value: V = views.view_named(self.name)
        return value


class _Prepared(QObject):
    """What the start thread read, handed to the GUI thread (a queued signal)."""

    ready = Signal(object)


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
        self._views: dict[str, Any] = {}  # the views built so far, by attribute
        self._prepared: dict[str, str] = {}  # code -> its overview, read by the start thread
        self._preload_failure: BaseException | None = None
        self.refreshes = 0  # how often the window re-read the programmes (forget_shown)
        self._badges_next_turn = self._badges_pending = False  # see when_filled
        self._when_filled: list[Callable[[], None]] = []
        self.details = QTextBrowser()
        self.details.setAccessibleName("Programme details")
        self.details.setOpenExternalLinks(False)
        self.details.setOpenLinks(False)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Programme views")
        self.tabs.currentChanged.connect(self._tab_shown)
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
        """Every view, in place of the placeholder tabs (a window complete when made)."""
        for name in (*VIEWS, "rag_badges"):
            self.view_named(name)

    def view_named(self, name: str) -> Any:
        """The view ``name`` (an attribute: "chart_tab"), built and wired the first time."""
        view = self._views.get(name)
        if view is not None:
            return view
        module, cls = BADGES if name == "rag_badges" else VIEWS[name]
        factory = getattr(importlib.import_module(module), cls)
        if name == "rag_badges" or name == "history_panel":
            view = factory(self.services)
        elif name == "risks_tab":
            view = factory(self.services, self.undo_stack, self.risk_checks)
        else:
            view = factory(self.services, self.undo_stack)
        self._views[name] = view
        self._connect(name, view)
        if name == "rag_badges":
            self._overview_layout.insertWidget(0, view)
            return view
        self._install(list(VIEWS).index(name) + 1, view)
        if self.shown_code is not None and name != "history_panel":
            # filled when shown, as every view that is not in front (see point_at)
            self._stale[view] = self.shown_code
        return view

    def _install(self, index: int, view: QWidget) -> None:
        """``view`` in its tab, in place of the placeholder; the tab in front stays so."""
        current = self.tabs.currentIndex()
        placeholder: Any = self.tabs.widget(index)
        self.tabs.blockSignals(True)  # the caller fills the view it builds for the front
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, view, VIEW_TITLES[index - 1])
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        placeholder.deleteLater()

    def _connect(self, name: str, view: Any) -> None:
        # A view says "changed" after an edit and after its undo or redo: the window
        # refreshes and checks the risks again, quietly and off the GUI thread. Not after
        # the undo stack moves, which it also does for a flag acknowledged or closed.
        if name in ("profile_tab", "indicator_tab", "observation_tab", "records_tab"):
            view.changed.connect(self.edited)
        # every undo or redo: what the views show may have changed under them
        if name in ("history_panel", "observation_tab", "records_tab", "chart_tab"):
            self.undo_stack.indexChanged.connect(
                view.refresh if name == "history_panel" else view.reload)
        if name == "rag_badges":
            view.category_activated.connect(self.show_risk_category)
            # a programme shown whose rules never ran is checked quietly (F9 runs them asked)
            view.unchecked.connect(self.risk_checks.schedule_once)
        if name == "risks_tab":
            view.changed.connect(self._risks_checked)

    def _tab_shown(self, index: int) -> None:
        """A tab came to the front: its view built if it was not, and filled if stale."""
        names = list(VIEWS)
        if 1 <= index <= len(names):
            self._fill_stale(self.view_named(names[index - 1]))

    def build_when_shown(self, then: Callable[[Sequence[ProgrammeSummary]], None]) -> None:
        """Once the window is on screen, read what makes it usable on a thread, then call
        ``then`` with the programme list (gates counted) on the GUI thread.

        The window has painted its navigator; the overview needs the entities, the ORM and
        the services (most of a second of imports) and a few queries: a thread does both,
        the GUI thread only puts the result on screen, so the window keeps answering.
        """
        self._then = then
        self._exposure_waits = 0
        # No cyclic garbage collection until the start is over: a full collection over the
        # objects the imports make holds every thread for a fifth of a second; after it,
        # those objects are frozen out of the collections (_collect_again).
        gc.disable()
        self._ready = _Prepared(self)
        self._ready.ready.connect(self._prepared_ready, Qt.ConnectionType.QueuedConnection)
        # A timer, not a zero-time call: it fires after what the loop already holds (the
        # first paint, input), and _when_exposed waits for the window to be exposed.
        QTimer.singleShot(1, self._when_exposed)

    def _when_exposed(self) -> None:
        """Once the window is on screen (the navigator painted, what the loop holds done):
        the imports and the reads on a thread; the window keeps answering meanwhile."""
        window = self._window
        handle = window.windowHandle()
        if (window.isVisible() and handle is not None and not handle.isExposed()
                and self._exposure_waits < 50):
            self._exposure_waits += 1  # the window system has not shown it yet
            QTimer.singleShot(10, self._when_exposed)
            return
        code, self._read_at = self.shown_code_pending, (self.refreshes, self.services)
        self._preload = threading.Thread(target=self._prepare, args=(self.services, code),
                                         name="preload", daemon=True)
        self._preload.start()

    #: the programme a starting window selected first (its overview is read on the thread)
    shown_code_pending: str | None = None

    def _prepare(self, services: Services, code: str | None) -> None:
        """Import what the overview needs, read the programme list with its gates and the
        overview of ``code`` (on the preload thread); hand them to the GUI thread."""
        try:
            for name in VIEW_MODULES:
                importlib.import_module(name)
            Services.prepare()  # what the first ORM query would otherwise do on the GUI thread
            rows = services.programmes.summaries()
            overview = overview_html(services, code) if code is not None else None
        except BaseException as exc:  # handed to the GUI thread, which reports it
            self._ready.ready.emit(exc)
        else:
            self._ready.ready.emit((rows, code, overview))

    def _prepared_ready(self, result: object) -> None:
        if isinstance(result, BaseException):
            # The window cannot be used without these: say why, once, and leave it as first
            # painted (the navigator answers; a view asked for fails again, and says so).
            self._preload_failure = result
            _collect_again()
            report_exception(result, self._window)
            return
        assert isinstance(result, tuple)
        rows, code, overview = result
        if self._read_at != (self.refreshes, self.services):
            rows = overview = None  # an edit, a load or another database since: read again
        if code is not None and overview is not None:
            self._prepared[code] = overview
        self._badges_next_turn = True
        self._then(rows)
        self._badges_next_turn = False
        self._prepared.clear()  # read once: an overview shown later is read when shown
        # the other views' modules, off the GUI thread while the user looks at the overview
        # (once it is painted: the thread's imports would slow that paint down)
        self.when_filled(lambda: QTimer.singleShot(50, _start_preload_later))

    # ----------------------------------------------------------------- the programme shown

    def show(self, code: str, strand: str | None) -> bool:
        """Show ``code`` (and ``strand`` in the observation grid): the overview and the view
        in front. True when the programme was not the one shown already."""
        from coprod_me.gui.observation_chooser import ALL_STRANDS

        self._strand = strand
        new = code != self.shown_code
        if new:
            self.shown_code = code
            overview = self._prepared.pop(code, None)
            self.details.setHtml(overview if overview is not None
                                 else overview_html(self.services, code))
            self.point_at(code)
        grid = self._views.get("observation_tab")
        if grid is not None and grid not in self._stale:
            grid.set_strand(strand or ALL_STRANDS)
        return new

    def point_at(self, code: str | None) -> None:
        """Point every programme view at ``code`` (None when no programme is selected)."""
        # Only the view in front is filled now; the others when they are shown (each fill
        # runs its own queries, and most are never looked at for most programmes). A view
        # not built yet is filled when it is built and shown.
        self._stale = {}
        for view in self.programme_views():
            if view is self.tabs.currentWidget() or code is None:
                view.set_programme(code)
            else:
                self._stale[view] = code
        if self._badges_next_turn:  # a starting window: the overview paints first
            self._badges_next_turn, self._badges_pending = False, True
            # 1 ms: 0 would not turn the loop; self as context: dropped if the window goes
            QTimer.singleShot(1, self, lambda: self._fill_badges(code))
        else:
            self.rag_badges.set_programme(code)
        if code is None:
            self.shown_code = None

    def _fill_stale(self, view: Any) -> None:
        code = self._stale.pop(view, None)
        if code is not None:
            from coprod_me.gui.observation_chooser import ALL_STRANDS

            view.set_programme(code)
            if "observation_tab" in self._views and view is self._views["observation_tab"]:
                view.set_strand(self._strand or ALL_STRANDS)

    def view(self, widget: Any) -> Any:
        """A programme view, filled for the selected programme (for callers that use one
        without showing it first)."""
        self._fill_stale(widget)
        return widget

    def programme_views(self) -> list[Any]:
        """The programme views built so far (the others are filled when built)."""
        return [self._views[name] for name in VIEWS
                if name in self._views and name != "history_panel"]

    def _fill_badges(self, code: str | None) -> None:
        self._badges_pending = False
        if code == self.shown_code:  # else another programme was shown meanwhile, badges too
            self.rag_badges.set_programme(code)
        for call in self._when_filled:
            call()
        self._when_filled.clear()

    def when_filled(self, call: Callable[[], None]) -> None:
        """Call ``call`` once the overview is filled. A starting window fills its RAG badges
        on the turn of the loop after the rest of the overview (each turn stays short)."""
        if self._badges_pending:
            self._when_filled.append(call)
        else:
            call()

    def forget_shown(self) -> None:
        """The window re-reads the programmes: the views re-read even the one shown, and
        what the start thread read before this is no longer current."""
        self.shown_code = None
        self.refreshes += 1

    def show_opening(self, code: str, name: str) -> None:
        """What the overview says while a starting window reads it."""
        self.shown_code_pending = code
        self.details.setHtml(f"<h2>{html.escape(code)} — {html.escape(name)}</h2>"
                             "<p>Opening …</p>")

    def show_welcome(self) -> None:
        """The overview of a database with no programme: where to start."""
        self.details.setHtml(WELCOME_HTML)

    def reload_after_edit(self) -> None:
        """The views that show what an edit elsewhere changes (charts, indicator status);
        one not built yet reads them when it is."""
        for name in ("chart_tab", "indicator_tab"):
            view = self._views.get(name)
            if view is not None:
                view.reload()

    def set_services(self, services: Services) -> None:
        """Another database: the views read and edit through its services from now on."""
        self.services = services
        for view in self.programme_views():
            view.set_services(services)
        for name in ("history_panel", "rag_badges"):
            if name in self._views:
                self._views[name].services = services

    # ----------------------------------------------------------------- what is looked at

    def record_in_view(self, code: str | None) -> tuple[str | None, int | None]:
        """The record the user is looking at: an observation, an indicator, a risk flag, a
        record of the history, or the programme ``code``."""
        view: Any = self.tabs.currentWidget()  # only a built view can be in front
        name = next((n for n, built in self._views.items() if built is view), "")
        if name == "observation_tab":
            row = view.current_row()
            if row is not None:
                return "observation", row.id
        if name == "indicator_tab" and code is not None:
            ind = view.selected()
            if ind is not None:
                return "indicator", self.services.indicators.get(code, ind.code).id
        if name == "risks_tab":
            flag = view.selected()
            if flag is not None:
                return "risk_flag", flag.id
        if name == "history_panel":
            return view.entity, view.entity_id
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


def _start_preload_later() -> None:
    threading.Thread(target=_preload_later, name="preload-views", daemon=True).start()


def _preload_later() -> None:
    """Import the other views' modules and matplotlib (on a thread, the window usable)."""
    try:
        for name in LATER_MODULES:
            # one that fails is imported again when its view is built, and reported then
            with contextlib.suppress(ImportError):
                importlib.import_module(name)
    finally:
        _collect_again()


def _collect_again() -> None:
    """Garbage collection back on after the start, the modules' objects left out of it (they
    live as long as the app: scanning them again and again would only cost pauses)."""
    gc.freeze()
    gc.enable()
