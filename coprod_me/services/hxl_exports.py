"""HXL out: a programme's observations as an HXL-tagged CSV that partners and our own import
read (``coprod-me export hxl``).

The file is long: one row per observation, a row of readable column names, then the HXL
hashtag row. Every hashtag is one our import maps by itself (``#indicator+code``,
``#loc+code``, ``#date+quarter``, ``#indicator+value+num``, ``#indicator+num+numerator``,
``#group+dim+sex`` ...), or a ``#meta`` / ``#status`` / ``#activity`` tag that leaves the
column to its header ("Sample size", "Verification type"), which the import knows as well:
the file imports back with no saved mapping, into the same observations.

It is the programme's own data going to a partner, not a report: every value is written in
full (no rounding, no suppression of small counts), numbers as numbers. Text is made safe for
spreadsheet programs as in every CSV we write (``cell_text.csv_field``: an apostrophe before
formula-like text); our import drops that apostrophe again, so a comment such as "=1+1" or
"-3 since Q1" comes back as it was. The file appears only when complete.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coprod_me.model import entities as M
from coprod_me.model.cell_text import csv_field
from coprod_me.model.disaggregation import parse_dims_key
from coprod_me.model.errors import DomainError
from coprod_me.model.quarter import Quarter
from coprod_me.queries.imports import evidence_ids
from coprod_me.queries.indicators import indicators_of
from coprod_me.queries.observations import observations_of, quarters_of
from coprod_me.queries.programmes import get_programme, strands_of
from coprod_me.store.partial_files import check_output, partial_file
from coprod_me.store.session import Store

#: (field, column name, HXL hashtag) before the breakdowns: always written.
LEADING = (
    ("programme_code", "Programme code", "#activity+code"),
    ("indicator_code", "Indicator code", "#indicator+code"),
    ("indicator_name", "Indicator name", "#indicator+name"),
    ("strand", "Strand", "#loc+code"),
    ("period", "Quarter", "#date+quarter"),
    ("phase", "Phase", "#status+phase"),
)
#: (field, column name, HXL hashtag) after the breakdowns: the value always, the rest where
#: some observation has one.
TRAILING = (
    ("value", "Value", "#indicator+value+num"),
    ("numerator", "Numerator", "#indicator+num+numerator"),
    ("denominator", "Denominator", "#indicator+num+denominator"),
    ("n_sample", "Sample size", "#indicator+num+sample"),
    ("ci_low", "CI low", "#indicator+num+ci_low"),
    ("ci_high", "CI high", "#indicator+num+ci_high"),
    ("quality_status", "Quality status", "#meta+quality"),
    ("verification_type", "Verification type", "#meta+verification"),
    ("data_source", "Data source", "#meta+source"),
    ("collection_method", "Collection method", "#meta+method"),
    ("evidence_code", "Evidence code", "#meta+evidence+code"),
    ("comment", "Comment", "#meta+comment"),
    ("data_label", "Data label", "#meta+label"),
)
_ALWAYS = {"value"}
#: what an HXL attribute may be; a dimension named otherwise is tagged plain #group and
#: named ``dim:NAME`` in the header row, which the import maps just as well
_ATTRIBUTE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class HxlExportResult:
    """What was written: the file, its programmes, quarters and observation rows."""

    file: Path
    programmes: list[str]
    first: str
    last: str
    rows: int
    columns: list[str]

    def as_json(self) -> dict[str, Any]:
        return {"file": str(self.file), "programmes": self.programmes, "from": self.first,
                "to": self.last, "rows": self.rows, "columns": self.columns}


@dataclass(frozen=True)
class Column:
    field: str
    name: str
    hashtag: str


def dimension_column(dimension: str) -> Column:
    """The column of one breakdown: ``Age band`` over ``#group+dim+age_band``."""
    if _ATTRIBUTE.match(dimension):
        return Column(f"dim:{dimension}", dimension.replace("_", " ").capitalize(),
                      f"#group+dim+{dimension}")
    return Column(f"dim:{dimension}", f"dim:{dimension}", "#group")


def quarter_span(quarter: str | None, first: str | None, last: str | None
                 ) -> tuple[Quarter | None, Quarter | None]:
    """The quarters asked for: one (``quarter``), a span (either end may be open) or all."""
    if quarter is not None and (first is not None or last is not None):
        raise DomainError("give either --quarter or --from/--to, not both")
    if quarter is not None:
        q = Quarter.parse(quarter)
        return q, q
    lo = Quarter.parse(first) if first is not None else None
    hi = Quarter.parse(last) if last is not None else None
    if lo is not None and hi is not None and lo > hi:
        raise DomainError(f"--from {lo} comes after --to {hi}; swap them")
    return lo, hi


