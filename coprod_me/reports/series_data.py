"""Plain, frozen views of an indicator's numbers that the chart builders draw.

Services build these from the store; reports never see a session. Sequences are tuples of
``(quarter, value)`` pairs in quarter order, so a series is immutable all the way down.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coprod_me.model.indicator_terms import IndicatorTerms

Point = tuple[str, float]


@dataclass(frozen=True)
class IndicatorSeries(IndicatorTerms):
    """One indicator's totals by quarter for one strand (or the programme level), with its
    terms (unit, direction, baseline, thresholds) to draw them against."""

    programme_code: str
    strand: str | None = None  # None: programme-level rows (no strand)
    strand_name: str | None = None
    points: tuple[Point, ...] = ()
    targets: tuple[Point, ...] = ()
    #: "strand" when the targets are the strand's own, "programme" when they fell back to the
    #: programme-level targets, None when there are none
    targets_level: str | None = None
    #: strands (codes, sorted) that hold values of this indicator
    strands_with_data: tuple[str, ...] = ()
    #: whether programme-level rows (no strand) hold values of this indicator
    programme_level_has_data: bool = False

    @property
    def periods(self) -> list[str]:
        return [q for q, _ in self.points]

    @property
    def values(self) -> list[float]:
        return [v for _, v in self.points]

    @property
    def where(self) -> str:
        """Where the numbers come from, in words: a strand, or the programme level."""
        if self.strand is None:
            return "programme level"
        if self.strand_name and self.strand_name != self.strand:
            return f"{self.strand} ({self.strand_name})"
        return self.strand


@dataclass(frozen=True)
class Disaggregation:
    """Single-dimension cells of an indicator: dimension -> category -> [(quarter, value)].

    Cells crossing two or more dimensions (sex × age band) are not drawn as lines; how many
    were left out is kept in ``cross_cells`` so a chart can say so.
    """

    programme_code: str
    code: str
    name: str
    unit: str
    strand: str | None = None
    panels: dict[str, dict[str, list[Point]]] = field(default_factory=dict)
    cross_cells: int = 0

    @property
    def title(self) -> str:
        where = self.strand or "programme level"
        return f"{self.code} {self.name} — by dimension, {where}"
