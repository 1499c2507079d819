"""The observation grid's dialogs: a new observation, a correction of a locked value, the
corrections an observation has had, and the two questions the value gate asks before saving
(which way a number that reads two ways is meant; whether to save figures that look
unusual)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from coprod_me.gui.observation_table import show_number, typed_value
from coprod_me.gui.table_models import words
from coprod_me.model import entities as M
from coprod_me.model import enums as E
from coprod_me.model.disaggregation import dims_key
from coprod_me.model.errors import DomainError
from coprod_me.model.quarter import Quarter
from coprod_me.model.values import AmbiguousNumber, AmbiguousNumbers, show
from coprod_me.services.observation_paste import COLUMN_OF_FIELD, NUMBER_COLUMNS, TITLES
from coprod_me.services.observations import (
    CORRECTABLE,
    CellError,
    ObservationKey,
    ObservationView,
    parse_dims,
)


class AddObservationDialog(QDialog):
    """Quarter, strand, disaggregation and the numbers of a new observation.

    ``submit(values)`` saves them and raises DomainError to keep the dialog open with the
    message shown under the fields.
    """

    def __init__(self, indicators: Sequence[tuple[str, str]], strands: Sequence[str],
                 submit: Callable[[dict[str, Any]], None], *, indicator: str | None = None,
                 quarter: str = "", strand: str | None = None, dims: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add observation")
        self.submit = submit
        form = QFormLayout()
        self.indicator = QComboBox()
        for code, label in indicators:
            self.indicator.addItem(label, code)
        self.indicator.setCurrentIndex(max(self.indicator.findData(indicator), 0))
        self.quarter = QLineEdit(quarter)
        self.quarter.setPlaceholderText("2024Q2")
        self.strand = QComboBox()
        self.strand.addItem("— programme total —", None)
        for s in strands:
            self.strand.addItem(s, s)
        self.strand.setCurrentIndex(max(self.strand.findData(strand), 0))
        self.dims = QLineEdit(dims)
        self.dims.setPlaceholderText("empty for a total, or sex=female; age_band=15-24")
        self.phase = QComboBox()
        self.quality = QComboBox()
        for combo, enum in ((self.phase, E.Phase), (self.quality, E.QualityStatus)):
            combo.addItem("— not set —", None)
            for m in enum:
                combo.addItem(words(m.value), m.value)
        self.value = QLineEdit()
        self.numerator = QLineEdit()
        self.denominator = QLineEdit()
        self.n_sample = QLineEdit()
        self.source = QLineEdit()
        self.comment = QLineEdit()
        for label, widget in (("&Indicator", self.indicator), ("&Quarter", self.quarter),
                              ("&Strand", self.strand), ("&Disaggregation", self.dims),
                              ("&Phase", self.phase), ("&Value", self.value),
                              ("&Numerator", self.numerator),
                              ("D&enominator", self.denominator), ("Sample si&ze (n)",
                                                                    self.n_sample),
                              ("Q&uality", self.quality), ("S&ource", self.source),
                              ("&Comment", self.comment)):
            widget.setAccessibleName(label.replace("&", ""))
            form.addRow(label + ":", widget)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setAccessibleName("Problems")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        (self.value if quarter else self.quarter).setFocus()

    def values(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator.currentData(), "quarter": self.quarter.text(),
            "strand": self.strand.currentData(), "dims": self.dims.text(),
            "phase": self.phase.currentData(), "value": self.value.text(),
            "numerator": self.numerator.text(), "denominator": self.denominator.text(),
            "n_sample": self.n_sample.text(), "quality_status": self.quality.currentData(),
            "data_source": self.source.text(), "comment": self.comment.text(),
        }

    def try_accept(self) -> None:
        try:
            self.submit(self.values())
        except DomainError as exc:
            self.message.setText(str(exc))
            return
        self.accept()


class CorrectionDialog(QDialog):
    """The corrected value of a locked quarter and the reason, which is required."""

    def __init__(self, row: ObservationView, field: str, current: str,
                 submit: Callable[[str, str, str], None], parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Correct a locked value")
        self.submit = submit
        intro = QLabel(f"<b>{row.key.describe()}</b> is in a locked quarter. The value it "
                       "holds now is kept as a revision, with your reason.")
        intro.setWordWrap(True)
        self.field = QComboBox()
        for f in CORRECTABLE:
            self.field.addItem(TITLES[COLUMN_OF_FIELD[f]], f)
        self.field.setCurrentIndex(max(self.field.findData(field), 0))
        self.new_value = QLineEdit(current)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("e.g. survey re-weighted by the statistics office")
        form = QFormLayout()
        for label, widget in (("&Field", self.field), ("&New value", self.new_value),
                              ("&Reason (required)", self.reason)):
            widget.setAccessibleName(label.replace("&", ""))
            form.addRow(label + ":", widget)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setAccessibleName("Problems")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Correct")
        self.ok_button.setEnabled(False)
        self.reason.textChanged.connect(
            lambda t: self.ok_button.setEnabled(bool(t.strip())))
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        self.new_value.setFocus()
        self.new_value.selectAll()

    def try_accept(self) -> None:
        try:
            self.submit(self.field.currentData(), self.new_value.text(), self.reason.text())
        except DomainError as exc:
            self.message.setText(str(exc))
            return
        self.accept()


T = TypeVar("T")


def settle_reading(parent: QWidget | None, where: str,
                   attempt: Callable[[str | None, bool], T]) -> T:
    """``attempt(None, True)`` (the user's locale, asking about numbers that read two ways);
    when it finds such numbers, ask which reading is meant and attempt again with that
    decimal mark, without asking (``attempt(mark, False)``). ``where`` names a single cell
    for the question. DomainError when the user cancels: nothing is saved."""
    try:
        return attempt(None, True)
    except AmbiguousNumber as exc:
        places = [f"{where}: '{exc.text}' ({show(exc.as_decimal)} or {show(exc.as_grouped)})"]
        mark = exc.mark
    except AmbiguousNumbers as exc:
        places, mark = exc.places, exc.mark
    decimal = ask_reading(parent, places, mark)
    if decimal is None:
        raise DomainError("Nothing was saved: " + "; ".join(places) + " can be read two ways; "
                          "type it so that it reads one way only (the thousands without a "
                          "thousands mark, the fraction with your decimal mark)")
    return attempt(decimal, False)


def ask_reading(parent: QWidget | None, places: Sequence[str], mark: str) -> str | None:
    """Ask how numbers that read two ways (1,234: 1.234 or 1234) are meant; the decimal
    mark that reads them so ('.' or ','), or None when the user cancels."""
    word = "comma" if mark == "," else "point"
    box = QMessageBox(QMessageBox.Icon.Question, "Which number is meant?",
                      "These figures can be read two ways:", parent=parent)
    # the places in full, in the window (never behind a Details button)
    box.setInformativeText("\n".join(places) + f"\n\nIs the {word} a decimal mark or a "
                           "thousands mark here?")
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                           | QMessageBox.StandardButton.Cancel)
    box.button(QMessageBox.StandardButton.Yes).setText(f"&Decimal {word}")
    box.button(QMessageBox.StandardButton.No).setText(f"&Thousands {word}")
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Yes:
        return mark
    if answer == QMessageBox.StandardButton.No:
        return "." if mark == "," else ","
    return None


def confirm_unusual(parent: QWidget | None, warnings: Sequence[str]) -> bool:
    """Ask whether to save figures that look unusual next to their series (each named with
    its value and why); nothing is saved unless the user says so."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Save unusual figures?",
                      f"{len(warnings)} figure(s) look unusual next to their series:",
                      parent=parent)
    box.setInformativeText("\n".join(f"- {w}" for w in warnings) + "\n\nSave anyway?")
    box.setStandardButtons(QMessageBox.StandardButton.Save
                           | QMessageBox.StandardButton.Cancel)
    box.button(QMessageBox.StandardButton.Save).setText("&Save anyway")
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Save


