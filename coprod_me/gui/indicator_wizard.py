"""The outcome-coaching wizard that creates an indicator (domain §1.5.1 A, B, D).

Five questions suggest the result level and the RBA quadrant; the user may change the
suggestion, but marking an output-sounding name as an outcome shows the sanitation example
and needs an explicit tick, and an indicator that could hit its target while nobody is better
off cannot be an outcome. An outcome needs what gate G4 checks (a baseline, the numerator and
denominator of a ratio, a required disaggregation), so it meets the gate when created. Targets
are set per quarter (``wizard_targets``). Outputs are linked to the outcome(s) they should
drive, with the assumption in words. Finishing creates the indicator, its targets and links in
one undoable step.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from coprod_me.gui.errors import report_exception
from coprod_me.gui.undo_commands import apply_edit
from coprod_me.gui.wizard_targets import TargetsPage
from coprod_me.model import enums as E
from coprod_me.model.coaching import (
    PARTICIPATION_NOTE,
    SANITATION_EXAMPLE,
    WIZARD_QUESTIONS,
    WizardAnswers,
    coaching_warnings,
    output_cues,
    suggest_classification,
)
from coprod_me.model.errors import DomainError, NotFound
from coprod_me.model.validation import check_code
from coprod_me.services import Services
from coprod_me.services.fields import coerce

# ------------------------------------------------------------------------------------------
# Words and shared widgets (also used by the indicator tab's editor)

LEVEL_WORDS: dict[str, str] = {
    "input": "input",
    "activity": "activity",
    "output": "output",
    "outcome_short": "outcome (short-term)",
    "outcome_intermediate": "outcome (intermediate)",
    "impact": "impact",
    "context": "context (not attributable)",
}
QUADRANT_WORDS: dict[str, str] = {
    "how_much": "how much did we do?",
    "how_well": "how well did we do it?",
    "better_off": "is anyone better off?",
}
ANSWERS = (("yes", "Yes"), ("no", "No"), ("unsure", "Not sure"))

CARD_STYLE = ("QLabel { background: #fff3cd; border: 1px solid #e0b252; border-radius: 4px; "
              "padding: 6px; }")
ERROR_STYLE = "color: #b3261e;"
NOTE_STYLE = "color: palette(dark);"


def words(value: str | None) -> str:
    if not value:
        return ""
    return LEVEL_WORDS.get(value) or QUADRANT_WORDS.get(value) or value.replace("_", " ")


def enum_combo(enum: type[StrEnum], label: str, *, none_text: str | None = None,
               names: dict[str, str] | None = None) -> QComboBox:
    """A combo of an enum's values shown as words; the item data is the stored value."""
    combo = QComboBox()
    combo.setAccessibleName(label)
    if none_text is not None:
        combo.addItem(none_text, None)
    for member in enum:
        combo.addItem((names or {}).get(member.value, member.value.replace("_", " ")),
                      member.value)
    return combo


def select_data(combo: QComboBox, value: Any) -> None:
    combo.setCurrentIndex(max(combo.findData(value), 0))


def note(text: str = "", style: str = NOTE_STYLE) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class QuestionsBox(QWidget):
    """Coaching questions, each answered Yes / No / Not sure with radio buttons."""

    changed = Signal()

    def __init__(self, questions: Sequence[tuple[str, str]], parent: QWidget | None = None,
                 first_number: int = 1) -> None:
        super().__init__(parent)
        self.first_number = first_number
        grid = QGridLayout(self)
        grid.setColumnStretch(0, 1)
        self.groups: dict[str, QButtonGroup] = {}
        self.buttons: dict[str, dict[str, QRadioButton]] = {}
        for row, (key, text) in enumerate(questions):
            q = QLabel(f"<b>{row + first_number}.</b> {html.escape(text)}")
            q.setWordWrap(True)
            grid.addWidget(q, row, 0)
            group = QButtonGroup(self)
            self.buttons[key] = {}
            for col, (answer, caption) in enumerate(ANSWERS, start=1):
                rb = QRadioButton(caption)
                rb.setAccessibleName(f"Question {row + first_number}: {caption}")
                group.addButton(rb)
                grid.addWidget(rb, row, col)
                self.buttons[key][answer] = rb
            group.buttonToggled.connect(lambda *_a: self.changed.emit())
            self.groups[key] = group

    def answer(self, key: str) -> bool | None:
        """True for Yes, False for No, None for Not sure or not answered."""
        b = self.buttons[key]
        return True if b["yes"].isChecked() else False if b["no"].isChecked() else None

    def all_answered(self) -> bool:
        return all(g.checkedButton() is not None for g in self.groups.values())

    def answers(self) -> WizardAnswers:
        return WizardAnswers(**{k: self.answer(k) for k in self.groups})

    def summary(self) -> str:
        """'Q1 no, Q2 yes, ...' for the audit log's reason."""
        parts = []
        for i, key in enumerate(self.groups, start=self.first_number):
            a = self.answer(key)
            parts.append(f"Q{i} {'yes' if a else 'no' if a is False else 'not sure'}")
        return ", ".join(parts)


