"""The Portfolio: every programme in one quarter, one row each (``reports.portfolio_model``).

For the policy unit's question "which of our programmes need attention this quarter?": the
risk categories as the Overview badges show them, the outcomes on track, at risk, off track
or without data, the data completeness and the outcome gates unmet. One read transaction
and a handful of set-based queries fill it for every programme, so it stays quick on a
portfolio of hundreds; the GUI still fills it off its thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coprod_me.model.errors import Cancelled, NotFound
from coprod_me.model.progress import IsCancelled, Progress, never, no_progress
from coprod_me.model.quarter import Quarter
from coprod_me.queries.portfolio import portfolio_facts, reported_quarters
from coprod_me.reports.portfolio_figures import portfolio_rows
from coprod_me.reports.portfolio_model import (  # the columns too: the GUI and CLI show them
    ATTENTION,
    COLUMNS,
    PortfolioRow,
)
from coprod_me.store.session import Store

__all__ = ["ATTENTION", "COLUMNS", "Portfolio", "PortfolioRow", "PortfolioService"]


@dataclass(frozen=True)
class Portfolio:
    """The rows of one quarter, and the quarters one could choose instead."""

    quarter: str | None  # None: no programme has reported a total yet
    quarters: list[str]  # quarters with a total of any programme, latest first
    rows: list[PortfolioRow]


class PortfolioService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def portfolio(self, quarter: str | None = None, codes: Sequence[str] | None = None, *,
                  progress: Progress = no_progress, cancelled: IsCancelled = never
                  ) -> Portfolio:
        """Every programme's row (or those with ``codes``) in ``quarter``, by code; the latest
        quarter with a total when ``quarter`` is None. Cancelled when ``cancelled()``."""
        progress(0, 3, "Reading the programmes")
        with self.store.read() as s:
            quarters = reported_quarters(s)
            q = str(Quarter.parse(quarter)) if quarter else (quarters[0] if quarters else None)
            if q is None:
                return Portfolio(None, quarters, [])
            if cancelled():
                raise Cancelled("portfolio cancelled")
            facts = portfolio_facts(s, q, codes)
        if codes is not None:
            missing = sorted(set(codes) - {p.code for p in facts.programmes})
            if missing:
                raise NotFound(f"no programme with code {', '.join(missing)}; "
                               "'coprod-me list' shows the codes")
        progress(2, 3, f"Judging {len(facts.programmes)} programmes in {q}")
        rows = portfolio_rows(facts, cancelled=cancelled)
        if cancelled():
            raise Cancelled("portfolio cancelled")
        progress(3, 3, f"{len(rows)} programmes in {q}")
        return Portfolio(q, quarters, rows)
