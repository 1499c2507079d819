"""Keyboard and screen-reader access: every control is named and every action reachable."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from coprod_me.gui.main_window import MainWindow
from coprod_me.services.database import load_samples

CONTROLS = (QAbstractButton, QComboBox, QLineEdit, QAbstractItemView, QAbstractSpinBox,
            QTextEdit, QPlainTextEdit)


def _named(w: QWidget, buddies: set[int]) -> bool:
    if w.accessibleName().strip() or id(w) in buddies:
        return True
    return bool(isinstance(w, QAbstractButton) and w.text().replace("&", "").strip())


def _inside_a_control(w: QWidget) -> bool:
    parent = w.parentWidget()
    while parent is not None:
        if isinstance(parent, CONTROLS):
            return True
        parent = parent.parentWidget()
    return False


def _unnamed_controls(root: QWidget) -> list[str]:
    buddies = {id(lbl.buddy()) for lbl in root.findChildren(QLabel) if lbl.buddy() is not None}
    missing = []
    for w in root.findChildren(QWidget):
        if not isinstance(w, CONTROLS) or isinstance(w, QTabBar):
            continue
        if w.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        # Qt's own parts (a combo box's popup list, a spin box's line edit, scroll-area
        # internals) are named through the control that owns them.
        if w.objectName().startswith("qt_") or _inside_a_control(w):
            continue
        if type(w).__module__.startswith("matplotlib"):
            continue
        if not _named(w, buddies):
            missing.append(f"{type(w).__name__} in {type(w.parent()).__name__}"
                           f" ({w.toolTip() or w.objectName() or 'no tooltip'})")
    return missing


def test_every_control_of_every_view_has_an_accessible_name(qtbot, window: MainWindow):
    load_samples(window.services.store)
    window.refresh()
    window.select("RS-01")
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)  # some views build their controls on first show
    assert _unnamed_controls(window) == []


def test_every_menu_entry_has_a_mnemonic_and_the_main_actions_have_shortcuts(window: MainWindow):
    without_mnemonic = []
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        assert isinstance(menu, QMenu)
        assert "&" in menu_action.text(), menu_action.text()
        for a in menu.actions():
            if a.isSeparator() or a.menu() is not None:
                continue
            if "&" not in a.text():
                without_mnemonic.append(a.text())
    assert without_mnemonic == []
    for action in (window.load_action, window.export_action, window.new_programme_action,
                   window.lock_action, window.history_action, window.undo_action,
                   window.redo_action, window.backup_action, window.quit_action):
        assert not action.shortcut().isEmpty(), action.text()


def test_each_view_is_one_keystroke_away(qtbot, window: MainWindow):
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    shortcuts = {a.shortcut().toString() for a in view_menu.actions() if not a.isSeparator()}
    for i in range(1, window.tabs.count() + 1):
        assert f"Alt+{i}" in shortcuts


def test_the_audit_notices_an_unnamed_control(qtbot, window: MainWindow):
    from PySide6.QtWidgets import QLineEdit

    stray = QLineEdit(window.records_tab)
    stray.setToolTip("stray edit")
    assert _unnamed_controls(window) == ["QLineEdit in RecordsTab (stray edit)"]
    stray.setAccessibleName("Stray")
    assert _unnamed_controls(window) == []


def test_no_label_shows_a_literal_ampersand(qtbot, window: MainWindow, tmp_path):
    """A label with '&' but no buddy shows the ampersand instead of underlining a letter."""
    from coprod_me.gui.import_wizard import ImportWizard
    from coprod_me.gui.report_dialog import ReportDialog

    load_samples(window.services.store)
    window.refresh()
    wizard = ImportWizard(window.services, "RS-01", None, window)
    dialog = ReportDialog(window.services, ["RS-01"], None, window)
    stray = []
    for root in (window, wizard, dialog):
        for label in root.findChildren(QLabel):
            text = label.text().replace("&&", "")
            rich = label.textFormat() == Qt.TextFormat.RichText or text.lstrip().startswith("<")
            if "&" in text and label.buddy() is None and not rich:
                stray.append(label.text())
    assert stray == []


def test_the_actor_dialogs_are_named_and_their_labels_have_buddies(qtbot, window: MainWindow):
    """The new-actor dialog, and the new-record dialog with its New actor… button."""
    from coprod_me.gui.actor_editor import NewActorDialog
    from coprod_me.gui.records_tab import REGISTER, NewRecordDialog
    from coprod_me.services.actors import ActorService
    from coprod_me.services.records import ACTORS, RecordService

    actor = NewActorDialog(ActorService.columns(), window)
    record = NewRecordDialog("Actor roles", RecordService.columns(ACTORS), ["S1"],
                             [("A-1", "An actor")], True, window, new_actor=lambda _d: None)
    for dialog in (actor, record):
        assert _unnamed_controls(dialog) == []
        for label in dialog.findChildren(QLabel):
            if "&" in label.text().replace("&&", ""):
                assert label.buddy() is not None, label.text()
    assert record.new_actor_button is not None and "&" in record.new_actor_button.text()
    window.records_tab.set_kind(REGISTER)
    assert window.records_tab.add_action.shortcut().toString() == "Ins"
    assert window.records_tab.delete_action.shortcut().toString() == "Ctrl+Del"
    assert window.records_tab.actor_editor.view.accessibleName() == "Actors"
