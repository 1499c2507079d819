"""A programme's indicators: gates badge, sortable table with on-track status, and the editors.

Every change goes through ``apply_edit``, so it is one undoable step: undoing a create deletes,
undoing an edit writes the old values back, undoing a link removes it (or restores the
assumption it replaced), undoing a delete recreates the indicator with its targets and links.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QKeyEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from coprod_me.gui.errors import report_exception
from coprod_me.gui.indicator_wizard import (
    CARD_STYLE,
    LEVEL_WORDS,
    QUADRANT_WORDS,
    IndicatorWizard,
    QuestionsBox,
    checked_codes,
    enum_combo,
    note,
    outcome_choices,
    outcome_list,
    select_data,
    words,
)
from coprod_me.gui.programme_view import ProgrammeView
from coprod_me.gui.table_models import SORT_ROLE, Column, RowTableModel, filtered
from coprod_me.gui.undo_commands import apply_edit
from coprod_me.model import entities as M
from coprod_me.model import enums as E
from coprod_me.model.coaching import (
    WIZARD_QUESTIONS,
    Gate,
    coaching_warnings,
    split_list,
    suggest_classification,
)
from coprod_me.model.errors import DomainError
from coprod_me.model.tracking import Track, fmt
from coprod_me.services import Services
from coprod_me.services.fields import coerce, editable_columns
from coprod_me.services.indicator_status import LEVEL_ORDER, IndicatorRow

_Index = QModelIndex | QPersistentModelIndex

TRACK_COLOURS: dict[Track, str] = {
    Track.ON_TRACK: "#d8efd9",
    Track.AT_RISK: "#fff3cd",
    Track.OFF_TRACK: "#f6d7d2",
    Track.NO_DATA: "#e4e4e4",
}
GATES_MET = "QPushButton { background: #d8efd9; color: #1b5e20; font-weight: bold; " \
            "border: 1px solid #8bc48e; border-radius: 4px; padding: 4px 10px; text-align: left; }"
GATES_UNMET = "QPushButton { background: #f6d7d2; color: #8c1d18; font-weight: bold; " \
              "border: 1px solid #d98c83; border-radius: 4px; padding: 4px 10px; " \
              "text-align: left; }"
#: Levels that link up to outcomes (an output should drive an outcome).
LINKS_TO_OUTCOMES = (E.ResultLevel.OUTPUT, E.ResultLevel.ACTIVITY, E.ResultLevel.INPUT)


def _num(v: float | None) -> str | None:
    return None if v is None else fmt(v)


INDICATOR_COLUMNS: list[Column[IndicatorRow]] = [
    Column("Code", lambda r: r.code),
    Column("Indicator", lambda r: r.name, max_width=340),
    Column("Level", lambda r: LEVEL_WORDS.get(r.result_level, r.result_level),
           "Result level: output, outcome, impact … (outcomes are 'is anyone better off?')"),
    Column("RBA quadrant", lambda r: r.rba_quadrant.replace("_", " "),
           "Results-Based Accountability: how much did we do, how well, is anyone better off"),
    Column("Unit", lambda r: r.unit.replace("_", " ")),
    Column("Direction", lambda r: r.direction.replace("_", " ")),
    Column("Baseline", lambda r: r.baseline, align_right=True),
    Column("Latest quarter", lambda r: r.latest_quarter),
    Column("Latest value", lambda r: r.latest_value,
           "The latest quarter's total: the programme total, or the strands' totals combined",
           align_right=True),
    Column("Target", lambda r: r.target, "The target of the latest target quarter",
           align_right=True),
    Column("Status", lambda r: r.status.label,
           "On track, at risk (amber), off track (red) or no data; hover a cell for why",
           colour=lambda r: TRACK_COLOURS[r.status]),
]
COL_LEVEL, COL_LATEST, COL_TARGET, COL_STATUS = 2, 8, 9, 10
_LEVEL_RANK = {lvl.value: i for i, lvl in enumerate(LEVEL_ORDER)}
_TRACK_RANK = {Track.OFF_TRACK: 0, Track.AT_RISK: 1, Track.NO_DATA: 2, Track.ON_TRACK: 3}


class IndicatorTableModel(RowTableModel[IndicatorRow]):
    """Numbers shown as people read them; level and status sort by meaning, not spelling."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(INDICATOR_COLUMNS, parent)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, c = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            v = self.columns[c].value(row)
            if isinstance(v, float):
                return fmt(v)
        elif role == SORT_ROLE:
            if c == COL_LEVEL:
                return float(_LEVEL_RANK.get(row.result_level, 99))
            if c == COL_STATUS:
                return float(_TRACK_RANK[row.status])
        elif role == Qt.ItemDataRole.ToolTipRole:
            if c == COL_STATUS:
                return f"{row.status.label}: {row.status_reason}"
            if c == COL_LATEST and row.latest_basis:
                return f"{row.latest_quarter}, {row.latest_basis}"
            if c == COL_TARGET and row.target_basis:
                return f"{row.target_period}, {row.target_basis}"
        return super().data(index, role)