def outcome_choices(services: Services, programme_code: str) -> list[tuple[str, str]]:
    """(code, name) of the programme's outcome indicators, the targets of an output's link."""
    return [(i.code, i.name) for i in services.indicators.of_programme(programme_code)
            if E.ResultLevel(i.result_level).is_outcome]


def outcome_list(choices: Sequence[tuple[str, str]], checked: Sequence[str] = ()
                 ) -> QListWidget:
    lw = QListWidget()
    lw.setAccessibleName("Outcomes this output should drive")
    for code, name in choices:
        item = QListWidgetItem(f"{code} — {name}")
        item.setData(Qt.ItemDataRole.UserRole, code)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if code in checked else
                           Qt.CheckState.Unchecked)
        lw.addItem(item)
    return lw


def checked_codes(lw: QListWidget) -> list[str]:
    return [lw.item(i).data(Qt.ItemDataRole.UserRole) for i in range(lw.count())
            if lw.item(i).checkState() == Qt.CheckState.Checked]


# ------------------------------------------------------------------------------------------
# Pages

PAGE_NAME, PAGE_QUESTIONS, PAGE_CLASSIFY, PAGE_MEASURE, PAGE_TARGETS, PAGE_LINKS = range(6)


class _Page(QWizardPage):
    def __init__(self, wizard: IndicatorWizard, title: str, subtitle: str) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(title)
        self.setSubTitle(subtitle)


class NamePage(_Page):
    def __init__(self, wizard: IndicatorWizard) -> None:
        super().__init__(wizard, "Name the indicator",
                         "Say what is measured. An outcome names a change in people or "
                         "places (\"% of households where everyone uses a toilet\"), not the "
                         "work done (\"toilets built\").")
        w = wizard
        w.code_edit = QLineEdit()
        w.code_edit.setAccessibleName("Indicator code")
        w.code_edit.setPlaceholderText("e.g. RS-O7")
        w.name_edit = QLineEdit()
        w.name_edit.setAccessibleName("Indicator name")
        w.name_edit.setPlaceholderText("e.g. Households where all members use a toilet")
        w.name_warning = note(style="")
        w.name_warning.setAccessibleName("Name coaching")
        self.error = note(style=ERROR_STYLE)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow("&Code:", w.code_edit)
        form.addRow("&Name:", w.name_edit)
        lay.addLayout(form)
        lay.addWidget(w.name_warning)
        lay.addWidget(self.error)
        lay.addStretch(1)
        w.code_edit.textChanged.connect(self.completeChanged)
        w.name_edit.textChanged.connect(self._name_changed)
        self._name_changed()

    def _name_changed(self) -> None:
        cues = output_cues(self.w.name_edit.text())
        if cues:
            quoted = ", ".join(f"'{c}'" for c in cues)
            self.w.name_warning.setText(
                f"This reads like an output ({quoted}): it counts work done. That is right "
                "for an output; if you mean an outcome, name the change in people instead. "
                + SANITATION_EXAMPLE)
            self.w.name_warning.setStyleSheet(CARD_STYLE)
        else:
            self.w.name_warning.setText("")
            self.w.name_warning.setStyleSheet("")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.w.code_edit.text().strip() and self.w.name_edit.text().strip())

    def validatePage(self) -> bool:
        try:
            code = check_code(self.w.code_edit.text(), "indicator")
        except DomainError as exc:
            self.error.setText(str(exc))
            return False
        try:
            self.w.services.indicators.get(self.w.programme_code, code)
        except NotFound:
            self.error.setText("")
            return True
        self.error.setText(f"{self.w.programme_code} already has an indicator '{code}'; "
                           "choose another code")
        return False


