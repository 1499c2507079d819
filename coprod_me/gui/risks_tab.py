"""The risk register of a programme (issue 5): flags that explain themselves, and what to do.

A flag is a prompt for evaluator judgement, not a verdict (domain §0): every flag can be
acknowledged, mitigated (owner, due date), closed as resolved or as a false positive, or given
another severity; the last two need a reason, which the service audits. Each action is one
undoable step whose undo writes the flag back as it was (``FlagRegisterService.restore``).

The rules run on a worker thread (``gui.risk_checks``, owned by the window): on demand with a
progress dialog ("Run rules"), and quietly after imports and edits; this tab shows what the
checks are doing and reloads when one has checked its programme.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from coprod_me.gui.checklist_editor import ChecklistTab
from coprod_me.gui.errors import report_exception
from coprod_me.gui.programme_view import ProgrammeView
from coprod_me.gui.rag_badges import (
    CATEGORY_WORDS,
    SEVERITY_COLOURS,
    severity_rank,
)
from coprod_me.gui.table_models import SORT_ROLE, Column, RowTableModel, filtered
from coprod_me.gui.undo_commands import apply_edit
from coprod_me.gui.workers import BackgroundTask
from coprod_me.model.enums import FlagStatus, RiskCategory, Severity
from coprod_me.model.errors import Cancelled, DomainError
from coprod_me.model.tracking import fmt
from coprod_me.services.database import AuditEntry
from coprod_me.services.fields import read_number

if TYPE_CHECKING:
    from coprod_me.gui.risk_checks import RiskChecks
    from coprod_me.services.flag_register import FlagRegisterService, FlagView
    from coprod_me.services.risk_runs import RunSummary
    from coprod_me.services.rule_settings import RuleSettingsService

_Index = QModelIndex | QPersistentModelIndex

STATUS_WORDS: dict[str, str] = {
    FlagStatus.OPEN.value: "open",
    FlagStatus.ACKNOWLEDGED.value: "acknowledged",
    FlagStatus.MITIGATING.value: "mitigating",
    FlagStatus.CLOSED_RESOLVED.value: "closed: resolved",
    FlagStatus.CLOSED_FALSE_POSITIVE.value: "closed: false positive",
    FlagStatus.SUPPRESSED_INSUFFICIENT_DATA.value: "suppressed: too little data",
}
ACTIVE = "active"  # the status filter's "open, acknowledged or mitigating"
ACTIVE_STATUSES = (FlagStatus.OPEN.value, FlagStatus.ACKNOWLEDGED.value,
                   FlagStatus.MITIGATING.value)
CLOSED_STATUSES = (FlagStatus.CLOSED_RESOLVED.value, FlagStatus.CLOSED_FALSE_POSITIVE.value)
#: Provenance tags of thresholds (domain §0), said in words for tooltips and the legend.
TAG_WORDS: dict[str, str] = {
    "LIT": "LIT: the value or construct comes straight from the cited literature",
    "ANCHOR": "ANCHOR: a convention set against a published empirical figure",
    "REG": "REG: borrowed from a regulatory screening convention in another field "
           "(its logic, not its legal force)",
    "CONV": "CONV: a professional convention, defensible but not evidence-based; "
            "adjust it to your programme in Rule parameters",
}
PROGRAMME_TOTAL = "programme total"


def words(code: str | None) -> str:
    return code.replace("_", " ") if code else ""


def show_number(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int | float):
        return fmt(float(v))
    if isinstance(v, list | tuple):
        return ", ".join(show_number(x) for x in v)
    return str(v)


def severity_brushes(severity: str | None) -> tuple[QBrush, QBrush]:
    fill, text = SEVERITY_COLOURS.get(severity, SEVERITY_COLOURS[None])
    return QBrush(QColor(fill)), QBrush(QColor(text))


def _severity_text(f: FlagView) -> str:
    if f.override_severity and f.override_severity != f.computed_severity:
        return f"{f.severity} (set by evaluator)"
    return f.severity


# ------------------------------------------------------------------------------------------
# The register


# severity and status first: they are what a narrow pane must still show
FLAG_COLUMNS: list[Column[FlagView]] = [
    Column("Rule", lambda f: f.rule_id),
    Column("Severity", _severity_text, "info < low < medium < high < critical"),
    Column("Status", lambda f: STATUS_WORDS.get(f.status, words(f.status))),
    Column("Title", lambda f: f.rule_title, max_width=240),
    Column("Category", lambda f: CATEGORY_WORDS.get(f.category, words(f.category))),
    Column("Strand", lambda f: f.strand or PROGRAMME_TOTAL),
    Column("Subject", lambda f: f.subject or None, "What the flag is about within the strand "
           "(a result link, a provider, a group …)", max_width=180),
    Column("Quarter", lambda f: f.quarter),
    Column("Periods", lambda f: f.consecutive_periods,
           "Consecutive quarters in which the flag was raised (two or more escalate it)",
           align_right=True),
]
COL_SEVERITY, COL_STATUS, COL_TITLE, COL_CATEGORY = 1, 2, 3, 4
_STATUS_RANK = {s.value: i for i, s in enumerate(FlagStatus)}


class FlagTableModel(RowTableModel["FlagView"]):
    """The flags handed to it; severity coloured and said in words, sorted by meaning."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(FLAG_COLUMNS, parent)

    def row_of(self, flag_id: int) -> int | None:
        return next((i for i, f in enumerate(self.rows) if f.id == flag_id), None)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        f, c = self.rows[index.row()], index.column()
        if c == COL_SEVERITY:
            if role == SORT_ROLE:
                return float(severity_rank(f.severity))
            if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
                fill, text = severity_brushes(f.severity)
                return fill if role == Qt.ItemDataRole.BackgroundRole else text
            if role == Qt.ItemDataRole.ToolTipRole:
                tip = f"Severity {f.severity}; the rule computed {f.computed_severity}"
                if f.override_reason:
                    tip += f"; set by the evaluator because: {f.override_reason}"
                return tip
        if c == COL_STATUS and role == SORT_ROLE:
            return float(_STATUS_RANK.get(f.status, 99))
        if role == Qt.ItemDataRole.ToolTipRole and c == COL_TITLE:
            return f.why
        return super().data(index, role)