class RevisionsDialog(QDialog):
    """The corrections of one observation, newest last, each with what it held before."""

    def __init__(self, key: ObservationKey, revisions: Sequence[M.ObservationRevision],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Corrections of {key.describe()}")
        lines = []
        for r in revisions:
            before = ", ".join(f"{TITLES[COLUMN_OF_FIELD[f]].lower()} {_shown(r, f)}"
                               for f in CORRECTABLE if getattr(r, f) is not None)
            lines.append(f"Revision {r.revision}, {r.revised_at:%Y-%m-%d %H:%M} UTC by "
                         f"{r.revised_by}\n  before: {before or '(empty)'}\n  why: {r.reason}")
        text = QPlainTextEdit("\n\n".join(lines) or "No corrections.")
        text.setReadOnly(True)
        text.setAccessibleName("Corrections")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(text)
        lay.addWidget(buttons)
        self.resize(560, 320)


def _shown(revision: M.ObservationRevision, field: str) -> str:
    value = getattr(revision, field)
    return show_number(value) if COLUMN_OF_FIELD[field] in NUMBER_COLUMNS else str(value)


@dataclass(frozen=True)
class NewObservation:
    """The Add dialog's values, read: where the observation goes and the fields it holds."""

    key: ObservationKey
    dims: dict[str, str]
    fields: dict[str, Any]


def read_new_observation(values: dict[str, Any], unit: str | None) -> NewObservation:
    """The Add dialog's ``values`` as typed values; DomainError lists every wrong input."""
    problems = []
    try:
        quarter = str(Quarter.parse(values["quarter"].strip()))
    except DomainError as exc:
        problems.append(str(exc))
        quarter = ""
    try:
        dims = parse_dims(values["dims"])
    except CellError as exc:
        problems.append(f"disaggregation '{values['dims']}' {exc}")
        dims = {}
    fields: dict[str, Any] = {}
    for field in ("phase", "quality_status", "data_source", "comment", "value",
                  "numerator", "denominator", "n_sample"):
        try:
            v = typed_value(field, values[field], unit)
        except CellError as exc:
            problems.append(f"{TITLES[COLUMN_OF_FIELD[field]].lower()} "
                            f"'{values[field]}' {exc}")
            continue
        if v is not None:
            fields[field] = v
    if problems:
        raise DomainError("; ".join(problems))
    key = ObservationKey(values["indicator"], quarter, values["strand"], dims_key(dims))
    return NewObservation(key, dims, fields)
