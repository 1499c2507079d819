"""Deviation narratives: why an indicator's actual differs from its target in a quarter.

The IPTT asks for one wherever the variance passes ±10 % (``reports.iptt``). Each is kept per
indicator, strand (none: the programme as a whole) and quarter; a change is one audited
transaction. A locked quarter still takes a narrative: it explains the figures, it does not
change them.
"""

from __future__ import annotations

from coprod_me.model import entities as M
from coprod_me.model.errors import DomainError
from coprod_me.model.quarter import Quarter
from coprod_me.queries import iptt as Q
from coprod_me.queries.indicators import get_indicator
from coprod_me.queries.programmes import get_programme, get_strand
from coprod_me.reports.iptt import NARRATIVE_NEEDED, IpttRow, iptt_rows
from coprod_me.store.session import Store

#: what the app shows of the IPTT (it reaches the report's records through this service)
__all__ = ["NARRATIVE_NEEDED", "IpttRow", "VarianceNarrativeService"]

MAX_LENGTH = 4000  # a paragraph or two: the IPTT prints it in a wrapped column


class VarianceNarrativeService:
    """Read the IPTT of a programme and write its deviation narratives."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def iptt(self, code: str, quarter: str | None = None) -> list[IpttRow]:
        """The programme's IPTT up to ``quarter`` (its last reporting quarter by default;
        [] when it has neither reporting periods nor observations)."""
        with self.store.read() as s:
            p = get_programme(s, code)
            assert p.id is not None
            q = str(Quarter.parse(quarter)) if quarter else Q.latest_quarter(s, p.id)
            if q is None:
                return []
            return iptt_rows(Q.iptt_programme(s, code, q), q)

    def get(self, code: str, indicator: str, quarter: str, strand: str | None = None
            ) -> str | None:
        with self.store.read() as s:
            p = get_programme(s, code)
            ind = get_indicator(s, p, indicator)
            assert ind.id is not None
            row = Q.variance_narrative(s, ind.id, get_strand(s, p, strand),
                                       str(Quarter.parse(quarter)))
            return row.text if row is not None else None

    def set(self, code: str, indicator: str, quarter: str, text: str,
            strand: str | None = None, *, reason: str | None = None) -> str | None:
        """Write the narrative (an empty ``text`` clears it); returns the one it replaced."""
        text = text.strip()
        if len(text) > MAX_LENGTH:
            raise DomainError(f"a narrative has at most {MAX_LENGTH} characters")
        q = str(Quarter.parse(quarter))
        where = f" at {strand}" if strand else ""
        default = (f"narrative of {indicator}{where} {q}" if text
                   else f"clear narrative of {indicator}{where} {q}")
        with self.store.session(reason=reason or default) as s:
            p = get_programme(s, code)
            ind = get_indicator(s, p, indicator)
            assert ind.id is not None
            strand_id = get_strand(s, p, strand)
            row = Q.variance_narrative(s, ind.id, strand_id, q)
            old = row.text if row is not None else None
            if row is not None and not text:
                s.delete(row)
            elif row is not None:
                row.text = text
            elif text:
                s.add(M.VarianceNarrative(indicator_id=ind.id, strand_id=strand_id, period=q,
                                          text=text))
        return old

    def clear(self, code: str, indicator: str, quarter: str, strand: str | None = None, *,
              reason: str | None = None) -> str | None:
        """Remove the narrative; returns the one removed (None when there was none)."""
        return self.set(code, indicator, quarter, "", strand, reason=reason)
