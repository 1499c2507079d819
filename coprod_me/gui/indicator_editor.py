"""The Indicators tab's dialogs: editing an indicator (with its targets), linking an output to
the outcomes it should drive, and the programme's outcome gates.

Each dialog hands what the user chose to the ``save`` it is given (the tab makes it one
undoable step); a refused change is said and the dialog stays open.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from coprod_me.gui.errors import report_exception
from coprod_me.gui.indicator_wizard import (
    CARD_STYLE,
    LEVEL_WORDS,
    QUADRANT_WORDS,
    QuestionsBox,
    checked_codes,
    enum_combo,
    note,
    outcome_list,
    select_data,
    words,
)
from coprod_me.gui.target_edits import TargetEdits, TargetsBox
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
from coprod_me.model.tracking import fmt
from coprod_me.services.fields import coerce
from coprod_me.services.indicator_status import IndicatorRow

# ------------------------------------------------------------------------------------------
# Outcome gates


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
                 parent: QWidget | None = None, targets: TargetEdits | None = None) -> None:
        super().__init__(parent)
        self.ind = ind
        self.save = save
        self.setWindowTitle(f"Edit indicator {ind.code}")
        phases_row = self._build_inputs(ind)
        self.form = self._build_form(phases_row)
        recheck = self._build_recheck()
        inner = QWidget()
        il = QVBoxLayout(inner)
        il.addLayout(self.form)
        # beside the baseline and thresholds, as a reference sheet has them; targets are saved
        # one by one, each undoable, while the fields wait for Save
        self.targets = TargetsBox(targets, ind.unit) if targets is not None else None
        if self.targets is not None:
            self.form.insertRow(self.targets_row, self.targets)
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
        self.resize(760, 820)
        self._coach()

    def _build_inputs(self, ind: M.Indicator) -> QHBoxLayout:
        """An input for every field, filled with the indicator's values; returns the row of
        phase boxes."""
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
        return phases_row

    def _build_form(self, phases_row: QHBoxLayout) -> QFormLayout:
        """The inputs in the order of an indicator reference sheet (PIRS)."""
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
        self.targets_row = form.rowCount()  # where the targets go, when the editor has them
        form.addRow("Phases:", phases_row)
        form.addRow("Disaggre&gations:", self.disaggregation)
        form.addRow("Data &source:", t["data_source"])
        form.addRow("Verificat&ion:", c["verification_type"])
        form.addRow("", self.co_defined)
        return form

    def _build_recheck(self) -> QGroupBox:
        """Domain §1.5.1 A: the last three tests run again when an indicator is edited."""
        recheck = QGroupBox("Check the classification again (questions 3 to 5)")
        rl = QVBoxLayout(recheck)
        self.questions = QuestionsBox(WIZARD_QUESTIONS[2:], first_number=3)
        self.questions.changed.connect(self._recheck)
        self.recheck_label = note()
        self.use_suggestion = QPushButton("Use the suggesti&on")
        self.use_suggestion.setEnabled(False)
        self.use_suggestion.clicked.connect(self._apply_suggestion)
        rl.addWidget(self.questions)
        row = QHBoxLayout()
        row.addWidget(self.recheck_label, 1)
        row.addWidget(self.use_suggestion)
        rl.addLayout(row)
        return recheck

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
        except DomainError as exc:
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
        except DomainError as exc:
            report_exception(exc, self)
            return
        super().accept()
