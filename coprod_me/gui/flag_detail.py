"""The selected flag explained: what it is about and why it was raised, the numbers against
their thresholds (with the provenance of each threshold), the mitigation and what people did
to it; the flag's actions sit underneath."""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QLabel, QSplitter, QTableView, QTextBrowser, QVBoxLayout, QWidget

from coprod_me.gui.flag_words import (
    PROGRAMME_TOTAL,
    STATUS_WORDS,
    TAG_LEGEND,
    TAG_WORDS,
    show_observed,
    show_threshold,
    words,
)
from coprod_me.gui.rag_badges import CATEGORY_WORDS, SEVERITY_COLOURS
from coprod_me.gui.table_models import Column, RowTableModel
from coprod_me.services.database import AuditEntry

if TYPE_CHECKING:
    from coprod_me.services.flag_register import FlagView

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class NumberRow:
    """One line of "the numbers against thresholds"."""

    name: str
    observed: Any
    threshold: Any
    tag: str
    unit: str = ""


NUMBER_COLUMNS: list[Column[NumberRow]] = [
    Column("Number", lambda r: words(r.name)),
    Column("Observed", lambda r: show_observed(r.observed, r.unit) or None, align_right=True),
    Column("Threshold", lambda r: show_threshold(r.threshold, r.unit) or None,
           align_right=True),
    Column("Source", lambda r: r.tag, TAG_LEGEND),
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
                              str(t.get("tag") or ""), str(t.get("unit") or "")))
        shown.add(name)
    for name, value in f.metrics.items():
        # a threshold's own row says it already; a metric's unit is bookkeeping, not a number
        if name not in shown and not name.endswith("_unit"):
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
    parts += _method_parts(f, rationale)
    parts.append(history)
    return "".join(parts)


def _method_parts(f: FlagView, rationale: str | None) -> list[str]:
    """What makes the flag defensible: why this level, the next step, where the thresholds
    come from (each tag the flag shows, in words), the sources in full, the rule's rationale."""
    e = html.escape
    parts = []
    if f.severity_reason:
        # the rules start their reason with the level ("high: ..."); the heading says it
        reason = f.severity_reason.removeprefix(f"{f.computed_severity}: ")
        parts.append(f"<p><b>Why {e(f.computed_severity)}:</b> {e(reason)}</p>")
    if f.next_step:
        parts.append(f"<p><b>Next step:</b> {e(f.next_step)}</p>")
    tags = [str(t.get("tag") or "") for t in f.thresholds]
    if any(name not in {t.get("name") for t in f.thresholds if "observed" in t}
           for name in f.metrics):
        tags.append("measured")
    said = [TAG_WORDS[t] for t in dict.fromkeys(tags) if t in TAG_WORDS]
    if said:
        parts.append("<p><b>Where the numbers come from:</b></p><ul>"
                     + "".join(f"<li>{e(w)}</li>" for w in said) + "</ul>")
    sources = f.sources or f.citations
    if sources:
        parts.append("<p><b>Sources:</b></p><ul>"
                     + "".join(f"<li>{e(c)}</li>" for c in sources) + "</ul>")
    if rationale:
        parts.append(f"<p><b>Rationale:</b> {e(rationale)}</p>")
    parts.append("<p><i>The method of every rule (what it detects, how it is computed, its "
                 "thresholds and sources) is in docs/rules.md.</i></p>")
    return parts


class FlagDetailPane(QWidget):
    """The explanation of the selected flag beside its numbers; ``actions`` (a row of
    buttons) underneath."""

    def __init__(self, actions: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.explanation = QTextBrowser()
        self.explanation.setAccessibleName("Flag explanation")
        self.explanation.setOpenLinks(False)
        self.numbers = NumberTableModel(NUMBER_COLUMNS, self)
        self.numbers_view = QTableView()
        self.numbers_view.setModel(self.numbers)
        self.numbers_view.setAccessibleName("Numbers against thresholds")
        self.numbers_view.verticalHeader().hide()
        self.numbers_view.horizontalHeader().setStretchLastSection(True)
        self.numbers_view.setTabKeyNavigation(False)
        numbers_label = QLabel("Numbers against &thresholds:")
        numbers_label.setBuddy(self.numbers_view)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(numbers_label)
        rl.addWidget(self.numbers_view, 1)
        detail_row = QSplitter(Qt.Orientation.Horizontal)
        detail_row.addWidget(self.explanation)
        detail_row.addWidget(right)
        detail_row.setStretchFactor(0, 1)
        detail_row.setStretchFactor(1, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(detail_row, 1)
        lay.addWidget(actions)

    def show_flag(self, f: FlagView, rationale: str | None, history: str) -> None:
        self.explanation.setHtml(flag_html(f, rationale, history))
        self.numbers.set_rows(number_rows(f))
        self.numbers_view.resizeColumnsToContents()
        # a long label is elided (its tooltip has it whole) so the figures stay in view
        self.numbers_view.setColumnWidth(0, min(self.numbers_view.columnWidth(0), 260))

    def show_no_flag(self, text_html: str) -> None:
        """No flag selected: say why (``text_html``) and show no numbers."""
        self.explanation.setHtml(text_html)
        self.numbers.set_rows([])
