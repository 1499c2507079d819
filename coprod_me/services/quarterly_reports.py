"""The quarterly report use case: read a programme's quarter, write the workbook and PNGs.

The store is read once per programme (``queries.report_model``) into the frozen read model
of ``reports.quarterly_model``, and the rules engine says which flags are new, escalated or
closed; the workbook is built from that alone. The file is written to a temporary name in
the target folder and renamed into place, so a crash or a Cancel never leaves half a report
where the user expects a whole one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from coprod_me import __version__
from coprod_me.model.errors import Cancelled, DomainError
from coprod_me.model.progress import IsCancelled, Progress, never, no_progress
from coprod_me.model.quarter import Quarter
from coprod_me.queries import report_model as Q
from coprod_me.queries.portfolio import portfolio_facts
from coprod_me.reports import quarterly_model as R
from coprod_me.reports.portfolio_figures import portfolio_rows
from coprod_me.reports.portfolio_model import PortfolioRow
from coprod_me.services.flag_register import FlagRegisterService
from coprod_me.services.report_method import method_of
from coprod_me.spreadsheets.workbook_format import DIM_PREFIX, SHEETS_BY_NAME
from coprod_me.store.partial_files import check_output, partial_file
from coprod_me.store.session import Store

#: the report's sheets in order (README is always written)
SECTIONS = R.SECTIONS
DEFAULT_SUPPRESSION_THRESHOLD = R.DEFAULT_SUPPRESSION_THRESHOLD
OBSERVATION_HEADERS: tuple[str, ...] = tuple(
    c.header for c in SHEETS_BY_NAME["Observations"].columns)
WORKBOOK_COLUMNS = Q.WorkbookColumns(SHEETS_BY_NAME["Indicators"].columns,
                                     SHEETS_BY_NAME["Observations"].columns, DIM_PREFIX)


class UnknownSection(DomainError):
    pass


@dataclass
class ReportResult:
    file: Path
    quarter: str
    programmes: list[str]
    sheets: list[str]
    charts: int
    pngs: list[Path] = field(default_factory=list)
    suppression_threshold: int = R.DEFAULT_SUPPRESSION_THRESHOLD
    flags_computed: dict[str, bool] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"file": str(self.file), "quarter": self.quarter,
                "programmes": self.programmes, "sheets": self.sheets, "charts": self.charts,
                "pngs": [str(p) for p in self.pngs],
                "suppression_threshold": self.suppression_threshold,
                "flags_computed": self.flags_computed}


def check_sections(sections: Sequence[str] | None) -> tuple[str, ...]:
    """The sheets asked for, in report order; README is always there."""
    if not sections:
        return R.SECTIONS
    wanted = {s.strip() for s in sections if s.strip()}
    known = {s.lower(): s for s in R.SECTIONS}
    unknown = sorted(s for s in wanted if s.lower() not in known)
    if unknown:
        raise UnknownSection(f"unknown section(s) {', '.join(unknown)}; choose from "
                             f"{', '.join(R.SECTIONS)}")
    chosen = {known[s.lower()] for s in wanted} | {"README"}
    return tuple(s for s in R.SECTIONS if s in chosen)


class ReportService:
    """Quarterly reports for a policy unit (domain §4)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # ------------------------------------------------------------------------ read model

    def read_model(self, codes: Sequence[str], quarter: str, *,
                   sections: Sequence[str] | None = None,
                   suppression_threshold: int = R.DEFAULT_SUPPRESSION_THRESHOLD,
                   generated_at: datetime | None = None,
                   cancelled: IsCancelled = never) -> R.QuarterlyReport:
        q = str(Quarter.parse(quarter))
        if not codes:
            raise DomainError("choose at least one programme for the report")
        if suppression_threshold < 0:
            raise DomainError("the suppression threshold cannot be negative")
        chosen = check_sections(sections)
        programmes = []
        with self.store.read() as s:
            for code in dict.fromkeys(codes):  # once each, in the order asked
                if cancelled():
                    raise Cancelled("report cancelled")
                programmes.append(Q.programme_data(s, code, q, WORKBOOK_COLUMNS))
            method = method_of(s, list(dict.fromkeys(codes)))
            # the Portfolio sheet is the Portfolio view's table, from the same rows
            facts = portfolio_facts(s, q, list(dict.fromkeys(codes))) if len(
                set(codes)) > 1 else None
        return R.QuarterlyReport(
            quarter=q, programmes=tuple(self._with_rules_verdicts(programmes, q)),
            generated_at=generated_at or datetime.now(UTC),
            observation_headers=OBSERVATION_HEADERS, sections=chosen,
            suppression_threshold=suppression_threshold, app_version=__version__,
            method=method, portfolio=_in_order(portfolio_rows(facts), codes) if facts else ())

    def _with_rules_verdicts(self, programmes: list[R.ProgrammeData],
                             quarter: str) -> list[R.ProgrammeData]:
        """Each programme with stored flags, as the rules engine sees them this quarter.

        The engine says which flags are new, escalated or closed and rolls each category up;
        a failure in the rules is a failure of the report, never a quietly different one.
        """
        rules = FlagRegisterService(self.store)
        out = []
        for p in programmes:
            if p.flags:
                words = _change_words(rules.changes(p.code, quarter))
                p = replace(p, flags=tuple(
                    _with_change(f, words.get((f.strand, f.rule_id, f.subject)))
                    for f in p.flags), engine_rag=dict(rules.rag(p.code, quarter)))
            out.append(p)
        return out

    # ---------------------------------------------------------------------------- write

    def write(self, codes: Sequence[str], quarter: str, output: Path | str, *,
              sections: Sequence[str] | None = None,
              suppression_threshold: int = R.DEFAULT_SUPPRESSION_THRESHOLD,
              png_dir: Path | str | None = None, progress: Progress = no_progress,
              cancelled: IsCancelled = never,
              generated_at: datetime | None = None) -> ReportResult:
        from coprod_me.reports.quarterly_sheets import all_charts, build_sheets
        from coprod_me.reports.quarterly_workbook import build_workbook, discard

        output = check_output(output, ".xlsx", "a report is an Excel workbook")
        progress(0, 100, "Reading the programmes")
        report = self.read_model(codes, quarter, sections=sections,
                                 suppression_threshold=suppression_threshold,
                                 generated_at=generated_at, cancelled=cancelled)
        if cancelled():
            raise Cancelled("report cancelled")
        progress(30, 100, "Building the sheets")
        sheets = build_sheets(report)
        wb = build_workbook(report, sheets)
        if cancelled():
            discard(wb)
            raise Cancelled("report cancelled")
        progress(60, 100, f"Writing {output.name}")
        _save_atomically(wb, output, cancelled)
        charts = all_charts(sheets)
        pngs: list[Path] = []
        if png_dir is not None:
            from coprod_me.reports.quarterly_pictures import save_pngs

            folder = Path(png_dir)
            folder.mkdir(parents=True, exist_ok=True)

            def png_progress(done: int, total: int, message: str) -> None:
                progress(80 + 20 * done // max(total, 1), 100, message)
            pngs = save_pngs(charts, folder, progress=png_progress, cancelled=cancelled)
        progress(100, 100, f"Wrote {output.name}")
        return ReportResult(
            output, report.quarter, [p.code for p in report.programmes],
            list(report.sheet_names), len(charts), pngs, suppression_threshold,
            {p.code: p.flags is not None for p in report.programmes})

    def quarters(self, codes: Sequence[str]) -> list[str]:
        """Quarters with observations for these programmes, latest first (for pickers)."""
        with self.store.read() as s:
            return Q.observed_quarters(s, codes)

    def programme_codes(self) -> list[tuple[str, str]]:
        with self.store.read() as s:
            return Q.programme_names(s)


def _in_order(rows: Sequence[PortfolioRow], codes: Sequence[str]) -> tuple[PortfolioRow, ...]:
    """The Portfolio sheet's rows in the order the programmes were asked for."""
    at = {code: i for i, code in enumerate(dict.fromkeys(codes))}
    return tuple(sorted(rows, key=lambda r: at[r.code]))


def _save_atomically(wb: Any, output: Path, cancelled: IsCancelled) -> None:
    """The whole report or none: written beside ``output`` and renamed over it; a partial a
    killed run left in that folder is removed first (``store.partial_files``)."""
    with partial_file(output) as tmp:
        wb.save(tmp)
        if cancelled():
            raise Cancelled("report cancelled")


class _FlagKey(Protocol):
    """What the report needs of the engine's flags to find its own (FlagView has it)."""

    @property
    def strand(self) -> str | None: ...

    @property
    def rule_id(self) -> str: ...

    @property
    def subject(self) -> str: ...


def _change_words(changes: Mapping[str, Sequence[_FlagKey]]
                  ) -> dict[tuple[str | None, str, str], str]:
    """The engine's changes as (strand, rule, subject) -> new / escalated / closed."""
    out: dict[tuple[str | None, str, str], str] = {}
    for kind in ("new", "escalated", "closed"):
        for f in changes.get(kind, ()):
            out[(f.strand or None, f.rule_id, f.subject or "")] = kind
    return out


def _with_change(f: R.Flag, change: str | None) -> R.Flag:
    return f if change is None else replace(f, change=change)
