"""Charts of one indicator: turn the curve, output next to its outcome, equity lines.

matplotlib is imported the first time a chart is drawn, and a chart is drawn only while the
tab is on screen: choosing a programme with the tab hidden just marks it out of date. So the
window starts without loading matplotlib (a starting window imports it on a thread once it
is usable). The figures come from the services (built by ``reports.charts``) and are shown
in a ``FigureCanvasQTAgg`` with the navigation toolbar; a new choice of indicator, strand or
kind draws the same figure again in place, on the same canvas.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from coprod_me.gui.errors import report_exception
from coprod_me.gui.programme_view import ProgrammeView
from coprod_me.services import Services
from coprod_me.services.series import SeriesService

TURN_THE_CURVE = "turn_the_curve"
OUTPUT_VS_OUTCOME = "output_vs_outcome"
DISAGGREGATION = "disaggregation"
KINDS = (
    (TURN_THE_CURVE, "Turn the curve",
     "History, baseline, target, amber and red zones, and where the trend is heading"),
    (OUTPUT_VS_OUTCOME, "Output next to its outcome",
     "The effort above and the change it should bring below: busy but not better?"),
    (DISAGGREGATION, "Disaggregation small multiples",
     "One panel per dimension (sex, age band, …), one line per category"),
)
IMAGE_FILTERS = "PNG image (*.png);;SVG image (*.svg)"
_LEVEL_WORDS = {"outcome_short": "short-term outcome", "outcome_intermediate":
                "intermediate outcome"}


def _elided(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class ChartTab(ProgrammeView):
    """Read-only: nothing here edits, so the undo stack is kept only for a uniform shape."""

    def __init__(self, services: Services, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, undo_stack, parent)
        self.figure: Any = None  # the matplotlib Figure on show
        self.canvas: Any = None
        self.toolbar: Any = None
        self._names: dict[str, str] = {}
        self._levels: dict[str, str] = {}
        self._loading = False
        self._stale = True
        self._last_dir = Path.home()

        self._make_choices()
        lay = QVBoxLayout(self)
        lay.addLayout(self._choices_grid())
        lay.addWidget(self._make_chart_area(), 1)
        lay.addLayout(self._summary_row())
        self.setTabOrder(self.indicator_combo, self.strand_combo)
        self.setTabOrder(self.strand_combo, self.kind_combo)
        self.setTabOrder(self.kind_combo, self.linked_combo)
        self.setTabOrder(self.linked_combo, self.save_button)

        self.indicator_combo.currentIndexChanged.connect(self._indicator_changed)
        self.strand_combo.currentIndexChanged.connect(self._selection_changed)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.linked_combo.currentIndexChanged.connect(self._selection_changed)
        self._show_linked_row()
        self.set_programme(None)

    # ------------------------------------------------------------------------------ parts

    def _make_choices(self) -> None:
        """The indicator, strand, chart kind and linked indicator choices, and Save."""
        self.indicator_combo = QComboBox()
        self.indicator_combo.setAccessibleName("Indicator")
        self.indicator_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.indicator_combo.setMinimumContentsLength(40)
        self.strand_combo = QComboBox()
        self.strand_combo.setAccessibleName("Strand")
        self.strand_combo.setToolTip("Programme-level values, or the values of one strand")
        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName("Chart kind")
        for key, text, tip in KINDS:
            self.kind_combo.addItem(text, key)
            self.kind_combo.setItemData(self.kind_combo.count() - 1, tip,
                                        Qt.ItemDataRole.ToolTipRole)
        self.linked_combo = QComboBox()
        self.linked_combo.setAccessibleName("Linked indicator")
        self.linked_combo.setToolTip("The output that drives this outcome, or the outcome "
                                     "this output should drive (result links)")
        self.linked_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.linked_combo.setMinimumContentsLength(30)
        self.save_button = QPushButton("&Save chart…")
        self.save_button.setAccessibleName("Save chart")
        self.save_button.setToolTip("Save the chart as it is shown, as PNG or SVG")
        self.save_button.clicked.connect(self.choose_and_save)

    def _choices_grid(self) -> QGridLayout:
        """Indicator and strand on the left, chart kind and linked indicator on the right."""
        grid = QGridLayout()
        self.linked_label = QLabel("&Linked indicator:")
        for row, (text, combo) in enumerate((("&Indicator:", self.indicator_combo),
                                             ("S&trand:", self.strand_combo))):
            label = QLabel(text)
            label.setBuddy(combo)
            grid.addWidget(label, row, 0)
            grid.addWidget(combo, row, 1)
        kind_label = QLabel("Chart &kind:")
        kind_label.setBuddy(self.kind_combo)
        grid.addWidget(kind_label, 0, 2)
        grid.addWidget(self.kind_combo, 0, 3)
        self.linked_label.setBuddy(self.linked_combo)
        grid.addWidget(self.linked_label, 1, 2)
        grid.addWidget(self.linked_combo, 1, 3)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)
        return grid

    def _make_chart_area(self) -> QWidget:
        """Where the canvas and its toolbar go when the first chart is drawn."""
        self.chart_area = QWidget()
        self.chart_area.setSizePolicy(QSizePolicy.Policy.Expanding,
                                      QSizePolicy.Policy.Expanding)
        self.chart_layout = QVBoxLayout(self.chart_area)
        self.chart_layout.setContentsMargins(0, 0, 0, 0)
        return self.chart_area

    def _summary_row(self) -> QHBoxLayout:
        """The chart's summary in words (selectable), and Save beside it."""
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Chart summary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                             | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignTop)
        return bottom

    # ------------------------------------------------------------------------------ state

    @property
    def series(self) -> SeriesService:
        """The services' series service."""
        return self.services.series

    @property
    def indicator(self) -> str | None:
        data = self.indicator_combo.currentData()
        return str(data) if data else None

    @property
    def strand(self) -> str | None:
        data = self.strand_combo.currentData()
        return str(data) if data else None

    @property
    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def set_programme(self, code: str | None) -> None:
        self.code = code
        self.reload()

    def reload(self) -> None:
        """Read the programme's indicators again, keeping the choices that still exist."""
        keep = self.indicator
        self._loading = True
        try:
            self.indicator_combo.clear()
            self._names, self._levels = {}, {}
            if self.code is not None:
                for ind in self.services.indicators.of_programme(self.code):
                    self._names[ind.code] = ind.name
                    self._levels[ind.code] = ind.result_level
                    level = _LEVEL_WORDS.get(ind.result_level,
                                             ind.result_level.replace("_", " "))
                    self.indicator_combo.addItem(
                        f"{ind.code} — {_elided(ind.name)} ({level})", ind.code)
                    self.indicator_combo.setItemData(self.indicator_combo.count() - 1,
                                                     ind.name, Qt.ItemDataRole.ToolTipRole)
            idx = self.indicator_combo.findData(keep) if keep else -1
            self.indicator_combo.setCurrentIndex(idx if idx >= 0 else
                                                 min(0, self.indicator_combo.count() - 1))
        except Exception as exc:
            report_exception(exc, self)
        finally:
            self._loading = False
        self._fill_strands_and_links()
        has = self.indicator is not None
        for w in (self.indicator_combo, self.strand_combo, self.kind_combo, self.linked_combo):
            w.setEnabled(has)
        self.refresh_chart()

    def _fill_strands_and_links(self) -> None:
        keep_strand = self.strand
        keep_link = self.linked_combo.currentData()
        self._loading = True
        try:
            self.strand_combo.clear()
            self.linked_combo.clear()
            if self.code is None or self.indicator is None:
                return
            series = self.series.indicator_series(self.code, self.indicator)
            self.strand_combo.addItem("programme level" if series.programme_level_has_data
                                      else "programme level (no values)", None)
            for strand in series.strands_with_data:
                self.strand_combo.addItem(strand, strand)
            idx = self.strand_combo.findData(keep_strand) if keep_strand else -1
            if idx < 0 and not series.programme_level_has_data and series.strands_with_data:
                idx = 1  # nothing at programme level: start with the first strand
            self.strand_combo.setCurrentIndex(max(idx, 0))
            for other in self.series.linked_outputs(self.code, self.indicator):
                self.linked_combo.addItem(
                    f"{other} → {self.indicator}: {_elided(self._names.get(other, ''), 50)}",
                    f"drives:{other}")
            for other in self.series.linked_outcomes(self.code, self.indicator):
                self.linked_combo.addItem(
                    f"{self.indicator} → {other}: {_elided(self._names.get(other, ''), 50)}",
                    f"driven:{other}")
            idx = self.linked_combo.findData(keep_link) if keep_link else -1
            self.linked_combo.setCurrentIndex(max(idx, 0) if self.linked_combo.count() else -1)
        except Exception as exc:
            report_exception(exc, self)
        finally:
            self._loading = False

    def _indicator_changed(self, *_args: Any) -> None:
        if self._loading:
            return
        self._fill_strands_and_links()
        self.refresh_chart()

    def _selection_changed(self, *_args: Any) -> None:
        if not self._loading:
            self.refresh_chart()

    def _kind_changed(self, *_args: Any) -> None:
        self._show_linked_row()
        self._selection_changed()

    def _show_linked_row(self) -> None:
        on = self.kind == OUTPUT_VS_OUTCOME
        self.linked_label.setVisible(on)
        self.linked_combo.setVisible(on)

    # ---------------------------------------------------------------------------- drawing

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh_chart()

    def refresh_chart(self) -> None:
        """Draw the chart now if the tab is on screen, else when it is next shown."""
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        try:
            figure, summary = self._build()
        except Exception as exc:
            report_exception(exc, self)
            figure = self.series.message_chart(f"No chart: {exc}", into=self.figure)
            summary = str(exc)
        self._show(figure, summary)

    def _build(self) -> tuple[Any, str]:
        """The chart chosen, drawn into the figure on show (the first time, a new one)."""
        series, into = self.series, self.figure
        if self.code is None:
            text = "Select a programme to chart its indicators."
            return series.message_chart(text, into=into), text
        ind = self.indicator
        if ind is None:
            text = f"{self.code} has no indicators yet."
            return series.message_chart(text, into=into), text
        strand = self.strand
        if self.kind == OUTPUT_VS_OUTCOME:
            link = self.linked_combo.currentData()
            if not link:
                level = self._levels.get(ind, "")
                what = "an outcome" if level in ("output", "activity", "input") else "an output"
                text = (f"{ind} has no result links. Link it to {what} (with the assumption "
                        "that connects them) to see the two side by side.")
                return series.message_chart(text, title=ind, into=into), text
            role, other = str(link).split(":", 1)
            output, outcome = (other, ind) if role == "drives" else (ind, other)
            fig = series.output_vs_outcome_chart(self.code, output, outcome, strand=strand,
                                                 into=into)
            return fig, (f"{output} (effort) above {outcome} (result) at "
                         f"{strand or 'programme level'}.")
        if self.kind == DISAGGREGATION:
            d = series.disaggregated(self.code, ind, strand=strand)
            fig = series.disaggregation_chart(self.code, ind, strand=strand, into=into)
            dims = ", ".join(f"{dim} ({len(cats)} categories)" for dim, cats in d.panels.items())
            return fig, (f"{ind} at {strand or 'programme level'} by {dims}." if dims else
                         f"No disaggregated values of {ind} at {strand or 'programme level'}.")
        data = series.indicator_series(self.code, ind, strand=strand)
        return series.turn_the_curve_chart(self.code, ind, strand=strand, into=into), \
            series.describe(data)

    def _show(self, figure: Any, summary: str) -> None:
        """Show ``figure``: the first one in a new canvas with its toolbar; after that the
        figure is the same one drawn again (in place), so canvas and toolbar stay."""
        if self.canvas is None:
            self._make_canvas(figure)
        else:
            assert figure is self.figure  # drawn in place by _build
            self.toolbar.update()  # the zoom and pan history was of the chart before
        self.canvas.setAccessibleDescription(summary)
        self.summary.setText(summary)
        self.save_button.setEnabled(self.code is not None and self.indicator is not None)
        self.canvas.draw_idle()

    def _make_canvas(self, figure: Any) -> None:
        # matplotlib is loaded here, the first time a chart is actually shown
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg, NavigationToolbar2QT

        # matplotlib's toolbar icons ask Qt 6 for an attribute it has deprecated; harmless
        warnings.filterwarnings("ignore", message=".*AA_UseHighDpiPixmaps",
                                category=DeprecationWarning)
        self.figure = figure
        self.canvas = FigureCanvasQTAgg(figure)
        self.canvas.setParent(self.chart_area)
        self.canvas.setMinimumSize(420, 260)
        self.canvas.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.canvas.setAccessibleName("Chart")
        self.toolbar = NavigationToolbar2QT(self.canvas, self.chart_area)
        self.toolbar.setAccessibleName("Chart navigation")
        self.chart_layout.addWidget(self.toolbar)
        self.chart_layout.addWidget(self.canvas, 1)

    # ----------------------------------------------------------------------------- saving

    def suggested_name(self) -> str:
        parts = [self.code or "chart", self.indicator or "", self.strand or "", self.kind]
        if self.kind == OUTPUT_VS_OUTCOME and self.linked_combo.currentData():
            parts.insert(2, str(self.linked_combo.currentData()).split(":", 1)[1])
        return "-".join(p for p in parts if p).replace("/", "_") + ".png"

    def choose_and_save(self) -> Path | None:
        if self.figure is None:
            self.refresh_chart()
        name, chosen = QFileDialog.getSaveFileName(
            self, "Save chart", str(self._last_dir / self.suggested_name()), IMAGE_FILTERS)
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() not in (".png", ".svg"):
            path = path.with_name(path.name + (".svg" if "svg" in (chosen or "").lower()
                                               else ".png"))
        try:
            return self.save(path)
        except Exception as exc:
            report_exception(exc, self)
            return None

    def save(self, path: Path) -> Path:
        """Write the chart as shown (zoom included); PNG or SVG by the file's extension."""
        fmt = "svg" if path.suffix.lower() == ".svg" else "png"
        kwargs: dict[str, Any] = {"dpi": 150} if fmt == "png" else {}
        self.figure.savefig(path, format=fmt, facecolor="white", **kwargs)
        self._last_dir = path.parent
        return path
