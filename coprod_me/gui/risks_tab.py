"""The risk register of a programme (issue 5): flags that explain themselves, and what to do.

A flag is a prompt for evaluator judgement, not a verdict (domain §0): every flag can be
acknowledged, mitigated (owner, due date), closed as resolved or as a false positive, or given
another severity; the last two need a reason, which the service audits. Each action is one
undoable step whose undo writes the flag back as it was (``FlagRegisterService.restore``).

The rules run on a worker thread (``gui.risk_checks``, owned by the window): on demand with a
progress dialog ("Run rules"), and quietly after imports and edits; this tab shows what the
checks are doing and reloads when one has checked its programme.

The tab composes its parts: the register's table and filters (``gui.flag_table``), the detail
pane (``gui.flag_detail``), the actions and their dialogs (``gui.flag_actions``,
``gui.flag_dialogs``), and two pages of their own, the checklists (``gui.checklist_editor``)
and the rule parameters (``gui.rule_parameters``).
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from coprod_me.gui.checklist_editor import ChecklistTab
from coprod_me.gui.errors import report_exception
from coprod_me.gui.flag_actions import FlagActions
from coprod_me.gui.flag_detail import FlagDetailPane, history_html
from coprod_me.gui.flag_table import (
    FlagFilter,
    FlagFilterBar,
    FlagRegisterView,
    FlagTableModel,
)
from coprod_me.gui.flag_words import PROGRAMME_TOTAL
from coprod_me.gui.programme_view import ProgrammeView
from coprod_me.gui.rule_parameters import RuleParametersPanel
from coprod_me.gui.workers import BackgroundTask
from coprod_me.model.errors import Cancelled, DomainError
from coprod_me.services import Services

if TYPE_CHECKING:
    from coprod_me.gui.risk_checks import RiskChecks
    from coprod_me.services.flag_register import FlagRegisterService, FlagView
    from coprod_me.services.risk_runs import RunSummary


class RisksTab(ProgrammeView):
    """Register, detail pane and actions; checklists and rule parameters as sub-tabs."""

    def __init__(self, services: Services, undo_stack: QUndoStack, checks: RiskChecks,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, undo_stack, parent)
        self.checks = checks
        self.task: BackgroundTask | None = None
        self._rationale: dict[str, str] = {}

        self.model = FlagTableModel(self)
        self.proxy = FlagFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = FlagRegisterView(self.proxy)
        self.table.selectionModel().currentRowChanged.connect(self._show_selected)
        self.filters = FlagFilterBar()
        self.filters.changed.connect(self._apply_filters)
        self.flag_actions = FlagActions(undo_stack, lambda: self.flag_register, self.selected)
        self.flag_actions.acted.connect(self._after_action)
        self.flag_actions.done.connect(self._say)
        self.detail = FlagDetailPane(self.flag_actions)
        self.checklists = ChecklistTab(services, undo_stack)
        self.checklists.changed.connect(self._checklist_changed)
        self.parameters = RuleParametersPanel(services, undo_stack)
        self.parameters.changed.connect(self._parameters_changed)
        self.pages = QTabWidget()
        self.pages.setAccessibleName("Risk views")
        self.pages.addTab(self._build_register_page(), "Re&gister")
        self.pages.addTab(self.checklists, "Checklis&ts")
        self.pages.addTab(self.parameters, "Rule parameter&s")

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(self._build_top_bar())
        lay.addWidget(self.pages, 1)
        self._set_tab_order()
        checks.status.connect(self.checking_label.setText)
        checks.failed.connect(lambda text: self._say(text, problem=True))
        checks.checked.connect(self._checked)
        self._show_selected()
        self.setEnabled(False)

    def _build_register_page(self) -> QWidget:
        """The filters over the register, the selected flag's detail and actions below."""
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        page = QWidget()
        rp = QVBoxLayout(page)
        rp.setContentsMargins(4, 4, 4, 4)
        rp.addWidget(self.filters)
        rp.addWidget(self.splitter, 1)
        return page

    def _build_top_bar(self) -> QHBoxLayout:
        """Run the rules, what the quiet checks are doing, and the tab's messages."""
        self.run_action = QAction("Run rules", self)
        self.run_action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.run_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.run_action.triggered.connect(self.run_rules)
        self.addAction(self.run_action)  # the shortcut is live while the tab is shown
        self.run_button = QPushButton("Run rules (Ctrl+Shift+R)")
        self.run_button.setAutoDefault(False)
        self.run_button.setToolTip("Run every risk rule on this programme now")
        self.run_button.clicked.connect(self.run_rules)
        self.checking_label = QLabel()
        self.checking_label.setAccessibleName("Risk check status")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Risk messages")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.addWidget(self.run_button)
        top.addWidget(self.checking_label)
        top.addWidget(self.message, 1)
        return top

    def _set_tab_order(self) -> None:
        chain = (*self.filters.combos, self.table, self.detail.explanation,
                 self.detail.numbers_view, self.flag_actions.acknowledge_button)
        self.setTabOrder(self.run_button, self.pages)
        for before, after in pairwise(chain):
            self.setTabOrder(before, after)

    # ------------------------------------------------------------------------------ access

    def set_services(self, services: Services) -> None:
        # another database (File > Open database): the sub-tabs must read it too
        super().set_services(services)
        self.checklists.set_services(services)
        self.parameters.set_services(services)
        self._rationale = {}

    @property
    def flag_register(self) -> FlagRegisterService:
        return self.services.flag_register

    def set_programme(self, code: str | None) -> None:
        if code != self.code:
            self._rationale = {}
            self.message.clear()
            self.proxy.pinned = None
            self.filters.forget_choices()
        self.code = code
        self.setEnabled(code is not None)
        self.checklists.set_programme(code)
        try:
            self.parameters.set_programme(code)
        except DomainError as exc:
            self._say(str(exc), problem=True)
        self._reload_register_or_say()

    def reload(self, *_args: Any) -> None:
        """Read the programme shown again: the register, the checklists, the parameters."""
        self._reload_register_or_say()
        self.checklists.reload()
        try:
            self.parameters.reload()
        except DomainError as exc:
            self._say(str(exc), problem=True)

    def _reload_register_or_say(self) -> None:
        try:
            self._reload_register()
        except DomainError as exc:
            self._say(str(exc), problem=True)

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b3261e;" if problem else "")

    def _reload_register(self, keep: int | None = None) -> None:
        """Reload the flags; ``keep`` is a flag to keep shown and selected (just acted on)."""
        current = self.selected()
        flags = [] if self.code is None else self.flag_register.register(self.code)
        self.model.set_rows(flags)
        self.filters.offer(sorted({f.quarter for f in flags}, reverse=True),
                           sorted({f.strand or PROGRAMME_TOTAL for f in flags}))
        self._filter(self.proxy.pinned if keep is None else keep)
        row = self.model.row_of(keep) if keep is not None else None
        if row is not None:
            current = self.model.rows[row]
        self.table.fit_columns()
        if current is not None:
            self.select(current.id)
        if self.selected() is None and self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, 0))
        self._show_selected()

    def _apply_filters(self) -> None:
        """The user changed a filter: show exactly what it asks for."""
        self._filter(None)

    def _filter(self, pinned: int | None) -> None:
        self.proxy.set(pinned=pinned, **self.filters.criteria())
        if self.selected() is None and self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, 0))
        self._show_selected()

    def show_category(self, category: str | None) -> None:
        """The register filtered to one category (a RAG badge was activated)."""
        self.pages.setCurrentIndex(0)
        self.filters.show_category(category)
        self.table.setFocus()

    # --------------------------------------------------------------------------- selection

    def selected(self) -> FlagView | None:
        idx = self.table.currentIndex()
        if not idx.isValid():
            return None
        row = self.proxy.mapToSource(idx).row()
        return self.model.row_at(row) if 0 <= row < len(self.model.rows) else None

    def select(self, flag_id: int) -> bool:
        row = self.model.row_of(flag_id)
        if row is None:
            return False
        idx = self.proxy.mapFromSource(self.model.index(row, 0))
        if not idx.isValid():
            return False
        self.table.setCurrentIndex(idx)
        self.table.selectRow(idx.row())
        return True

    def _show_selected(self, *_args: Any) -> None:
        f = self.selected()
        self.flag_actions.enable_for(f)
        if f is None:
            self.detail.show_no_flag(
                "<p>No flag selected.</p>" if self.proxy.rowCount() else
                "<p>No flag matches the filters.</p>" if self.model.rows else
                "<p>No flags yet. Run the rules (Ctrl+Shift+R); they also run by themselves "
                "after imports and edits.</p>")
            return
        history = history_html(self.services.database.audit_trail("risk_flag", f.id, limit=40))
        self.detail.show_flag(f, self._rationale_of(f.rule_id), history)

    def _rationale_of(self, rule_id: str) -> str | None:
        if not self._rationale and self.code is not None:
            self._rationale = {r.id: r.rationale
                               for r in self.services.rule_settings.rules(self.code)}
        return self._rationale.get(rule_id)

    # ----------------------------------------------------------------------------- edits

    def _after_action(self, flag_id: int) -> None:
        """A flag action, its undo or its redo: show the flag as it now is."""
        self._reload_register(keep=flag_id)
        self.changed.emit()

    def _parameters_changed(self) -> None:
        # another threshold changes which flags fire: check again, quietly
        self._check_again()
        self.changed.emit()

    def _checklist_changed(self) -> None:
        # answers raise or drop judgement flags: check again, quietly
        self._check_again()
        self.changed.emit()

    # ---------------------------------------------------------------------------- running

    def _check_again(self) -> None:
        if self.code is not None:
            self.checks.schedule([self.code])

    def run_rules(self) -> None:
        """Run every rule on this programme now, with a progress dialog and Cancel."""
        if self.code is None or (self.task is not None and self.task.running):
            return
        task = self.checks.run_now(self.code)
        if task is None:
            self._say("Risks are being checked already; the register updates when done.")
            return
        self.task = task
        self.run_button.setEnabled(False)

        def finished(result: object) -> None:
            self._run_ended()
            assert isinstance(result, list)
            self._say(self._summary_text(result))

        def failed(exc: object) -> None:
            self._run_ended()
            if isinstance(exc, Cancelled):
                self._say(f"Rules run: {exc}")
            elif isinstance(exc, BaseException):
                report_exception(exc, self)

        task.done.connect(finished)
        task.error.connect(failed)

    def _run_ended(self) -> None:
        self.task = None
        self.run_button.setEnabled(True)

    def _checked(self, codes: list[str], _summaries: object) -> None:
        """A run ended: the register (and the checklists' flags) of the programme in view."""
        if self.code in codes:
            self._reload_register_or_say()
            self.checklists.reload()

    @staticmethod
    def _summary_text(summaries: list[RunSummary]) -> str:
        def total(name: str) -> int:
            return sum(int(getattr(s, name)) for s in summaries)

        seconds = sum(s.seconds for s in summaries)
        return (f"Rules run: {total('flags')} flag(s), {total('new')} new, "
                f"{total('escalated')} escalated, {total('closed')} closed, "
                f"{total('reopened')} reopened, {total('suppressed')} suppressed for too "
                f"little data ({seconds:.1f} s)."
                + (f" {total('kept_quarters')} locked quarter(s) keep the flags they were given."
                   if total("kept_quarters") else ""))