class QuestionsPage(_Page):
    def __init__(self, wizard: IndicatorWizard) -> None:
        super().__init__(wizard, "Five questions",
                         "Answer each; the answers suggest the result level and the "
                         "Results-Based Accountability quadrant.")
        lay = QVBoxLayout(self)
        wizard.questions = QuestionsBox(WIZARD_QUESTIONS)
        wizard.questions.changed.connect(self.completeChanged)
        lay.addWidget(wizard.questions)
        wizard.participation_note = note(PARTICIPATION_NOTE, CARD_STYLE)
        wizard.participation_note.setAccessibleName("Participation is not the outcome")
        lay.addWidget(wizard.participation_note)
        lay.addStretch(1)

    def isComplete(self) -> bool:
        return self.w.questions.all_answered()


class ClassifyPage(_Page):
    def __init__(self, wizard: IndicatorWizard) -> None:
        super().__init__(wizard, "Result level and quadrant",
                         "The suggestion follows your answers; change it if it does not fit.")
        w = wizard
        w.suggestion_label = note(style="")
        w.suggestion_label.setTextFormat(Qt.TextFormat.RichText)
        w.suggestion_label.setAccessibleName("Suggestion")
        w.level_combo = enum_combo(E.ResultLevel, "Result level", none_text="— choose —",
                                   names=LEVEL_WORDS)
        w.quadrant_combo = enum_combo(E.RbaQuadrant, "RBA quadrant", none_text="— choose —",
                                      names=QUADRANT_WORDS)
        w.better_off_combo = enum_combo(E.BetterOffType, "Better-off type",
                                        none_text="— choose —")
        self.better_off_label = QLabel("&What changes for people:")
        self.better_off_label.setBuddy(w.better_off_combo)
        w.coaching_card = note(style=CARD_STYLE)
        w.coaching_card.setAccessibleName("Coaching")
        w.confirm_box = QCheckBox("I have checked: this measures a change in people or "
                                  "places, not the work done")
        w.blocker = note(style=ERROR_STYLE)
        form = QFormLayout(self)
        form.addRow(w.suggestion_label)
        form.addRow("Result &level:", w.level_combo)
        form.addRow("RBA &quadrant:", w.quadrant_combo)
        form.addRow(self.better_off_label, w.better_off_combo)
        form.addRow(w.coaching_card)
        form.addRow(w.confirm_box)
        form.addRow(w.blocker)
        for combo in (w.level_combo, w.quadrant_combo, w.better_off_combo):
            combo.currentIndexChanged.connect(self._changed)
        w.confirm_box.toggled.connect(self.completeChanged)

    def initializePage(self) -> None:
        w = self.w
        s = suggest_classification(w.questions.answers())
        w.suggestion = s
        if s is None:
            w.suggestion_label.setText(
                "<b>No suggestion:</b> your answers do not point to a level (too many 'Not "
                "sure'). Choose one below, or go back and answer the questions again.")
            select_data(w.level_combo, None)
            select_data(w.quadrant_combo, None)
        else:
            w.suggestion_label.setText(
                f"<b>Suggested: {html.escape(words(s.result_level))} · "
                f"{html.escape(words(s.rba_quadrant))}</b><br>{html.escape(s.reason)}")
            select_data(w.level_combo, s.result_level.value)
            select_data(w.quadrant_combo, s.rba_quadrant.value)
        w.confirm_box.setChecked(False)
        self._changed()

    def _changed(self) -> None:
        w = self.w
        better_off = w.needs_better_off_type()
        self.better_off_label.setVisible(better_off)
        w.better_off_combo.setVisible(better_off)
        warnings = w.coaching()
        w.coaching_card.setText(warnings[0] if warnings else "")
        w.coaching_card.setVisible(bool(warnings))
        w.confirm_box.setVisible(bool(warnings))
        refusal = w.outcome_refusal()
        w.blocker.setText(refusal)
        w.blocker.setVisible(bool(refusal))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        w = self.w
        if w.level_combo.currentData() is None or w.quadrant_combo.currentData() is None:
            return False
        if w.needs_better_off_type() and w.better_off_combo.currentData() is None:
            return False
        if w.coaching() and not w.confirm_box.isChecked():
            return False
        return not w.outcome_refusal()


