"""The indicator wizard's page for targets and required disaggregations.

Targets are kept as a draft until Finish (the wizard saves them with the indicator in one
undoable step); the end-of-programme quarter is filled in and needs a target. An outcome needs
at least one required disaggregation, which gate G4 checks: without one, equity gaps stay
hidden. The dimensions the programme already uses are offered first.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWizardPage,
)

from coprod_me.gui.target_table import COL_RATIONALE, COL_REVISIONS, TargetPanel
from coprod_me.model.enums import STANDARD_DIMENSIONS
from coprod_me.model.values import unit_problem
from coprod_me.services import Services
from coprod_me.services.indicators import TargetLine

_HINT_STYLE = "color: #8a5a00;"


class TargetsPage(QWizardPage):
    """Targets per quarter (and strand), and the disaggregations the indicator requires."""

    def __init__(self, services: Services, programme_code: str,
                 is_outcome: Callable[[], bool], unit: Callable[[], str],
                 next_id: Callable[[], int]) -> None:
        super().__init__()
        self.setTitle("Targets and disaggregation")
        self.setSubTitle("Set at least the end-of-programme target; add a target for other "
                         "quarters or strands if you have them. Tick the breakdowns every "
                         "report of this indicator must show.")
        self.is_outcome = is_outcome
        self.unit = unit
        self._next_id = next_id
        self.end_quarter = services.indicators.last_reporting_quarter(programme_code)
        self.quarter_problem = lambda q: services.indicators.target_quarter_problem(
            programme_code, q)
        self.strands = [(s.code, s.name) for s in services.programmes.strands(programme_code)]
        in_use = services.indicators.dimensions_in_use(programme_code)
        self.dimensions = sorted(in_use) + [d for d in STANDARD_DIMENSIONS if d not in in_use]
        self.in_use = in_use
        self.drafts: list[TargetLine] = []
        self.panel: TargetPanel | None = None
        self.lay = QVBoxLayout(self)
        self.lay.addWidget(self._build_dimensions())
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(_HINT_STYLE)
        self.hint.setAccessibleName("What is missing")

    def _build_dimensions(self) -> QGroupBox:
        box = QGroupBox("Required disaggregations")
        grid = QGridLayout(box)
        self.dimension_boxes: dict[str, QCheckBox] = {}
        for i, d in enumerate(self.dimensions):
            text = d.replace("_", " ") + (" (used in this programme)" if d in self.in_use
                                          else "")
            cb = QCheckBox(text)
            cb.setAccessibleName(f"Disaggregation {d}")
            cb.toggled.connect(self.completeChanged)
            cb.toggled.connect(self._hint)
            self.dimension_boxes[d] = cb
            grid.addWidget(cb, i // 3, i % 3)
        return box

    def initializePage(self) -> None:
        """The panel is built for the unit chosen on the page before (and again if the user
        went back and changed it)."""
        unit = self.unit()
        if self.panel is not None and self.panel.unit == unit:
            self._hint()
            return
        if self.panel is not None:
            self.lay.removeWidget(self.panel)
            self.panel.deleteLater()
        self.panel = TargetPanel(unit, self.strands, self.quarter_problem)
        self.panel.remove_button.setText("Re&move target")
        for col in (COL_REVISIONS, COL_RATIONALE):  # a draft has neither
            self.panel.table.hideColumn(col)
        self.panel.table.horizontalHeader().setStretchLastSection(False)
        self.panel.quarter_edit.setText(self.end_quarter or "")
        self.panel.set_requested.connect(self._set)
        self.panel.remove_requested.connect(self._remove)
        self.drafts = [d for d in self.drafts if self._fits(d.value)]
        self.panel.set_lines(self.drafts)
        self.lay.addWidget(self.panel)
        self.lay.addWidget(self.hint)
        self._hint()

    def _fits(self, value: float) -> bool:
        return unit_problem(self.unit(), value) is None

    def _set(self, period: str, strand: str | None, value: float) -> None:
        self.drafts = [d for d in self.drafts if (d.period, d.strand) != (period, strand)]
        self.drafts.append(TargetLine(period, strand, value, None, 0))
        self.drafts.sort(key=lambda d: (d.period, d.strand or ""))
        assert self.panel is not None
        self.panel.set_lines(self.drafts)
        self.panel.value_edit.clear()
        self._hint()
        self.completeChanged.emit()

    def _remove(self, line: TargetLine) -> None:
        self.drafts = [d for d in self.drafts if d != line]
        assert self.panel is not None
        self.panel.set_lines(self.drafts)
        self._hint()
        self.completeChanged.emit()

    # ------------------------------------------------------------------------------ rules

    def chosen_dimensions(self) -> list[str]:
        return [d for d, cb in self.dimension_boxes.items() if cb.isChecked()]

    def missing(self) -> list[str]:
        """What the page still needs, in words ([] when complete)."""
        out = []
        if self.end_quarter and not any(d.period == self.end_quarter for d in self.drafts):
            out.append(f"a target for the end of the programme ({self.end_quarter}): type "
                       "the value and press Set target")
        elif not self.drafts:
            out.append("at least one target: type the quarter and value and press Set target")
        if self.is_outcome() and not self.chosen_dimensions():
            out.append("at least one required disaggregation: an outcome without one fails "
                       "gate G4, since equity gaps would stay hidden")
        return out

    def _hint(self, *_a: object) -> None:
        missing = self.missing()
        self.hint.setText("Still needed: " + "; ".join(missing) if missing else "")

    def isComplete(self) -> bool:
        return not self.missing()

    def nextId(self) -> int:
        return self._next_id()
