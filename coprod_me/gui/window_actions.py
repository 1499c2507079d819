"""The main window's actions, declared once: what each says (its mnemonic after the "&"),
what it does, its keys, status tip and icon, and where it sits in the menus and the tool bar.

``build(window)`` turns these tables into the window's QActions (each kept as the window
attribute its row names), its menu bar and its tool bar.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMainWindow, QMenu

from coprod_me.gui.icons import icon
from coprod_me.gui.programme_views import OVERVIEW_TITLE, VIEW_TITLES

Key = QKeySequence.StandardKey | str
StandardKey = QKeySequence.StandardKey


@dataclass(frozen=True)
class Action:
    """One action of the window."""

    #: the window attribute that keeps it ("load_action"); None: it is only in its menu
    name: str | None
    #: what it says, the mnemonic after the "&"
    text: str
    #: the window's method it calls, dotted for one of the window's parts
    #: ("database_files.backup"), or "module:function" called with the window (imported
    #: when first triggered); "undo_stack.undo" and "undo_stack.redo" make the undo
    #: stack's own actions, whose text names the edit they undo or redo
    triggers: str
    keys: tuple[Key, ...] = ()
    #: what the status bar says while the pointer is on it
    tip: str = ""
    #: the name of its icon in resources/icons
    icon: str | None = None
    #: what the method is called with
    args: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Submenu:
    """A submenu filled afresh each time it opens."""

    #: the window attribute that keeps the QMenu
    name: str
    title: str
    #: the window's method (dotted for a part) that fills it, given the menu
    fill: str


SEPARATOR = None
Entry = Action | Submenu | None

_UNDO, _REDO = "undo_stack.undo", "undo_stack.redo"

MENUS: tuple[tuple[str, tuple[Entry, ...]], ...] = (
    ("&File", (
        Action("new_db_action", "&New database…", "database_files.new_database",
               (StandardKey.New,), "Start an empty database file"),
        Action("open_db_action", "Open &database…", "database_files.open_database",
               ("Ctrl+Shift+O",), "Switch to another database file"),
        Submenu("recent_menu", "&Recent databases", "database_files.fill_recent_menu"),
        SEPARATOR,
        Action("load_action", "&Load programme workbook…", "choose_and_load",
               (StandardKey.Open,), "Create or update programmes from a programme workbook",
               "open"),
        Action("import_action", "&Import NGO spreadsheet…", "import_spreadsheet", ("Ctrl+I",),
               "Import quarterly data from a spreadsheet of any shape into the selected "
               "programme", "import"),
        Action("export_action", "&Export programme…", "export_selected", ("Ctrl+E",),
               "Write the selected programme to a programme workbook", "export"),
        Action("report_action", "Export &quarterly report…", "export_report", ("Ctrl+R",),
               "The quarterly Excel report of one or more programmes", "report"),
        Action("iati_action", "Export I&ATI results…", "export_iati", (),
               "IATI 2.03 results XML of one or more programmes, checked before writing"),
        Action("template_action", "Save empty &template…", "save_template", (),
               "An empty programme workbook with every sheet and drop-downs"),
        Action("samples_action", "Load &sample programmes", "load_samples", (),
               "The five sample programmes of the domain brief"),
        SEPARATOR,
        Action("backup_action", "&Back up database…", "database_files.backup",
               ("Ctrl+Shift+B",), "A consistent copy of the database file", "backup"),
        SEPARATOR,
        Action("quit_action", "&Quit", "close", ("Ctrl+Q",)),
    )),
    ("&Edit", (
        Action("undo_action", "&Undo", _UNDO, (StandardKey.Undo,), icon="undo"),
        Action("redo_action", "&Redo", _REDO, ("Ctrl+Shift+Z", "Ctrl+Y"), icon="redo"),
        SEPARATOR,
        Action("history_action", "Show &history of this record", "show_history", ("Ctrl+H",),
               "The audit trail of the selected observation, indicator, risk flag or "
               "programme", "history"),
    )),
    ("&View", (
        Action("refresh_action", "&Refresh", "refresh", (StandardKey.Refresh,),
               "Re-read the database", "refresh"),
        # one keystroke to each tab: Alt+1 the Overview … Alt+8 the History
        *(Action(None, f"&{i} {title.replace('&', '')}", "tabs.setCurrentIndex",
                 (f"Alt+{i}",), args=(i - 1,))
          for i, title in enumerate((OVERVIEW_TITLE, *VIEW_TITLES), start=1)),
        SEPARATOR,
        Action("portfolio_action", "&Portfolio…", "coprod_me.gui.portfolio_view:show_portfolio",
               ("Ctrl+Shift+P",), "Every programme in a quarter: which need attention"),
    )),
    ("&Programme", (
        Action("new_programme_action", "New &programme…", "new_programme", ("Ctrl+Shift+N",),
               "Create a programme by code and name", "new-programme"),
        Action("lock_action", "&Lock a quarter…", "set_quarter_status", ("Ctrl+L",),
               "Freeze a quarter's observations", "lock", args=(True,)),
        Action("unlock_action", "&Unlock a quarter…", "set_quarter_status", (),
               "Reopen a locked quarter (with a reason)", args=(False,)),
        Action("run_risks_action", "Check &risks now", "run_risk_rules", ("F9",),
               "Run every risk rule on the selected programme", "risks"),
        Action("dhis2_action", "&DHIS2 mapping…",
               "coprod_me.gui.dhis2_mapping:edit_dhis2_mapping", (),
               "Name the selected programme's indicators, strands and breakdowns as its "
               "DHIS2 instance does"),
        Action("iptt_action", "&IPTT and narratives…", "coprod_me.gui.iptt_dialog:open_iptt",
               (), "The selected programme's indicator performance tracking table; write "
               "the deviation narratives a variance over 10 % needs"),
    )),
    ("&Help", (
        Action("format_action", "Programme workbook &format", "open_format_doc"),
        Action("about_action", "&About coprod-me", "about"),
    )),
)

#: the tool bar: the actions (by name) the work starts from, then undo and redo
TOOL_BAR: tuple[str | None, ...] = (
    "load_action", "import_action", "report_action", "new_programme_action", "refresh_action",
    SEPARATOR, "undo_action", "redo_action")


def _resolve(window: QMainWindow, dotted: str) -> Any:
    """The window's attribute ``dotted`` ("database_files.backup"), or the function
    "module:function" bound to the window."""
    if ":" in dotted:
        module, name = dotted.split(":")
        return lambda *a: getattr(importlib.import_module(module), name)(window, *a)
    target: Any = window
    for part in dotted.split("."):
        target = getattr(target, part)
    return target


def _make(window: QMainWindow, spec: Action) -> QAction:
    if spec.triggers in (_UNDO, _REDO):
        stack: QUndoStack = _resolve(window, "undo_stack")
        make = stack.createUndoAction if spec.triggers == _UNDO else stack.createRedoAction
        action = make(window, spec.text)
    else:
        action = QAction(spec.text, window)
        method = _resolve(window, spec.triggers)
        # called with its own arguments only, not with the "checked" that triggered carries
        action.triggered.connect(lambda _checked=False, m=method, a=spec.args: m(*a))
    if spec.icon:
        action.setIcon(icon(spec.icon))
    if spec.keys:
        action.setShortcuts([QKeySequence(k) for k in spec.keys])
    if spec.tip:
        action.setStatusTip(spec.tip)
    return action


def _add_submenu(window: QMainWindow, menu: QMenu, spec: Submenu) -> None:
    submenu = menu.addMenu(spec.title)
    setattr(window, spec.name, submenu)
    fill = _resolve(window, spec.fill)
    submenu.aboutToShow.connect(lambda f=fill, m=submenu: f(m))


def build(window: QMainWindow) -> dict[str, QAction]:
    """The window's actions, menu bar and tool bar, from ``MENUS`` and ``TOOL_BAR``; the
    named actions are set on the window and returned by name."""
    named: dict[str, QAction] = {}
    for title, entries in MENUS:
        menu = window.menuBar().addMenu(title)
        for entry in entries:
            if entry is SEPARATOR:
                menu.addSeparator()
            elif isinstance(entry, Submenu):
                _add_submenu(window, menu, entry)
            else:
                action = _make(window, entry)
                menu.addAction(action)
                if entry.name is not None:
                    setattr(window, entry.name, action)
                    named[entry.name] = action
    tool_bar = window.addToolBar("Main")
    tool_bar.setObjectName("main_toolbar")
    tool_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for name in TOOL_BAR:
        if name is SEPARATOR:
            tool_bar.addSeparator()
        else:
            tool_bar.addAction(named[name])
    return named