class MeasurePage(_Page):
    def __init__(self, wizard: IndicatorWizard) -> None:
        super().__init__(wizard, "Unit, direction and baseline",
                         "Without a baseline there is no curve to turn.")
        w = wizard
        w.unit_combo = enum_combo(E.Unit, "Unit")
        w.direction_combo = enum_combo(E.Direction, "Direction")
        w.range_min_edit = QLineEdit()
        w.range_min_edit.setAccessibleName("Range minimum")
        w.range_max_edit = QLineEdit()
        w.range_max_edit.setAccessibleName("Range maximum")
        self.range_row = QWidget()
        rr = QHBoxLayout(self.range_row)
        rr.setContentsMargins(0, 0, 0, 0)
        rr.addWidget(QLabel("from"))
        rr.addWidget(w.range_min_edit)
        rr.addWidget(QLabel("to"))
        rr.addWidget(w.range_max_edit)
        w.numerator_edit = QLineEdit()
        w.numerator_edit.setAccessibleName("Numerator definition")
        w.numerator_edit.setPlaceholderText("what is counted, e.g. households where all "
                                            "members use a toilet")
        w.denominator_edit = QLineEdit()
        w.denominator_edit.setAccessibleName("Denominator definition")
        w.denominator_edit.setPlaceholderText("over what, e.g. households surveyed")
        w.baseline_edit = QLineEdit()
        w.baseline_edit.setAccessibleName("Baseline value")
        w.baseline_period_edit = QLineEdit()
        w.baseline_period_edit.setAccessibleName("Baseline quarter")
        w.baseline_period_edit.setPlaceholderText("e.g. 2024Q1")
        w.baseline_source_edit = QLineEdit()
        w.baseline_source_edit.setAccessibleName("Baseline source")
        self.error = note(style=ERROR_STYLE)
        self.gate_note = note("An outcome needs a baseline (and a ratio its numerator and "
                              "denominator): gate G4 checks them.", CARD_STYLE)
        self.shown_once = False
        self.form = form = QFormLayout(self)
        form.addRow("&Unit:", w.unit_combo)
        form.addRow("&Direction:", w.direction_combo)
        form.addRow("Keep in &range:", self.range_row)
        form.addRow("&Numerator:", w.numerator_edit)
        form.addRow("D&enominator:", w.denominator_edit)
        form.addRow("&Baseline value:", w.baseline_edit)
        form.addRow("Baseline &quarter:", w.baseline_period_edit)
        form.addRow("Baseline &source:", w.baseline_source_edit)
        form.addRow(self.gate_note)
        form.addRow("", self.error)
        for edit in (w.baseline_edit, w.numerator_edit, w.denominator_edit):
            edit.textChanged.connect(self.completeChanged)
        w.unit_combo.currentIndexChanged.connect(self._changed)
        w.direction_combo.currentIndexChanged.connect(self._changed)
        w.range_min_edit.textChanged.connect(self.completeChanged)
        w.range_max_edit.textChanged.connect(self.completeChanged)

    def initializePage(self) -> None:
        w = self.w
        if not self.shown_once:  # a sensible first unit; the user's later choice stays
            self.shown_once = True
            select_data(w.unit_combo, E.Unit.COUNT if w.quadrant_combo.currentData()
                        == E.RbaQuadrant.HOW_MUCH else E.Unit.PERCENT)
        self._changed()

    def _changed(self) -> None:
        w = self.w
        in_range = w.direction_combo.currentData() == E.Direction.MAINTAIN_RANGE
        self.form.setRowVisible(self.range_row, in_range)
        ratio = E.Unit(w.unit_combo.currentData()).needs_numerator_and_denominator
        self.form.setRowVisible(w.numerator_edit, ratio)
        self.form.setRowVisible(w.denominator_edit, ratio)
        self.gate_note.setVisible(w.is_outcome())
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        w = self.w
        if w.is_outcome():  # what gate G4 asks of every outcome
            needed = [w.baseline_edit]
            if E.Unit(w.unit_combo.currentData()).needs_numerator_and_denominator:
                needed += [w.numerator_edit, w.denominator_edit]
            if not all(e.text().strip() for e in needed):
                return False
        if w.direction_combo.currentData() == E.Direction.MAINTAIN_RANGE:
            return bool(w.range_min_edit.text().strip() and w.range_max_edit.text().strip())
        return True

    def validatePage(self) -> bool:
        try:
            self.w.measure_fields()
        except DomainError as exc:
            self.error.setText(str(exc))
            return False
        self.error.setText("")
        return True