class FlagFilter(QSortFilterProxyModel):
    """Category, least severity, status, strand and quarter; None lets everything through."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.category: str | None = None
        self.min_severity: str | None = None
        self.status: str | None = None  # a FlagStatus value or ACTIVE
        self.strand: str | None = None  # a strand code or PROGRAMME_TOTAL
        self.quarter: str | None = None
        # the flag just acted on stays in view even if it no longer matches (acknowledging
        # under "open" would otherwise make it vanish and the next action hit another flag)
        self.pinned: int | None = None
        self.setSortRole(SORT_ROLE)

    def set(self, **criteria: str | int | None) -> None:
        self.beginFilterChange()
        for name, value in criteria.items():
            setattr(self, name, value)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, FlagTableModel)
        f = model.rows[source_row]
        if f.id == self.pinned:
            return True
        if self.category and f.category != self.category:
            return False
        if self.min_severity and severity_rank(f.severity) < severity_rank(self.min_severity):
            return False
        if self.status == ACTIVE and f.status not in ACTIVE_STATUSES:
            return False
        if self.status not in (None, ACTIVE) and f.status != self.status:
            return False
        if self.strand and (f.strand or PROGRAMME_TOTAL) != self.strand:
            return False
        return not (self.quarter and f.quarter != self.quarter)


@dataclass(frozen=True)
class NumberRow:
    """One line of "the numbers against thresholds"."""

    name: str
    observed: Any
    threshold: Any
    tag: str


NUMBER_COLUMNS: list[Column[NumberRow]] = [
    Column("Number", lambda r: words(r.name)),
    Column("Observed", lambda r: show_number(r.observed) or None, align_right=True),
    Column("Threshold", lambda r: show_number(r.threshold) or None, align_right=True),
    Column("Source", lambda r: r.tag, "LIT literature · ANCHOR empirical anchor · "
           "REG regulatory convention · CONV professional convention"),
]


class NumberTableModel(RowTableModel[NumberRow]):
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.ToolTipRole and index.isValid() and index.column() == 3
                and 0 <= index.row() < len(self.rows)):
            return TAG_WORDS.get(self.rows[index.row()].tag)
        return super().data(index, role)


def number_rows(f: FlagView) -> list[NumberRow]:
    """Thresholds with what was observed against them, then the other computed numbers."""
    rows = []
    shown: set[str] = set()
    for t in f.thresholds:
        name = str(t.get("name", ""))
        observed = t.get("observed")
        rows.append(NumberRow(str(t.get("label") or name), observed, t.get("value"),
                              str(t.get("tag") or "")))
        if "observed" in t:
            shown.add(name)
    for name, value in f.metrics.items():
        if name not in shown:
            rows.append(NumberRow(name, value, None, "measured"))
    return rows


#: Audited fields of a flag worth showing in its history, in words.
HISTORY_FIELDS = {"status": "status", "severity": "severity", "override_severity":
                  "severity set to", "mitigation": "mitigation", "owner": "owner",
                  "due_date": "due", "evaluator_judgement": "evaluator's note"}


def history_html(entries: Iterable[AuditEntry], limit: int = 5) -> str:
    """What people did to the flag, newest first, one line per change (the rules' own runs
    are left out): when, who, what changed, and the reason they gave."""
    e = html.escape
    groups: list[tuple[AuditEntry, list[str]]] = []
    for a in entries:
        if a.action != "update" or a.field not in HISTORY_FIELDS or a.reason == "risk rules run":
            continue
        what = HISTORY_FIELDS[a.field]
        change = (f"{what} {words(a.old) or '—'} → {words(a.new) or '—'}"
                  if a.field in ("status", "severity", "override_severity") else
                  f"{what}: {a.new or '—'}")
        if groups and (groups[-1][0].at, groups[-1][0].reason) == (a.at, a.reason):
            groups[-1][1].append(change)
        elif len(groups) < limit:
            groups.append((a, [change]))
    lines = [f"<li>{e(a.at[:16].replace('T', ' '))} {e(a.user)}: {e('; '.join(changes))}"
             + (f" — “{e(a.reason)}”" if a.reason and not any(a.reason in c for c in changes)
                else "")
             + "</li>" for a, changes in groups]
    return "<p><b>History:</b></p><ul>" + "".join(lines) + "</ul>" if lines else ""


def flag_html(f: FlagView, rationale: str | None, history: str = "") -> str:
    e = html.escape
    fill, text = SEVERITY_COLOURS.get(f.severity, SEVERITY_COLOURS[None])
    where = f.strand or PROGRAMME_TOTAL
    if f.subject:
        where += f" · {f.subject}"
    parts = [f"<h3>{e(f.rule_id)} {e(f.rule_title)}</h3>",
             f"<p><span style='background:{fill}; color:{text}'>&nbsp;<b>"
             f"{e(f.severity)}</b>&nbsp;</span> &nbsp;{e(STATUS_WORDS.get(f.status, f.status))}"
             f" · {e(CATEGORY_WORDS.get(f.category, words(f.category)))} · {e(where)} · "
             f"{e(f.quarter)}</p>",
             f"<p><b>Why:</b> {e(f.why)}</p>"]
    raised = f"First raised {e(f.first_raised_period or f.quarter)}"
    raised += (f"; raised in {f.consecutive_periods} consecutive quarters"
               if f.consecutive_periods > 1 else "; raised this quarter only")
    parts.append(f"<p>{raised}.</p>")
    if f.override_severity and f.override_severity != f.computed_severity:
        parts.append(f"<p><b>Severity set by the evaluator</b> to {e(f.override_severity)} "
                     f"(the rule computed {e(f.computed_severity)}): "
                     f"{e(f.override_reason or '')}</p>")
    elif f.severity != f.computed_severity:
        parts.append(f"<p>The rule computed {e(f.computed_severity)}.</p>")
    if f.mitigation or f.owner or f.due_date:
        due = f", due {f.due_date.isoformat()}" if f.due_date else ""
        parts.append(f"<p><b>Mitigation</b> (owner {e(f.owner or 'not named')}{e(due)}): "
                     f"{e(f.mitigation or '')}</p>")
    if f.evaluator_judgement:
        parts.append(f"<p><b>Evaluator:</b> {e(f.evaluator_judgement)}</p>")
    if f.citations:
        parts.append(f"<p><b>Sources:</b> {e(', '.join(f.citations))}</p>")
    if rationale:
        parts.append(f"<p><b>Rationale:</b> {e(rationale)}</p>")
    parts.append(history)
    return "".join(parts)


# ------------------------------------------------------------------------------------------
# Dialogs of the actions: each checks its own input and enables OK only when it is complete


def _intro(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # a why may hold '<' or '&'
    label.setWordWrap(True)
    return label


def _reason_edit(name: str, placeholder: str) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)  # Tab leaves the box for the buttons
    edit.setFixedHeight(80)
    return edit


class _ActionDialog(QDialog):
    def __init__(self, title: str, ok_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout(self)

    def finish(self) -> None:
        self.form.addRow(self.buttons)
        self.resize(560, self.sizeHint().height())
        self.update_ok()

    def update_ok(self, *_args: Any) -> None:
        self.ok_button.setEnabled(self.complete())

    def complete(self) -> bool:
        return True


class MitigateDialog(_ActionDialog):
    """What will be done about the flag, by whom and by when."""

    def __init__(self, f: FlagView, parent: QWidget | None = None) -> None:
        super().__init__(f"Mitigate {f.rule_id}", "&Save", parent)
        self.mitigation = _reason_edit("Mitigation", "What will be done about it")
        self.mitigation.setPlainText(f.mitigation or "")
        self.owner = QLineEdit(f.owner or "")
        self.owner.setAccessibleName("Owner")
        self.owner.setPlaceholderText("Who is responsible")
        self.has_due = QCheckBox("Due &by")
        self.has_due.setAccessibleName("Has a due date")
        self.due = QDateEdit()
        self.due.setAccessibleName("Due date")
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        start = f.due_date or date.today()
        self.due.setDate(QDate(start.year, start.month, start.day))
        self.has_due.setChecked(f.due_date is not None)
        self.due.setEnabled(f.due_date is not None)
        self.has_due.toggled.connect(self.due.setEnabled)
        due_row = QHBoxLayout()
        due_row.addWidget(self.has_due)
        due_row.addWidget(self.due, 1)
        self.form.addRow(_intro(f"{f.rule_id} {f.rule_title}: {f.why}"))
        self.form.addRow("&Mitigation:", self.mitigation)
        self.form.addRow("&Owner:", self.owner)
        self.form.addRow("", due_row)
        self.mitigation.textChanged.connect(self.update_ok)
        self.owner.textChanged.connect(self.update_ok)
        self.finish()

    def complete(self) -> bool:
        return bool(self.mitigation.toPlainText().strip() and self.owner.text().strip())

    def values(self) -> tuple[str, str, date | None]:
        d = self.due.date()
        due = date(d.year(), d.month(), d.day()) if self.has_due.isChecked() else None
        return self.mitigation.toPlainText().strip(), self.owner.text().strip(), due


class CloseDialog(_ActionDialog):
    """Resolved or a false positive, and why: the reason is mandatory and audited."""

    def __init__(self, f: FlagView, parent: QWidget | None = None) -> None:
        super().__init__(f"Close {f.rule_id}", "C&lose flag", parent)
        self.resolved = QRadioButton("&Resolved: the risk was dealt with")
        self.false_positive = QRadioButton("&False positive: the rule misread this programme")
        self.resolved.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.resolved)
        group.addButton(self.false_positive)
        self.reason = _reason_edit("Reason for closing", "Why is this flag closed? "
                                   "(required; it is kept in the audit trail)")
        self.reason.textChanged.connect(self.update_ok)
        self.form.addRow(_intro(f"{f.rule_id} {f.rule_title}: {f.why}"))
        self.form.addRow(self.resolved)
        self.form.addRow(self.false_positive)
        self.form.addRow("Rea&son:", self.reason)
        self.form.addRow(QLabel("A closed flag opens again if its triggering number moves "
                                "by 20 % or more."))
        self.finish()

    def complete(self) -> bool:
        return bool(self.reason.toPlainText().strip())

    def values(self) -> tuple[bool, str]:
        return self.false_positive.isChecked(), self.reason.toPlainText().strip()


class OverrideDialog(_ActionDialog):
    """Another severity than the rule computed, or back to the computed one, with a reason."""

    def __init__(self, f: FlagView, parent: QWidget | None = None) -> None:
        super().__init__(f"Severity of {f.rule_id}", "&Set severity", parent)
        self.severity = QComboBox()
        self.severity.setAccessibleName("Severity")
        self.severity.addItem(f"as computed by the rule ({f.computed_severity})", None)
        for s in Severity:
            self.severity.addItem(s.value, s.value)
        self.severity.setCurrentIndex(max(self.severity.findData(f.override_severity), 0))
        self.reason = _reason_edit("Reason for the severity", "Why this severity? "
                                   "(required; it is kept in the audit trail)")
        self.reason.textChanged.connect(self.update_ok)
        self.form.addRow(_intro(f"{f.rule_id} {f.rule_title}: the rule computed "
                                f"{f.computed_severity}."))
        self.form.addRow("Se&verity:", self.severity)
        self.form.addRow("Rea&son:", self.reason)
        self.finish()

    def complete(self) -> bool:
        return bool(self.reason.toPlainText().strip())

    def values(self) -> tuple[str | None, str]:
        return self.severity.currentData(), self.reason.toPlainText().strip()


# ------------------------------------------------------------------------------------------
# Rule parameters


@dataclass(frozen=True)
class ParameterRow:
    rule_id: str
    category: str
    rule_title: str
    name: str
    label: str
    value: Any
    tag: str
    default: Any
    overridden: bool
    reason: str | None


PARAMETER_COLUMNS: list[Column[ParameterRow]] = [
    Column("Rule", lambda r: r.rule_id),
    Column("Category", lambda r: CATEGORY_WORDS.get(r.category, words(r.category))),
    Column("Title", lambda r: r.rule_title, max_width=260),
    Column("Parameter", lambda r: r.label, max_width=260),
    Column("Value", lambda r: show_number(r.value), align_right=True, max_width=160),
    Column("Source", lambda r: r.tag, "LIT literature · ANCHOR empirical anchor · "
           "REG regulatory convention · CONV professional convention"),
    Column("Default", lambda r: show_number(r.default), align_right=True, max_width=160),
    Column("This programme", lambda r: f"overridden: {r.reason}" if r.overridden else None,
           "A value set for this programme, with the reason given", max_width=320),
]


class ParameterTableModel(RowTableModel[ParameterRow]):
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        r = self.rows[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 5:
            return TAG_WORDS.get(r.tag)
        if role == Qt.ItemDataRole.BackgroundRole and r.overridden and index.column() == 4:
            return QBrush(QColor("#fff3cd"))
        if role == Qt.ItemDataRole.ForegroundRole and r.overridden and index.column() == 4:
            return QBrush(QColor("#202124"))
        return super().data(index, role)


def parameter_rows(rules: Iterable[Any]) -> list[ParameterRow]:
    rows = []
    for rule in rules:
        for p in rule.params:
            rows.append(ParameterRow(
                rule.id, rule.category, rule.title, str(p["name"]),
                str(p.get("label") or p["name"]), p.get("value"), str(p.get("tag") or ""),
                p.get("default"), bool(p.get("overridden")), p.get("reason")))
    return rows


def parse_value(text: str, like: Any, name: str = "") -> Any:
    """The typed text as the parameter's kind of value (the default's type).

    Numbers are read as everywhere else in the app (decimal commas, grouped thousands). A
    percent sign means per hundred: a ``*_pct`` parameter is kept in percent (60 % is 60),
    any other share or ratio as a fraction (10 % is 0.1 for ``output_rise_rel``).
    """
    text = text.strip()
    if not text:
        raise DomainError("enter a value")
    if isinstance(like, bool):
        if text.lower() in ("yes", "true", "1"):
            return True
        if text.lower() in ("no", "false", "0"):
            return False
        raise DomainError(f"'{text}' is not yes or no")
    if isinstance(like, int | float):
        number = read_number(text)
        if text.endswith("%") and not name.endswith("_pct"):
            number /= 100
        if isinstance(like, int) and number.is_integer():
            return int(number)
        return number
    if isinstance(like, list) and not text.startswith("["):
        return [part.strip() for part in text.split(",") if part.strip()]
    if isinstance(like, list | dict):
        try:
            return json.loads(text)
        except ValueError:
            raise DomainError(f"'{text}' is not a list; separate the items with commas"
                              ) from None
    return text


class ParameterDialog(_ActionDialog):
    """A programme's own value for a rule parameter (or back to the default), with a reason."""

    def __init__(self, row: ParameterRow, *, reset: bool, parent: QWidget | None = None
                 ) -> None:
        title = (f"Default for {row.rule_id} {row.name}" if reset else
                 f"Set {row.rule_id} {row.name} for this programme")
        super().__init__(title, "&Back to default" if reset else "&Set value", parent)
        self.row = row
        self.reset = reset
        self.form.addRow(_intro(
            f"{row.rule_id} {row.rule_title} · {row.label} ({row.name}): default "
            f"{show_number(row.default)} ({TAG_WORDS.get(row.tag, row.tag)})."))
        self.value = QLineEdit(json.dumps(row.value) if isinstance(row.value, dict)
                               else show_number(row.value))
        self.value.setAccessibleName("Value")
        self.value.setVisible(not reset)
        if not reset:
            self.form.addRow("&Value:", self.value)
        self.reason = _reason_edit("Reason", "Why does this programme need another value? "
                                   "(required; it is kept in the audit trail)")
        self.reason.textChanged.connect(self.update_ok)
        self.value.textChanged.connect(self.update_ok)
        self.form.addRow("Rea&son:", self.reason)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.setWordWrap(True)
        self.form.addRow(self.problem)
        self.finish()

    def complete(self) -> bool:
        return bool(self.reason.toPlainText().strip()
                    and (self.reset or self.value.text().strip()))

    def accept(self) -> None:
        if not self.reset:
            try:
                parse_value(self.value.text(), self.row.default, self.row.name)
            except DomainError as exc:
                self.problem.setText(str(exc))
                return
        super().accept()

    def values(self) -> tuple[Any, str]:
        if self.reset:
            return None, self.reason.toPlainText().strip()
        value = parse_value(self.value.text(), self.row.default, self.row.name)
        return value, self.reason.toPlainText().strip()


