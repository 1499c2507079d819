"""What the observation grid shows: by indicator or by quarter, which one, and which strand.

The chooser holds the choices the tab hands it and never queries; it says when the user (or
a caller) changed what is shown, not while it is being filled.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

BY_INDICATOR, BY_QUARTER = "indicator", "quarter"
ALL_STRANDS = "*"  # not a valid strand code, so it cannot collide with one


class ObservationChooser(QWidget):
    """Show (by indicator or by quarter), the indicator or quarter, and the strand."""

    mode_changed = Signal()  # by indicator <-> by quarter: the choices are filled anew
    choice_changed = Signal()  # another indicator, quarter or strand is shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._filling = False
        self.mode = QComboBox()
        self.mode.addItem("By indicator", BY_INDICATOR)
        self.mode.addItem("By quarter", BY_QUARTER)
        self.mode.setAccessibleName("Show observations")
        self.mode.currentIndexChanged.connect(self._mode_changed)
        mode_label = QLabel("Sho&w:")
        mode_label.setBuddy(self.mode)
        self.selector = QComboBox()
        self.selector.setAccessibleName("Indicator")
        self.selector.setMinimumContentsLength(30)
        self.selector.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.selector.currentIndexChanged.connect(self._choice_changed)
        self.selector_label = QLabel("In&dicator:")
        self.selector_label.setBuddy(self.selector)
        self.strand_filter = QComboBox()
        self.strand_filter.setAccessibleName("Strand shown")
        self.strand_filter.setToolTip("Show the observations of one strand or site, of the "
                                      "programme total, or all of them")
        self.strand_filter.currentIndexChanged.connect(self._choice_changed)
        strand_label = QLabel("S&trand:")
        strand_label.setBuddy(self.strand_filter)
        top = QHBoxLayout(self)
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(mode_label)
        top.addWidget(self.mode)
        top.addSpacing(12)
        top.addWidget(self.selector_label)
        top.addWidget(self.selector, 1)
        top.addSpacing(12)
        top.addWidget(strand_label)
        top.addWidget(self.strand_filter)

    @property
    def by_quarter(self) -> bool:
        return self.mode.currentData() == BY_QUARTER

    def subject(self) -> str:
        """The indicator or quarter shown ('' when there is none to choose)."""
        return str(self.selector.currentData() or "")

    def fill_strands(self, strands: Sequence[tuple[str, str]]) -> None:
        """The programme's strands as (code, name), after all of them and the total."""
        self._filling = True
        try:
            self.strand_filter.clear()
            self.strand_filter.addItem("all", ALL_STRANDS)
            self.strand_filter.addItem("programme total", None)
            for code, name in strands:
                self.strand_filter.addItem(f"{code} — {name}", code)
        finally:
            self._filling = False

    def fill_choices(self, items: Sequence[tuple[str, str]]) -> None:
        """The indicators or quarters as (text, code), keeping the one chosen if it is there
        (by quarter, the latest otherwise)."""
        current = [(self.selector.itemText(i), self.selector.itemData(i))
                   for i in range(self.selector.count())]
        if list(items) == current:
            return
        previous = self.selector.currentData()
        self._filling = True
        try:
            self.selector.clear()
            for text, data in items:
                self.selector.addItem(text, data)
            index = self.selector.findData(previous)
            if index < 0 and self.by_quarter:
                index = self.selector.count() - 1  # the latest quarter
            self.selector.setCurrentIndex(max(index, 0))
        finally:
            self._filling = False

    def shows_strand(self, strand: str | None) -> bool:
        """Whether rows of ``strand`` (None: the programme total) are shown."""
        return self.strand_filter.currentIndex() <= 0 or \
            self.strand_filter.currentData() == strand

    def set_strand(self, strand: str | None = ALL_STRANDS) -> None:
        """Show one strand's observations (None: the programme total; ALL_STRANDS: all)."""
        index = 1 if strand is None else self.strand_filter.findData(strand)
        self.strand_filter.setCurrentIndex(max(index, 0))

    def select_indicator(self, code: str) -> None:
        if self.by_quarter:
            self.mode.setCurrentIndex(self.mode.findData(BY_INDICATOR))
        self.selector.setCurrentIndex(self.selector.findData(code))

    def select_quarter(self, quarter: str) -> None:
        if not self.by_quarter:
            self.mode.setCurrentIndex(self.mode.findData(BY_QUARTER))
        self.selector.setCurrentIndex(self.selector.findData(quarter))

    def _mode_changed(self) -> None:
        self.selector_label.setText("&Quarter:" if self.by_quarter else "In&dicator:")
        self.selector.setAccessibleName("Quarter" if self.by_quarter else "Indicator")
        self.mode_changed.emit()

    def _choice_changed(self) -> None:
        if not self._filling:
            self.choice_changed.emit()