def _number(value: float | int | None) -> float | int | None:
    """A figure as written: whole numbers without '.0', others in full (``repr``)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


class HxlExportService:
    """Observations out as HXL; the CLI's ``export hxl`` and the GUI call this."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def write(self, codes: Sequence[str], output: Path | str, *, quarter: str | None = None,
              first: str | None = None, last: str | None = None) -> HxlExportResult:
        """Write the observations of ``codes`` (of one quarter, a span, or all) to
        ``output``; nothing is written when a programme, a quarter or the file is wrong."""
        output = Path(output)
        lo, hi = quarter_span(quarter, first, last)
        check_output(output, ".csv", "an HXL export is a CSV file")
        records = self._records(list(dict.fromkeys(codes)), lo, hi)
        dimensions = sorted({d for r in records for d in r if d.startswith("dim:")})
        columns = [Column(*c) for c in LEADING]
        columns += [dimension_column(d.removeprefix("dim:")) for d in dimensions]
        columns += [Column(*c) for c in TRAILING
                    if c[0] in _ALWAYS or any(r.get(c[0]) is not None for r in records)]
        try:
            with partial_file(output) as tmp, tmp.open("w", newline="", encoding="utf-8") as f:
                w = csv.writer(f, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
                w.writerow([c.name for c in columns])
                w.writerow([c.hashtag for c in columns])
                for r in records:
                    w.writerow([csv_field(r.get(c.field)) for c in columns])
        except OSError as exc:
            raise DomainError(f"cannot write {output}: {exc.strerror or exc}; choose another "
                              "file or folder") from None
        periods = sorted({r["period"] for r in records})
        return HxlExportResult(output, list(dict.fromkeys(codes)), periods[0], periods[-1],
                               len(records), [c.hashtag for c in columns])

    def _records(self, codes: list[str], lo: Quarter | None, hi: Quarter | None
                 ) -> list[dict[str, Any]]:
        """Every observation asked for, as a field -> value dict, by programme, indicator,
        quarter, strand and breakdown; refuses a span in which a programme has none."""
        out: list[dict[str, Any]] = []
        with self.store.read() as s:
            for code in codes:
                p = get_programme(s, code)
                rows = [r for r in self._programme_records(s, p)
                        if (lo is None or str(lo) <= r["period"]) and
                        (hi is None or r["period"] <= str(hi))]
                if not rows:
                    raise DomainError(_nothing_in(p.code, lo, hi, quarters_of(s, p.id)))
                out += rows
        return out

    @staticmethod
    def _programme_records(s: Any, p: M.Programme) -> Iterator[dict[str, Any]]:
        indicators = {i.id: i for i in indicators_of(s, p.id)}
        strands = {st.id: st.code for st in strands_of(s, p.id)}
        evidence = {eid: c for c, eid in evidence_ids(s, p.id).items()}
        rows = sorted(observations_of(s, p.id), key=lambda o: (
            indicators[o.indicator_id].code, o.period, strands.get(o.strand_id or -1) or "",
            o.dims_key))
        for o in rows:
            ind = indicators[o.indicator_id]
            record: dict[str, Any] = {
                "programme_code": p.code, "indicator_code": ind.code,
                "indicator_name": ind.name, "strand": strands.get(o.strand_id or -1),
                "period": o.period, "phase": o.phase,
                "value": _number(o.value), "numerator": _number(o.numerator),
                "denominator": _number(o.denominator), "n_sample": o.n_sample,
                "ci_low": _number(o.ci_low), "ci_high": _number(o.ci_high),
                "quality_status": o.quality_status, "verification_type": o.verification_type,
                "data_source": o.data_source, "collection_method": o.collection_method,
                "evidence_code": evidence.get(o.evidence_id or -1), "comment": o.comment,
                "data_label": o.data_label}
            record.update({f"dim:{d}": c for d, c in parse_dims_key(o.dims_key).items()})
            yield record


def _nothing_in(code: str, lo: Quarter | None, hi: Quarter | None, known: set[str]) -> str:
    """Why a programme has nothing to export, and which quarters it has."""
    if lo is not None and lo == hi:
        asked = f"in {lo}"
    elif lo is None and hi is None:
        asked = "at all"
    else:
        asked = f"from {lo or 'its start'} to {hi or 'its latest quarter'}"
    has = f"; its quarters are {min(known)} to {max(known)}" if known else ""
    return f"{code} has no observations {asked}{has}"