# ------------------------------------------------------------------------------------------
# The tab


def _combo(name: str, items: Iterable[tuple[str, Any]]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    # five filters share one row of a narrow pane: the closed combo is short, its list is not
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(9)
    for text, data in items:
        combo.addItem(text, data)
    return combo


def _labelled(text: str, widget: QWidget, row: QHBoxLayout) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    row.addWidget(label)
    row.addWidget(widget)
    return label


class RuleParametersPanel(QWidget):
    """Every rule's parameters with value, provenance tag and default; a programme may set its
    own value (a reason is mandatory and audited), one undoable step each."""

    changed = Signal()

    def __init__(self, services: Any, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.undo_stack = undo_stack
        self.code: str | None = None
        self.dialog: QDialog | None = None
        self.model = ParameterTableModel(PARAMETER_COLUMNS, self)
        self.proxy, self.filter_edit = filtered(
            self.model, self, "Filter rules and parameters (CL-2, HHI, CONV …)",
            "Filter rule parameters")
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setAccessibleName("Rule parameters")
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setTabKeyNavigation(False)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.selectionModel().currentRowChanged.connect(self._selection_changed)
        self.view.doubleClicked.connect(lambda *_a: self.set_selected())
        self.set_value_button = QPushButton("Set v&alue…")
        self.set_value_button.setToolTip("Give this programme its own value, with a reason")
        self.set_value_button.clicked.connect(self.set_selected)
        self.default_button = QPushButton("Back to &default…")
        self.default_button.setToolTip("Drop this programme's value, with a reason")
        self.default_button.clicked.connect(self.clear_selected)
        for b in (self.set_value_button, self.default_button):
            b.setAutoDefault(False)
        pp = QVBoxLayout(self)
        pp.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        _labelled("Fi&lter:", self.filter_edit, bar)
        pp.addLayout(bar)
        pp.addWidget(self.view, 1)
        legend = QLabel("Sources: " + " · ".join(TAG_WORDS.values()))
        legend.setWordWrap(True)
        pp.addWidget(legend)
        pbar = QHBoxLayout()
        pbar.addWidget(self.set_value_button)
        pbar.addWidget(self.default_button)
        pbar.addStretch(1)
        pp.addLayout(pbar)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Parameter messages")
        pp.addWidget(self.message)
        self._selection_changed()

    @property
    def rule_settings(self) -> RuleSettingsService:
        return self.services.rule_settings  # type: ignore[no-any-return]

    def set_programme(self, code: str | None) -> None:
        self.code = code
        self.reload()

    def _open_dialog(self, dialog: QDialog, on_accept: Callable[[], None]) -> None:
        self.dialog = dialog
        dialog.accepted.connect(on_accept)
        dialog.open()

    def _say(self, text: str) -> None:
        self.message.setText(text)

    def reload(self) -> None:
        current = self.selected()
        first = not self.model.rows
        self.model.set_rows([] if self.code is None else
                            parameter_rows(self.rule_settings.rules(self.code)))
        if first and self.model.rows:
            # the same rules for every programme: measure the columns once, not per switch
            self.view.resizeColumnsToContents()
            for i, col in enumerate(self.model.columns):
                if col.max_width and self.view.columnWidth(i) > col.max_width:
                    self.view.setColumnWidth(i, col.max_width)
        if current is not None:
            self.select(current.rule_id, current.name)
        self._selection_changed()

    def selected(self) -> ParameterRow | None:
        idx = self.view.currentIndex()
        if not idx.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(idx).row())

    def select(self, rule_id: str, name: str) -> bool:
        for row, r in enumerate(self.model.rows):
            if (r.rule_id, r.name) == (rule_id, name):
                idx = self.proxy.mapFromSource(self.model.index(row, 0))
                if idx.isValid():
                    self.view.setCurrentIndex(idx)
                    self.view.selectRow(idx.row())
                    return True
        return False

    def _selection_changed(self, *_args: Any) -> None:
        r = self.selected()
        self.set_value_button.setEnabled(r is not None)
        self.default_button.setEnabled(r is not None and r.overridden)

    def set_selected(self) -> None:
        self._edit_parameter(reset=False)

    def clear_selected(self) -> None:
        self._edit_parameter(reset=True)

    def _edit_parameter(self, *, reset: bool) -> None:
        r = self.selected()
        if r is None or self.code is None or (reset and not r.overridden):
            return
        dialog = ParameterDialog(r, reset=reset, parent=self)
        risks, code = self.rule_settings, self.code

        def restore(reason: str) -> None:
            if r.overridden:
                risks.set_parameter(code, r.rule_id, r.name, r.value, reason=reason)
            else:
                risks.clear_parameter(code, r.rule_id, r.name, reason=reason)

        def save() -> None:
            value, reason = dialog.values()
            text = (f"{r.rule_id} {r.name} back to default for {code}" if reset else
                    f"set {r.rule_id} {r.name} to {show_number(value)} for {code}")

            def do() -> None:
                if reset:
                    risks.clear_parameter(code, r.rule_id, r.name, reason=reason)
                else:
                    risks.set_parameter(code, r.rule_id, r.name, value, reason=reason)

            try:
                apply_edit(self.undo_stack, text, do,
                           lambda: restore(f"undo: {text}"),
                           after=lambda: self._after_edit(r.rule_id, r.name))
            except Exception as exc:
                report_exception(exc, self)
                return
            self._say(f"Done: {text}. The rules run again in a moment.")

        self._open_dialog(dialog, save)

    def _after_edit(self, rule_id: str, name: str) -> None:
        self.reload()
        self.select(rule_id, name)
        self.changed.emit()


class RisksTab(ProgrammeView):
    """Register, detail pane and actions; checklists and rule parameters as sub-tabs."""

    def __init__(self, services: Any, undo_stack: QUndoStack, checks: RiskChecks,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, undo_stack, parent)
        self.checks = checks
        self.task: BackgroundTask | None = None
        self.dialog: QDialog | None = None
        self._rationale: dict[str, str] = {}

        # --- register page
        self.model = FlagTableModel(self)
        self.proxy = FlagFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Risk register")
        self.table.setAccessibleDescription(
            "One row per flag; the detail below explains the selected flag.")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_SEVERITY, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)  # one line per flag; the tooltip and detail say all
        # column widths from a sample of rows: a programme switch stays quick with many flags
        self.table.horizontalHeader().setResizeContentsPrecision(100)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._show_selected)

        self.quarter_filter = _combo("Quarter filter", [("All quarters", None)])
        self.category_filter = _combo("Category filter", [("All categories", None)] + [
            (CATEGORY_WORDS[c.value], c.value) for c in RiskCategory])
        self.severity_filter = _combo("Severity filter", [("Any severity", None)] + [
            (s.value if s == Severity.CRITICAL else f"{s.value} or worse", s.value)
            for s in reversed(Severity)])
        self.status_filter = _combo("Status filter", [
            ("Any status", None), ("active (open, acknowledged, mitigating)", ACTIVE)] + [
            (STATUS_WORDS[s.value], s.value) for s in FlagStatus])
        self.strand_filter = _combo("Strand filter", [("All strands", None)])
        for combo in (self.quarter_filter, self.category_filter, self.severity_filter,
                      self.status_filter, self.strand_filter):
            combo.currentIndexChanged.connect(self._apply_filters)

        # two rows of filters, so the tab fits the main window's right-hand pane
        filters = QGridLayout()
        for i, (text, combo) in enumerate((
                ("&Quarter:", self.quarter_filter), ("C&ategory:", self.category_filter),
                ("Severit&y:", self.severity_filter), ("Stat&us:", self.status_filter),
                ("Stra&nd:", self.strand_filter))):
            label = QLabel(text)
            label.setBuddy(combo)
            filters.addWidget(label, i // 3, 2 * (i % 3))
            filters.addWidget(combo, i // 3, 2 * (i % 3) + 1)
        filters.setColumnStretch(6, 1)

        self.detail = QTextBrowser()
        self.detail.setAccessibleName("Flag explanation")
        self.detail.setOpenLinks(False)
        self.numbers = NumberTableModel(NUMBER_COLUMNS, self)
        self.numbers_view = QTableView()
        self.numbers_view.setModel(self.numbers)
        self.numbers_view.setAccessibleName("Numbers against thresholds")
        self.numbers_view.verticalHeader().hide()
        self.numbers_view.horizontalHeader().setStretchLastSection(True)
        self.numbers_view.setTabKeyNavigation(False)
        numbers_label = QLabel("Numbers against &thresholds:")
        numbers_label.setBuddy(self.numbers_view)

        self.acknowledge_button = QPushButton("Ackno&wledge")
        self.acknowledge_button.setToolTip("Say the flag has been seen and is being looked at")
        self.acknowledge_button.clicked.connect(self.acknowledge_selected)
        self.mitigate_button = QPushButton("&Mitigate…")
        self.mitigate_button.setToolTip("Record what will be done, by whom and by when")
        self.mitigate_button.clicked.connect(self.mitigate_selected)
        self.close_button = QPushButton("C&lose…")
        self.close_button.setToolTip("Close as resolved or as a false positive, with a reason")
        self.close_button.clicked.connect(self.close_selected)
        self.override_button = QPushButton("Overri&de severity…")
        self.override_button.setToolTip("Set another severity than the rule computed, "
                                        "with a reason")
        self.override_button.clicked.connect(self.override_selected)
        self.action_buttons = (self.acknowledge_button, self.mitigate_button,
                               self.close_button, self.override_button)
        for b in self.action_buttons:
            b.setAutoDefault(False)

        actions = QHBoxLayout()
        for b in self.action_buttons:
            actions.addWidget(b)
        actions.addStretch(1)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(numbers_label)
        rl.addWidget(self.numbers_view, 1)
        detail_row = QSplitter(Qt.Orientation.Horizontal)
        detail_row.addWidget(self.detail)
        detail_row.addWidget(right)
        detail_row.setStretchFactor(0, 1)
        detail_row.setStretchFactor(1, 1)
        detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.addWidget(detail_row, 1)
        dl.addLayout(actions)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        register_page = QWidget()
        rp = QVBoxLayout(register_page)
        rp.setContentsMargins(4, 4, 4, 4)
        rp.addLayout(filters)
        rp.addWidget(self.splitter, 1)

        # --- checklists page
        self.checklists = ChecklistTab(services, undo_stack)
        self.checklists.changed.connect(self._checklist_changed)

        # --- rule parameters page
        self.parameters = RuleParametersPanel(services, undo_stack)
        self.parameters.changed.connect(self._parameters_changed)

        self.pages = QTabWidget()
        self.pages.setAccessibleName("Risk views")
        self.pages.addTab(register_page, "Re&gister")
        self.pages.addTab(self.checklists, "Checklis&ts")
        self.pages.addTab(self.parameters, "Rule parameter&s")

        # --- top bar: run, quiet status, messages
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

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(top)
        lay.addWidget(self.pages, 1)
        self.setTabOrder(self.run_button, self.pages)
        self.setTabOrder(self.quarter_filter, self.category_filter)
        self.setTabOrder(self.category_filter, self.severity_filter)
        self.setTabOrder(self.severity_filter, self.status_filter)
        self.setTabOrder(self.status_filter, self.strand_filter)
        self.setTabOrder(self.strand_filter, self.table)
        self.setTabOrder(self.table, self.detail)
        self.setTabOrder(self.detail, self.numbers_view)
        self.setTabOrder(self.numbers_view, self.acknowledge_button)
        checks.status.connect(self.checking_label.setText)
        checks.failed.connect(lambda text: self._say(text, problem=True))
        checks.checked.connect(self._checked)
        self._show_selected()
        self.setEnabled(False)

    # ------------------------------------------------------------------------------ access

    def set_services(self, services: Any) -> None:
        # another database (File > Open database): the sub-tabs must read it too
        super().set_services(services)
        self.checklists.set_services(services)
        self.parameters.services = services
        self._rationale = {}

    @property
    def flag_register(self) -> FlagRegisterService:
        return self.services.flag_register  # type: ignore[no-any-return]

    def set_programme(self, code: str | None) -> None:
        changed = code != self.code
        self.code = code
        self.setEnabled(code is not None)
        if changed:
            self._rationale = {}
            self.message.clear()
            self.proxy.pinned = None
            for combo in (self.quarter_filter, self.strand_filter):
                # another programme's quarters and strands: start again on its latest quarter
                combo.blockSignals(True)
                while combo.count() > 1:
                    combo.removeItem(combo.count() - 1)
                combo.blockSignals(False)
        self.checklists.set_programme(code)
        try:
            self.parameters.set_programme(code)
        except DomainError as exc:
            self._say(str(exc), problem=True)
        self.refresh()

    def refresh(self, *_args: Any) -> None:
        """Reload the register from the database (after a run, an undo, an import)."""
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
        self._fill_filter(self.quarter_filter, "All quarters",
                          sorted({f.quarter for f in flags}, reverse=True), latest=True)
        self._fill_filter(self.strand_filter, "All strands", sorted(
            {f.strand or PROGRAMME_TOTAL for f in flags}))
        self._filter(self.proxy.pinned if keep is None else keep)
        row = self.model.row_of(keep) if keep is not None else None
        if row is not None:
            current = self.model.rows[row]
        self.table.resizeColumnsToContents()
        for i, col in enumerate(self.model.columns):
            if col.max_width and self.table.columnWidth(i) > col.max_width:
                self.table.setColumnWidth(i, col.max_width)
        if current is not None:
            self.select(current.id)
        if self.selected() is None and self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, 0))
        self._show_selected()

    def _fill_filter(self, combo: QComboBox, all_text: str, values: list[str],
                     latest: bool = False) -> None:
        """New choices, keeping the chosen one; the quarter starts on the latest."""
        chosen = combo.currentData()
        first_fill = combo.count() <= 1 and chosen is None
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(all_text, None)
        for v in values:
            combo.addItem(v, v)
        index = combo.findData(chosen) if chosen is not None else 0
        if latest and first_fill and values:
            index = 1
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def _apply_filters(self, *_args: Any) -> None:
        """The user changed a filter: show exactly what it asks for."""
        self._filter(None)

    def _filter(self, pinned: int | None) -> None:
        self.proxy.set(pinned=pinned, quarter=self.quarter_filter.currentData(),
                       category=self.category_filter.currentData(),
                       min_severity=self.severity_filter.currentData(),
                       status=self.status_filter.currentData(),
                       strand=self.strand_filter.currentData())
        if self.selected() is None and self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, 0))
        self._show_selected()

    def show_category(self, category: str | None) -> None:
        """The register filtered to one category (a RAG badge was activated)."""
        self.pages.setCurrentIndex(0)
        self.category_filter.setCurrentIndex(max(self.category_filter.findData(category), 0))
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
        status = f.status if f is not None else None
        self.acknowledge_button.setEnabled(status == FlagStatus.OPEN.value)
        self.mitigate_button.setEnabled(status in ACTIVE_STATUSES)
        self.close_button.setEnabled(status is not None and status not in CLOSED_STATUSES)
        self.override_button.setEnabled(status in ACTIVE_STATUSES)
        if f is None:
            shown = self.proxy.rowCount()
            self.detail.setHtml(
                "<p>No flag selected.</p>" if shown else
                "<p>No flag matches the filters.</p>" if self.model.rows else
                "<p>No flags yet. Run the rules (Ctrl+Shift+R); they also run by themselves "
                "after imports and edits.</p>")
            self.numbers.set_rows([])
            return
        history = history_html(self.services.database.audit_trail("risk_flag", f.id, limit=40))
        self.detail.setHtml(flag_html(f, self._rationale_of(f.rule_id), history))
        self.numbers.set_rows(number_rows(f))
        self.numbers_view.resizeColumnsToContents()

    def _rationale_of(self, rule_id: str) -> str | None:
        if not self._rationale and self.code is not None:
            self._rationale = {r.id: r.rationale
                               for r in self.services.rule_settings.rules(self.code)}
        return self._rationale.get(rule_id)

    # ----------------------------------------------------------------------------- actions

    def _act(self, f: FlagView, text: str, do: Callable[[], object]) -> None:
        """One undoable flag action; undo writes the flag back as it was."""
        risks, before = self.flag_register, f
        try:
            apply_edit(self.undo_stack, text, do, lambda: risks.restore(before),
                       after=lambda: self._after_action(before.id))
        except Exception as exc:
            report_exception(exc, self)
            return
        self._say(f"Done: {text}. Edit > Undo takes it back.")

    def _after_action(self, flag_id: int) -> None:
        self._reload_register(keep=flag_id)
        self.changed.emit()

    def acknowledge_selected(self) -> None:
        f = self.selected()
        if f is None:
            return
        risks = self.flag_register
        self._act(f, f"acknowledge {f.rule_id} ({f.quarter})",
                  lambda: risks.acknowledge(f.id))

    def _open_dialog(self, dialog: QDialog, on_accept: Callable[[], None]) -> None:
        self.dialog = dialog

        def done(result: int) -> None:
            if result == QDialog.DialogCode.Accepted:
                on_accept()

        dialog.finished.connect(done)
        dialog.open()

    def mitigate_selected(self) -> None:
        f = self.selected()
        if f is None:
            return
        dialog = MitigateDialog(f, self)
        risks = self.flag_register

        def save() -> None:
            mitigation, owner, due = dialog.values()
            self._act(f, f"mitigate {f.rule_id} ({f.quarter}), owner {owner}",
                      lambda: risks.mitigate(f.id, mitigation=mitigation, owner=owner,
                                             due_date=due))

        self._open_dialog(dialog, save)

    def close_selected(self) -> None:
        f = self.selected()
        if f is None:
            return
        dialog = CloseDialog(f, self)
        risks = self.flag_register

        def save() -> None:
            false_positive, reason = dialog.values()
            how = "as a false positive" if false_positive else "as resolved"
            self._act(f, f"close {f.rule_id} ({f.quarter}) {how}",
                      lambda: risks.close(f.id, false_positive=false_positive, reason=reason))

        self._open_dialog(dialog, save)

    def override_selected(self) -> None:
        f = self.selected()
        if f is None:
            return
        dialog = OverrideDialog(f, self)
        risks = self.flag_register

        def save() -> None:
            severity, reason = dialog.values()
            self._act(f, f"set severity of {f.rule_id} ({f.quarter}) to "
                         f"{severity or 'as computed'}",
                      lambda: risks.override_severity(f.id, severity, reason=reason))

        self._open_dialog(dialog, save)

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
            self.refresh()
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
