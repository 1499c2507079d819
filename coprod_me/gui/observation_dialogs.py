"""The observation grid's dialogs: a new observation, a correction of a locked value, and
the corrections an observation has had."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
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