class LinksPage(_Page):
    def __init__(self, wizard: IndicatorWizard) -> None:
        super().__init__(wizard, "Which outcome should it drive?",
                         "Every output links to at least one outcome, with the assumption "
                         "that connects them, so 'busy but not better' can be seen.")
        w = wizard
        w.outcome_list = outcome_list(outcome_choices(w.services, w.programme_code))
        w.assumption_edit = QLineEdit()
        w.assumption_edit.setAccessibleName("Assumption")
        w.assumption_edit.setPlaceholderText(
            "why should it? e.g. trained masons build toilets that households want to use")
        w.strength_combo = enum_combo(E.ResultLinkStrength, "Link strength")
        self.none_note = note(
            "This programme has no outcome indicators yet: create one, then link this output "
            "to it with 'Link to outcome…' (the gate stays unmet until then).", CARD_STYLE)
        form = QFormLayout(self)
        form.addRow("&Outcomes:", w.outcome_list)
        form.addRow("&Assumption:", w.assumption_edit)
        form.addRow("&Evidence:", w.strength_combo)
        form.addRow(self.none_note)
        self.none_note.setVisible(w.outcome_list.count() == 0)
        w.outcome_list.itemChanged.connect(self.completeChanged)
        w.assumption_edit.textChanged.connect(self.completeChanged)

    def isComplete(self) -> bool:
        w = self.w
        if w.outcome_list.count() == 0:
            return True
        return bool(checked_codes(w.outcome_list) and w.assumption_edit.text().strip())


# ------------------------------------------------------------------------------------------
# The wizard