def gates_html(programme_code: str, gates: list[Gate]) -> str:
    e = html.escape
    met = sum(g.met for g in gates)
    parts = [f"<h3>{e(programme_code)}: outcome gates {met} of {len(gates)} met</h3>",
             "<p>The programme cannot move to active reporting until every gate holds.</p>"
             "<ul>"]
    for g in gates:
        mark, colour = ("✔ met", "#2e7d32") if g.met else ("✘ not met", "#b3261e")
        parts.append(f"<li><b>{e(g.code)} {e(g.title)}</b> "
                     f"<span style='color:{colour}'>{mark}</span><br>{e(g.explanation)}")
        if g.details:
            parts.append("<ul>" + "".join(f"<li>{e(d)}</li>" for d in g.details) + "</ul>")
        parts.append("</li>")
    parts.append("</ul>")
    return "".join(parts)


class GatesBadge(QPushButton):
    """'Outcome gates: 4 of 5 met', coloured; click, Space or Enter opens the list."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.click()
            return
        super().keyPressEvent(event)


class GatesDialog(QDialog):
    def __init__(self, programme_code: str, gates: list[Gate], parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Outcome gates of {programme_code}")
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Outcome gates")
        self.browser.setHtml(gates_html(programme_code, gates))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.browser)
        lay.addWidget(buttons)
        self.resize(640, 520)


# ------------------------------------------------------------------------------------------
# Editor


_TEXT_FIELDS = (
    ("name", "Name"), ("numerator_def", "Numerator"), ("denominator_def", "Denominator"),
    ("baseline_period", "Baseline quarter"), ("baseline_source", "Baseline source"),
    ("data_source", "Data source"),
)
_NUMBER_FIELDS = (
    ("range_min", "Range from"), ("range_max", "Range to"), ("baseline_value", "Baseline value"),
    ("amber_at", "Amber at"), ("red_at", "Red at"),
)
_COMBOS: tuple[tuple[str, str, Any, bool], ...] = (
    # field, label, enum, may be empty
    ("result_level", "Result level", E.ResultLevel, False),
    ("rba_quadrant", "RBA quadrant", E.RbaQuadrant, False),
    ("better_off_type", "Better-off type", E.BetterOffType, True),
    ("unit", "Unit", E.Unit, False),
    ("direction", "Direction", E.Direction, False),
    ("verification_type", "Verification", E.VerificationType, True),
)


def _same(attr: str, old: Any, new: Any) -> bool:
    if attr in ("phases", "disaggregation_required"):
        return split_list(old) == split_list(new)
    return bool(old == new)


class IndicatorEditor(QDialog):
    """The indicator's main fields; saving sends only what changed, through ``save``."""

    def __init__(self, ind: M.Indicator, save: Callable[[dict[str, Any]], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ind = ind
        self.save = save
        self.setWindowTitle(f"Edit indicator {ind.code}")
        self.texts: dict[str, QLineEdit] = {}
        self.combos: dict[str, QComboBox] = {}
        for f, label in _TEXT_FIELDS + _NUMBER_FIELDS:
            edit = QLineEdit()
            edit.setAccessibleName(label)
            v = getattr(ind, f)
            edit.setText("" if v is None else fmt(v) if isinstance(v, float) else str(v))
            self.texts[f] = edit
        self.texts["baseline_period"].setPlaceholderText("e.g. 2024Q1")
        for f, label, enum, may_be_empty in _COMBOS:
            names = LEVEL_WORDS if f == "result_level" else \
                QUADRANT_WORDS if f == "rba_quadrant" else None
            combo = enum_combo(enum, label, none_text="— not set —" if may_be_empty else None,
                               names=names)
            select_data(combo, getattr(ind, f))
            self.combos[f] = combo
        self.definition = QPlainTextEdit(ind.definition or "")
        self.definition.setAccessibleName("Definition")
        self.definition.setPlaceholderText("What counts and what does not (PIRS)")
        self.definition.setFixedHeight(70)
        self.phase_boxes: dict[str, QCheckBox] = {}
        phases_row = QHBoxLayout()
        current = split_list(ind.phases)
        for ph in E.Phase:
            box = QCheckBox(ph.value.replace("_", "-"))
            box.setChecked(ph.value in current)
            self.phase_boxes[ph.value] = box
            phases_row.addWidget(box)
        phases_row.addStretch(1)
        self.disaggregation = QLineEdit(", ".join(split_list(ind.disaggregation_required)))
        self.disaggregation.setAccessibleName("Required disaggregations")
        self.disaggregation.setPlaceholderText(", ".join(E.STANDARD_DIMENSIONS))
        self.disaggregation.setToolTip("Dimension codes, comma-separated: "
                                       + ", ".join(E.STANDARD_DIMENSIONS))
        self.co_defined = QCheckBox("Co-defined with lay actors (users, communities)")
        self.co_defined.setChecked(ind.co_defined_with_lay_actors)

        self.coaching_card = note(style=CARD_STYLE)
        self.coaching_card.setAccessibleName("Coaching")
        self.texts["name"].textChanged.connect(self._coach)
        self.combos["result_level"].currentIndexChanged.connect(self._coach)
        self.combos["rba_quadrant"].currentIndexChanged.connect(self._coach)
        self.combos["direction"].currentIndexChanged.connect(self._coach)

        form = QFormLayout()
        t, c = self.texts, self.combos
        form.addRow("&Name:", t["name"])
        form.addRow(self.coaching_card)
        form.addRow("De&finition:", self.definition)
        form.addRow("Result &level:", c["result_level"])
        form.addRow("RBA &quadrant:", c["rba_quadrant"])
        form.addRow("&Better-off type:", c["better_off_type"])
        form.addRow("&Unit:", c["unit"])
        form.addRow("Numerator:", t["numerator_def"])
        form.addRow("Denominator:", t["denominator_def"])
        form.addRow("&Direction:", c["direction"])
        self.range_row = QWidget()
        rr = QHBoxLayout(self.range_row)
        rr.setContentsMargins(0, 0, 0, 0)
        rr.addWidget(QLabel("from"))
        rr.addWidget(t["range_min"])
        rr.addWidget(QLabel("to"))
        rr.addWidget(t["range_max"])
        form.addRow("Keep in range:", self.range_row)
        form.addRow("Baseline &value:", t["baseline_value"])
        form.addRow("Baseline quarter:", t["baseline_period"])
        form.addRow("Baseline source:", t["baseline_source"])
        thresholds = QHBoxLayout()
        thresholds.addWidget(QLabel("amber at"))
        thresholds.addWidget(t["amber_at"])
        thresholds.addWidget(QLabel("red at"))
        thresholds.addWidget(t["red_at"])
        form.addRow("Thresholds:", thresholds)
        self.threshold_help = note()
        form.addRow(self.threshold_help)
        form.addRow("Phases:", phases_row)
        form.addRow("Disaggre&gations:", self.disaggregation)
        form.addRow("Data &source:", t["data_source"])
        form.addRow("&Verification:", c["verification_type"])
        form.addRow("", self.co_defined)
        self.form = form

        # domain §1.5.1 A: the last three tests run again when an indicator is edited
        recheck = QGroupBox("Check the classification again (questions 3 to 5)")
        rl = QVBoxLayout(recheck)
        self.questions = QuestionsBox(WIZARD_QUESTIONS[2:], first_number=3)
        self.questions.changed.connect(self._recheck)
        self.recheck_label = note()
        self.use_suggestion = QPushButton("Use the &suggestion")
        self.use_suggestion.setEnabled(False)
        self.use_suggestion.clicked.connect(self._apply_suggestion)
        rl.addWidget(self.questions)
        row = QHBoxLayout()
        row.addWidget(self.recheck_label, 1)
        row.addWidget(self.use_suggestion)
        rl.addLayout(row)

        inner = QWidget()
        il = QVBoxLayout(inner)
        il.addLayout(form)
        il.addWidget(recheck)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(scroll)
        lay.addWidget(self.buttons)
        self.resize(720, 720)
        self._coach()

    def _coach(self) -> None:
        warnings = coaching_warnings(self.texts["name"].text().strip(),
                                     self.combos["result_level"].currentData())
        self.coaching_card.setText(warnings[0] if warnings else "")
        self.coaching_card.setVisible(bool(warnings))
        direction = self.combos["direction"].currentData()
        self.form.setRowVisible(self.range_row, direction == E.Direction.MAINTAIN_RANGE)
        self.threshold_help.setText(
            "Values of the indicator: above amber is amber, above red is red."
            if direction == E.Direction.DECREASE else
            "Values of the indicator: below amber is amber, below red is red."
            if direction == E.Direction.INCREASE else
            "A value outside the range is off track; thresholds are not used.")
        better_off = self.combos["rba_quadrant"].currentData() == E.RbaQuadrant.BETTER_OFF
        self.combos["better_off_type"].setEnabled(better_off)

    def _recheck(self) -> None:
        s = suggest_classification(self.questions.answers())
        self.suggestion = s
        if s is None:
            self.recheck_label.setText("")
        else:
            self.recheck_label.setText(f"Suggests {words(s.result_level)} · "
                                       f"{words(s.rba_quadrant)}. {s.reason}")
        self.use_suggestion.setEnabled(s is not None)

    def _apply_suggestion(self) -> None:
        s = suggest_classification(self.questions.answers())
        if s is not None:
            select_data(self.combos["result_level"], s.result_level.value)
            select_data(self.combos["rba_quadrant"], s.rba_quadrant.value)

    def values(self) -> dict[str, Any]:
        """Every editor field as stored; DomainError says which input is wrong."""
        raw: dict[str, Any] = {f: e.text() for f, e in self.texts.items()}
        raw |= {f: c.currentData() for f, c in self.combos.items()}
        raw["definition"] = self.definition.toPlainText()
        raw["phases"] = ",".join(p for p, b in self.phase_boxes.items() if b.isChecked())
        raw["disaggregation_required"] = self.disaggregation.text()
        raw["co_defined_with_lay_actors"] = self.co_defined.isChecked()
        if raw["rba_quadrant"] != E.RbaQuadrant.BETTER_OFF:
            raw["better_off_type"] = None
        out, problems = {}, []
        for f, v in raw.items():
            try:
                out[f] = coerce("indicator", f, v)
            except DomainError as exc:
                problems.append(str(exc))
        if problems:
            raise DomainError("; ".join(problems))
        return out

    def changes(self) -> dict[str, Any]:
        return {f: v for f, v in self.values().items() if not _same(f, getattr(self.ind, f), v)}

    def accept(self) -> None:
        try:
            changes = self.changes()
            if changes:
                self.save(changes)
        except Exception as exc:
            report_exception(exc, self)
            return
        super().accept()


# ------------------------------------------------------------------------------------------
# Linking an output to outcomes


class LinkDialog(QDialog):
    """Pick the outcome(s) an output should drive and write the assumption (required)."""

    def __init__(self, output: IndicatorRow, choices: list[tuple[str, str]],
                 existing: dict[str, M.ResultLink], save: Callable[[list[str], str, str], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.save = save
        self.setWindowTitle(f"Link {output.code} to outcomes")
        intro = note(f"<b>{html.escape(output.code)}</b> {html.escape(output.name)}<br>"
                     "Which outcome should this output drive, and why would it? The "
                     "assumption is what the 'busy but not better' check tests.", style="")
        intro.setTextFormat(Qt.TextFormat.RichText)
        self.outcomes: QListWidget = outcome_list(choices, list(existing))
        self.assumption = QLineEdit()
        self.assumption.setAccessibleName("Assumption")
        self.assumption.setPlaceholderText("e.g. toilets enable use if households want them")
        first = next(iter(existing.values()), None)
        if first is not None:
            self.assumption.setText(first.assumption_text)
        self.strength = enum_combo(E.ResultLinkStrength, "Link strength")
        if first is not None:
            select_data(self.strength, first.strength)
        self.none_note = note("This programme has no outcome indicators yet; create one first.",
                              CARD_STYLE)
        self.none_note.setVisible(not choices)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Link")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow("&Outcomes:", self.outcomes)
        form.addRow("&Assumption:", self.assumption)
        form.addRow("&Evidence:", self.strength)
        form.addRow(self.none_note)
        form.addRow(self.buttons)
        self.outcomes.itemChanged.connect(self._update)
        self.assumption.textChanged.connect(self._update)
        self._update()
        self.resize(620, 420)

    def _update(self, *_a: Any) -> None:
        self.ok_button.setEnabled(bool(checked_codes(self.outcomes)
                                       and self.assumption.text().strip()))

    def accept(self) -> None:
        try:
            self.save(checked_codes(self.outcomes), self.assumption.text().strip(),
                      self.strength.currentData())
        except Exception as exc:
            report_exception(exc, self)
            return
        super().accept()


# ------------------------------------------------------------------------------------------
# The tab


class IndicatorTab(ProgrammeView):
    def __init__(self, services: Services, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, undo_stack, parent)
        self.wizard: IndicatorWizard | None = None
        self.editor: IndicatorEditor | None = None
        self.link_dialog: LinkDialog | None = None
        self.gates_dialog: GatesDialog | None = None
        self.gates: list[Gate] = []

        self.gates_badge = GatesBadge("Outcome gates")
        self.gates_badge.setAccessibleName("Outcome gates")
        self.gates_badge.setAutoDefault(False)
        self.gates_badge.clicked.connect(self.show_gates)

        self.model = IndicatorTableModel(self)
        self.proxy, self.filter_edit = filtered(
            self.model, self, "Filter indicators (code, name, level, status …)",
            "Filter indicators")

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Indicators")
        header = self.table.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # outcomes first, as stored
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda *_a: self.edit_selected())

        self.new_button = QPushButton("&New indicator…")
        self.new_button.setToolTip("Create an indicator with the outcome-coaching wizard")
        self.new_button.clicked.connect(self.new_indicator)
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.clicked.connect(self.edit_selected)
        self.link_button = QPushButton("&Link to outcome…")
        self.link_button.setToolTip("Say which outcome an output should drive, and why")
        self.link_button.clicked.connect(self.link_selected)
        self.delete_button = QPushButton("&Delete")
        self.delete_button.clicked.connect(self.delete_selected)

        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setAccessibleName("Selected indicator")
        self.message = note(style=CARD_STYLE)
        self.message.setAccessibleName("Coaching")
        self.message.hide()

        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.gates_badge)
        top.addStretch(1)
        lay.addLayout(top)
        bar = QHBoxLayout()
        label = QLabel("F&ilter:")
        label.setBuddy(self.filter_edit)
        bar.addWidget(label)
        bar.addWidget(self.filter_edit)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.link_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay.addLayout(buttons)
        lay.addWidget(self.detail)
        lay.addWidget(self.message)
        self.setEnabled(False)
        self._selection_changed()

    # ------------------------------------------------------------------------------ loading

    def set_programme(self, code: str | None) -> None:
        if code != self.code:
            self.message.hide()
        self.code = code
        self.setEnabled(code is not None)
        self.reload()

    def reload(self) -> None:
        if self.code is None:
            self.model.set_rows([])
            self._selection_changed()
            return
        current = self.selected()
        self.model.set_rows(self.services.indicators.status_table(self.code))
        self.table.resizeColumnsToContents()
        for i, col in enumerate(self.model.columns):
            if col.max_width and self.table.columnWidth(i) > col.max_width:
                self.table.setColumnWidth(i, col.max_width)
        self.gates = self.services.programmes.gates(self.code)
        met = sum(g.met for g in self.gates)
        self.gates_badge.setText(f"Outcome gates: {met} of {len(self.gates)} met")
        self.gates_badge.setStyleSheet(GATES_MET if met == len(self.gates) else GATES_UNMET)
        unmet = [f"{g.code} {g.title}" for g in self.gates if not g.met]
        self.gates_badge.setToolTip(
            ("Not met: " + "; ".join(unmet) if unmet else "Every outcome gate is met")
            + ". Click or press Enter for the details.")
        if current is not None:
            self.select(current.code)
        self._selection_changed()

    def selected(self) -> IndicatorRow | None:
        idx = self.table.currentIndex()
        if not idx.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(idx).row())

    def select(self, indicator_code: str) -> None:
        for row, r in enumerate(self.model.rows):
            if r.code == indicator_code:
                idx = self.proxy.mapFromSource(self.model.index(row, 0))
                if idx.isValid():
                    self.table.setCurrentIndex(idx)
                    self.table.selectRow(idx.row())
                return

    def _selection_changed(self, *_args: Any) -> None:
        r = self.selected()
        self.new_button.setEnabled(self.code is not None)
        self.edit_button.setEnabled(r is not None)
        self.delete_button.setEnabled(r is not None)
        links_up = r is not None and r.result_level in LINKS_TO_OUTCOMES
        self.link_button.setEnabled(links_up)
        if r is None:
            self.detail.setText("")
            return
        e = html.escape
        parts = [f"<b>{e(r.code)}</b> {e(r.name)}<br>"
                 f"<span style='background:{TRACK_COLOURS[r.status]}'>&nbsp;"
                 f"{e(r.status.label)}&nbsp;</span> {e(r.status_reason)}"]
        if r.latest_basis:
            parts.append(f"<br>Latest value: {e(r.latest_quarter or '')}, {e(r.latest_basis)}")
        if r.target_basis:
            parts.append(f"; target: {e(r.target_period or '')}, {e(r.target_basis)}")
        if r.linked_to:
            parts.append("<br>Should drive: " + e(", ".join(r.linked_to)))
        elif links_up:
            parts.append("<br><span style='color:#b3261e'>Not linked to an outcome yet: "
                         "use Link to outcome…</span>")
        for w in coaching_warnings(r.name, r.result_level):
            parts.append(f"<br><span style='color:#8a5a00'>{e(w)}</span>")
        self.detail.setText("".join(parts))

    def _after_edit(self) -> None:
        self.reload()
        self.changed.emit()

    def _show_warnings(self, warnings: tuple[str, ...] | list[str]) -> None:
        self.message.setText("\n".join(warnings))
        self.message.setVisible(bool(warnings))

    # ------------------------------------------------------------------------------ gates

    def show_gates(self) -> None:
        if self.code is None:
            return
        self.gates_dialog = GatesDialog(self.code, self.gates, self)
        self.gates_dialog.open()

    # ---------------------------------------------------------------------------- create

    def new_indicator(self) -> None:
        if self.code is None:
            return
        code = self.code
        self.wizard = IndicatorWizard(self.services, self.undo_stack, code, self,
                                      after=self._after_edit)
        wizard = self.wizard

        def done(result: int) -> None:
            if result == QDialog.DialogCode.Accepted and wizard.created:
                self.select(wizard.created)
                self._show_warnings(wizard.warnings)

        wizard.finished.connect(done)
        wizard.open()

    # ------------------------------------------------------------------------------ edit

    def edit_selected(self) -> None:
        r = self.selected()
        if r is None or self.code is None:
            return
        try:
            ind = self.services.indicators.get(self.code, r.code)
        except Exception as exc:
            report_exception(exc, self)
            return
        self.editor = IndicatorEditor(ind, lambda changes: self._update(ind, changes), self)
        self.editor.open()

    def _update(self, ind: M.Indicator, changes: dict[str, Any]) -> None:
        assert self.code is not None
        p, code = self.code, ind.code
        indicators = self.services.indicators
        old = {f: getattr(ind, f) for f in changes}
        text = f"edit {code}: " + ", ".join(sorted(changes))
        saved: list[tuple[str, ...]] = []
        apply_edit(self.undo_stack, text,
                   lambda: saved.append(indicators.update(p, code, changes, reason=text).warnings),
                   lambda: indicators.update(p, code, old, reason=f"undo: {text}"),
                   after=self._after_edit)
        self._show_warnings(saved[0] if saved else ())

    # ------------------------------------------------------------------------------ link

    def link_selected(self) -> None:
        r = self.selected()
        if r is None or self.code is None:
            return
        choices = outcome_choices(self.services, self.code)
        existing = {to: link for frm, to, link in self.services.indicators.links(self.code)
                    if frm == r.code}
        self.link_dialog = LinkDialog(
            r, choices, existing,
            lambda targets, assumption, strength: self._link(r.code, targets, assumption,
                                                             strength, existing), self)
        self.link_dialog.open()

    def _link(self, from_code: str, targets: list[str], assumption: str, strength: str,
              existing: dict[str, M.ResultLink]) -> None:
        assert self.code is not None
        p = self.code
        indicators = self.services.indicators
        before = {to: (lk.assumption_text, lk.strength) for to, lk in existing.items()}
        text = f"link {from_code} to {', '.join(targets)}"

        def do() -> None:
            done: list[str] = []
            try:
                for to in targets:
                    indicators.link(p, from_code, to, assumption, strength=strength, reason=text)
                    done.append(to)
            except Exception:
                restore(done)  # all or nothing
                raise

        def restore(targets_done: list[str]) -> None:
            for to in targets_done:
                if to in before:
                    old_text, old_strength = before[to]
                    indicators.link(p, from_code, to, old_text, strength=old_strength,
                                    reason=f"undo: {text}")
                else:
                    indicators.unlink(p, from_code, to, reason=f"undo: {text}")

        apply_edit(self.undo_stack, text, do, lambda: restore(targets), after=self._after_edit)

    # ---------------------------------------------------------------------------- delete

    def delete_selected(self) -> None:
        r = self.selected()
        if r is None or self.code is None:
            return
        answer = QMessageBox.question(
            self, f"Delete {r.code}",
            f"Delete indicator {r.code} ({r.name}) with its targets and result links?\n"
            "Indicators with observations cannot be deleted. Edit > Undo brings it back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            restore = self._snapshot(r.code)
            p, code = self.code, r.code
            text = f"delete indicator {code}"
            apply_edit(self.undo_stack, text,
                       lambda: self.services.indicators.delete(p, code, reason=text),
                       restore, after=self._after_edit)
        except Exception as exc:
            report_exception(exc, self)

    def _snapshot(self, code: str) -> Callable[[], None]:
        """A function that recreates the indicator with its targets and links."""
        assert self.code is not None
        p = self.code
        services = self.services
        ind = services.indicators.get(p, code)
        strands = {s.id: s.code for s in services.programmes.strands(p)}
        fields = {f: getattr(ind, f) for f in editable_columns("indicator")
                  if f not in ("code", "name")}
        strand = strands.get(ind.strand_id) if ind.strand_id else None
        targets = [(t.period, t.value, t.rationale, strands.get(t.strand_id)
                    if t.strand_id else None) for t in services.indicators.targets(p, code)]
        links = [(frm, to, lk.assumption_text, lk.strength)
                 for frm, to, lk in services.indicators.links(p) if code in (frm, to)]
        name = ind.name
        reason = f"undo: delete indicator {code}"

        def restore() -> None:
            indicators = services.indicators
            indicators.create(p, code, name, strand=strand, reason=reason, **fields)
            for period, value, rationale, t_strand in targets:
                indicators.set_target(p, code, period, value, strand=t_strand,
                                      rationale=rationale, reason=reason)
            for frm, to, assumption, strength in links:
                indicators.link(p, frm, to, assumption, strength=strength, reason=reason)

        return restore