class IndicatorWizard(QWizard):
    """New indicator: name, five questions, classification, measure, links (outputs)."""

    # widgets the pages create (set in the pages' constructors)
    code_edit: QLineEdit
    name_edit: QLineEdit
    name_warning: QLabel
    questions: QuestionsBox
    participation_note: QLabel
    suggestion_label: QLabel
    level_combo: QComboBox
    quadrant_combo: QComboBox
    better_off_combo: QComboBox
    coaching_card: QLabel
    confirm_box: QCheckBox
    blocker: QLabel
    unit_combo: QComboBox
    direction_combo: QComboBox
    range_min_edit: QLineEdit
    range_max_edit: QLineEdit
    numerator_edit: QLineEdit
    denominator_edit: QLineEdit
    baseline_edit: QLineEdit
    baseline_period_edit: QLineEdit
    baseline_source_edit: QLineEdit
    outcome_list: QListWidget
    assumption_edit: QLineEdit
    strength_combo: QComboBox

    def __init__(self, services: Services, undo_stack: QUndoStack, programme_code: str,
                 parent: QWidget | None = None,
                 after: Callable[[], object] | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.undo_stack = undo_stack
        self.programme_code = programme_code
        self.after = after
        self.suggestion: Any = None
        self.created: str | None = None
        self.warnings: tuple[str, ...] = ()
        self.setWindowTitle(f"New indicator for {programme_code}")
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setPage(PAGE_NAME, NamePage(self))
        self.setPage(PAGE_QUESTIONS, QuestionsPage(self))
        self.setPage(PAGE_CLASSIFY, ClassifyPage(self))
        self.setPage(PAGE_MEASURE, MeasurePage(self))
        self.targets_page = TargetsPage(
            services, programme_code, self.is_outcome, lambda: self.unit_combo.currentData(),
            lambda: PAGE_LINKS if self.level_combo.currentData() == E.ResultLevel.OUTPUT
            else -1)
        self.setPage(PAGE_TARGETS, self.targets_page)
        self.setPage(PAGE_LINKS, LinksPage(self))
        self.setStartId(PAGE_NAME)
        self.resize(760, 560)

    # ------------------------------------------------------------------------ the rules

    def coaching(self) -> list[str]:
        """The sanitation coaching when an output-sounding name is marked as an outcome."""
        return coaching_warnings(self.name_edit.text().strip(), self.level_combo.currentData())

    def is_outcome(self) -> bool:
        level = self.level_combo.currentData()
        return bool(level and E.ResultLevel(level).is_outcome)

    def needs_better_off_type(self) -> bool:
        return bool(self.quadrant_combo.currentData() == E.RbaQuadrant.BETTER_OFF)

    def outcome_refusal(self) -> str:
        """Why the chosen outcome level cannot stand ('' when it can): question 4 answered
        yes, or the 'how much did we do?' quadrant, which counts activity."""
        if not self.is_outcome():
            return ""
        if self.questions.answer("target_hit_while_nobody_better_off"):
            return ("You answered that it could hit its target while nobody is better off "
                    "(question 4), so it cannot be an outcome. Choose output, or go back and "
                    "change that answer if it was wrong.")
        if self.quadrant_combo.currentData() == E.RbaQuadrant.HOW_MUCH:
            return ("'How much did we do?' counts activity, so it cannot be an outcome: an "
                    "outcome says whether anyone is better off, or how well the service "
                    "works. Choose output, or another quadrant.")
        return ""

    # -------------------------------------------------------------------------- results

    def measure_fields(self) -> dict[str, Any]:
        """Page 4 as stored values; DomainError names the field that is wrong."""
        out: dict[str, Any] = {
            "unit": self.unit_combo.currentData(),
            "direction": self.direction_combo.currentData(),
        }
        texts = {
            "baseline_value": self.baseline_edit, "baseline_period": self.baseline_period_edit,
            "baseline_source": self.baseline_source_edit,
        }
        if out["direction"] == E.Direction.MAINTAIN_RANGE:
            texts |= {"range_min": self.range_min_edit, "range_max": self.range_max_edit}
        if E.Unit(out["unit"]).needs_numerator_and_denominator:
            texts |= {"numerator_def": self.numerator_edit,
                      "denominator_def": self.denominator_edit}
        problems = []
        for attr, edit in texts.items():
            try:
                value = coerce("indicator", attr, edit.text())
            except DomainError as exc:
                problems.append(str(exc))
                continue
            if value is not None:
                out[attr] = value
        if problems:
            raise DomainError("; ".join(problems))
        return out

    def fields(self) -> dict[str, Any]:
        """Everything the service's create needs, besides code and name."""
        out = {
            "result_level": self.level_combo.currentData(),
            "rba_quadrant": self.quadrant_combo.currentData(),
            **self.measure_fields(),
        }
        if out["rba_quadrant"] == E.RbaQuadrant.BETTER_OFF:
            out["better_off_type"] = self.better_off_combo.currentData()
        dimensions = self.targets_page.chosen_dimensions()
        if dimensions:
            out["disaggregation_required"] = ",".join(dimensions)
        return out

    def links(self) -> list[str]:
        if self.level_combo.currentData() != E.ResultLevel.OUTPUT:
            return []
        return checked_codes(self.outcome_list)

    def reason(self) -> str:
        text = f"create indicator (wizard answers: {self.questions.summary()})"
        if self.coaching() and self.confirm_box.isChecked():
            cues = ", ".join(output_cues(self.name_edit.text()))
            text += f"; marked as an outcome despite output cues ({cues}), confirmed"
        return text

    def accept(self) -> None:
        """Create the indicator, its targets and links in one undoable step; stay open on an
        error."""
        p = self.programme_code
        code = self.code_edit.text().strip()
        name = self.name_edit.text().strip()
        indicators = self.services.indicators
        if not all(self.page(i).isComplete() for i in self.visitedIds()):
            return  # Finish is only enabled on complete pages; refuse a programmatic accept
        try:
            fields = self.fields()
            links = self.links()
            assumption = self.assumption_edit.text().strip()
            strength = self.strength_combo.currentData()
            reason = self.reason()
            saved: list[tuple[str, ...]] = []

            targets = list(self.targets_page.drafts)

            def do() -> None:
                result = indicators.create(p, code, name, reason=reason, **fields)
                try:
                    for t in targets:
                        indicators.set_target(p, code, t.period, t.value, strand=t.strand,
                                              reason=f"target of new indicator {code}")
                    for to in links:
                        indicators.link(p, code, to, assumption, strength=strength,
                                        reason=f"link new indicator {code} to {to}")
                except Exception:  # all or nothing: a refused target or link removes it
                    indicators.delete(p, code, reason=f"create indicator {code} failed")
                    raise
                saved.append(result.warnings)

            def undo() -> None:
                indicators.delete(p, code, reason=f"undo: create indicator {code}")

            apply_edit(self.undo_stack, f"create indicator {code}", do, undo, self.after)
        except DomainError as exc:
            report_exception(exc, self)
            return
        self.created = code
        self.warnings = saved[0] if saved else ()
        super().accept()
