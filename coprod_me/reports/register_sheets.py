"""The register sheets: Risks (flags and checklist answers), DataQuality, the indicator
reference sheets and the quarter's raw observations.

Pure: the read model in, ``SheetContent`` out.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from coprod_me.model.amounts import UNIT_DECIMALS, amount
from coprod_me.reports import quarterly_figures as F
from coprod_me.reports.quarterly_model import ProgrammeData, QuarterlyReport
from coprod_me.reports.sheet_content import (
    COUNT,
    PCT,
    Block,
    Column,
    SheetContent,
    programme_cells,
    programme_columns,
    strand_label,
    words,
    yes_no,
)


def risks(report: QuarterlyReport) -> SheetContent:
    q = report.quarter
    pc = programme_columns(report)
    # on paper: what the flag is, where, how severe, why, against what, and what is done
    # about it; the flag's history and the evaluator's notes are detail on screen
    cols = [*pc, Column("Category", "wrap", 12, paper=False), Column("Rule", width=6),
            Column("Strand", "wrap", 16), Column("Subject", "wrap", 18, paper=False),
            Column("Quarter", width=9, paper=False), Column("Change", width=10),
            Column("Severity", "severity", 8),
            Column("Computed severity", "severity", 10, paper=False),
            Column("Status", width=14, paper=False),
            Column("Consecutive quarters", "number", 10, COUNT, paper=False),
            Column("First raised", width=9, paper=False), Column("Why", "wrap", 50),
            # what the flag was judged against, one readable line each (the full trigger
            # snapshot stays in the database and the programme workbook's RiskFlags sheet)
            Column("Thresholds", "wrap", 42),
            Column("Evaluator judgement", "wrap", 40, paper=False),
            Column("Override reason", "wrap", 30, paper=False),
            Column("Mitigation", "wrap", 18), Column("Owner", "wrap", 18, paper=False),
            Column("Due", width=11, paper=False)]
    rows: list[list[Any]] = []
    messages = []
    for p in report.programmes:
        if p.flags is None:
            messages.append(f"{p.code}: no flags computed yet. Run the risk rules for {q} to "
                            "fill this register.")
            continue
        changes = F.flag_changes(p.flags, q)
        if not changes:
            messages.append(f"{p.code}: no flags raised for {q}.")
        for f, change in changes:
            rows.append([*programme_cells(report, p), words(f.category), f.rule_id,
                         strand_label(p, f.strand), f.subject or None, f.period, change,
                         F.effective_severity(f), f.computed_severity, words(f.status),
                         f.consecutive_periods, f.first_raised_period, _why(f),
                         threshold_lines(f) or None,
                         f.evaluator_judgement, f.override_reason, f.mitigation, f.owner,
                         f.due_date])
    check_cols = [*pc, Column("Item", width=8), Column("Strand", width=10),
                  Column("Answered for", width=9), Column("Answer", width=9),
                  Column("Previous answer", width=9), Column("Changed", width=8),
                  Column("Comment", "note", 60)]
    check_rows = []
    for p in report.programmes:
        for c in sorted(p.checklist, key=lambda c: (c.item_code, F.strand_sort(c.strand))):
            check_rows.append([*programme_cells(report, p), c.item_code, c.strand or "programme",
                               c.period, c.answer, c.previous_answer,
                               "yes" if c.previous_answer not in (None, c.answer) else "no",
                               c.comment])
    flags_block = Block("Risk_flags", cols, rows, title=f"Risk register, {q}",
                        empty_message=" ".join(messages) or "No flags.")
    if messages and rows:
        flags_block.title = f"Risk register, {q}. " + " ".join(messages)
    return SheetContent("Risks", [
        flags_block,
        Block("Checklist", check_cols, check_rows, paper=False,
              title="Checklist answers (latest per item; on screen, not printed: a 'no' that "
                    "matters is a flag above)",
              empty_message="No checklist answers recorded."),
    ])


def threshold_lines(f: Any) -> str:
    """Each threshold as 'label: observed against value (TAG)' in its unit; a flag stored
    without thresholds shows its numbers ('hhi: 2,680')."""
    lines = []
    for t in f.thresholds:
        unit = str(t.get("unit") or "")
        value, observed = t.get("value"), t.get("observed")
        limit = _figure(value, unit)
        lines.append(f"{t.get('label') or words(str(t.get('name', '')))}: "
                     + (f"{_figure(observed, unit)} against {limit}" if observed is not None
                        else limit) + (f" ({t['tag']})" if t.get("tag") else ""))
    if not lines:
        lines = [f"{words(k)}: {_figure(v, '')}" for k, v in f.metrics
                 if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return "\n".join(lines)


def _figure(v: Any, unit: str) -> str:
    """A threshold's value or observation in its unit ('46 %', '10 %' for a relative 0.1,
    '2 points'); anything else as written."""
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        return "" if v is None else str(v)
    if unit == "relative":
        return amount(float(v) * 100, "percent")
    if unit in UNIT_DECIMALS:
        return amount(float(v), unit)
    text = f"{v:,.2f}".rstrip("0").rstrip(".")
    named = {"pp": "points", "per_1000": "per 1,000"}.get(unit, unit.replace("_", " "))
    return f"{text} {named}" if unit not in ("", "count", "index", "list") else text


def _why(f: Any) -> str | None:
    """The flag's own explanation from its trigger snapshot, else its main metric."""
    trigger = dict(f.trigger)
    if trigger.get("why"):
        return str(trigger["why"])
    pairs = [f"{k} = {v}" for k, v in f.trigger if k.startswith(("metrics.", "primary"))]
    return "; ".join(pairs[:4]) or None


def data_quality(report: QuarterlyReport) -> SheetContent:
    q = report.quarter
    pc = programme_columns(report)
    cols = [*pc, Column("Indicator", width=9), Column("Strand", width=19),
            Column("Total recorded", width=9), Column("Required disaggregations", "wrap", 22),
            Column("Missing", "wrap", 30), Column("Completeness (%)", "number", 14, PCT),
            Column("Quality status", width=12), Column("Verification", width=20)]
    rows = []
    rev_cols = [*pc, Column("Indicator", width=9), Column("Strand", width=10),
                Column("Quarter", width=9), Column("Cell", width=20),
                Column("Revision", "number", 8, "0"), Column("Value before", "number", 12),
                Column("Reason", "wrap", 50), Column("By", width=14),
                Column("When", width=17, number_format="yyyy-mm-dd hh:mm")]
    rev_rows = []
    batch_cols = [*pc, Column("File", "wrap", 30), Column("Kind", width=16),
                  Column("Imported", width=17, number_format="yyyy-mm-dd hh:mm"),
                  Column("By", width=14), Column("Rows created", "number", 10, COUNT),
                  Column("Rows updated", "number", 10, COUNT),
                  Column("Rows rejected", "number", 10, COUNT), Column("Reverted", width=9)]
    batch_rows = []
    window_q = set(F.window(q))
    for p in report.programmes:
        by_key: dict[tuple[str, str | None], list[Any]] = defaultdict(list)
        reporting: dict[str, set[str | None]] = defaultdict(set)
        for m in p.measurements:
            if m.period in window_q and not m.dims:
                reporting[m.indicator].add(m.strand)
            if m.period == q:
                by_key[(m.indicator, m.strand)].append(m)
        for ind in F.ordered_indicators(p.indicators):
            for strand in sorted(reporting.get(ind.code, set()), key=F.strand_sort):
                ms = by_key.get((ind.code, strand), [])
                total = next((m for m in ms if not m.dims), None)
                dims_seen = {d for m in ms for d, _c in m.dims}
                missing = ([] if total is not None else ["total"]) + [
                    f"by {d}" for d in ind.disaggregation_required if d not in dims_seen]
                expected = 1 + len(ind.disaggregation_required)
                rows.append([*programme_cells(report, p), ind.code, strand_label(p, strand),
                             "yes" if total is not None else "no",
                             ", ".join(ind.disaggregation_required) or None,
                             ", ".join(missing) or None,
                             100.0 * (expected - len(missing)) / expected,
                             total.quality_status if total else None,
                             words((total.verification_type if total else None)
                                   or ind.verification_type)])
        for r in sorted(p.revisions, key=lambda r: (r.period, r.indicator, r.revision)):
            rev_rows.append([*programme_cells(report, p), r.indicator, r.strand or "programme",
                             r.period, "; ".join(f"{d}={c}" for d, c in r.dims) or "total",
                             r.revision, r.old_value, r.reason, r.revised_by,
                             r.revised_at.replace(tzinfo=None)])
        for b in sorted(p.batches, key=lambda b: b.imported_at):
            batch_rows.append([*programme_cells(report, p), b.file_name, words(b.kind),
                               b.imported_at.replace(tzinfo=None), b.user, b.rows_created,
                               b.rows_updated, b.rows_rejected, yes_no(b.reverted)])
    return SheetContent("DataQuality", [
        Block("Completeness", cols, rows,
              title=f"Completeness of {q}",
              empty_message="No indicator reported in the last eight quarters."),
        Block("Revisions", rev_cols, rev_rows, title="Corrections to locked quarters",
              empty_message="No corrections to locked quarters."),
        Block("Import_batches", batch_cols, batch_rows, paper=False,
              title="Import batches (on screen, not printed)",
              empty_message="No import batches."),
    ])


# code-list values shown as words (result_level 'outcome_short' as 'outcome short')
_ENUM_FIELDS = {"result_level", "rba_quadrant", "better_off_type", "accountability_type",
                "attribution_claim", "direction", "verification_type", "frequency",
                "coproduction_level"}


def indicator_definitions(report: QuarterlyReport) -> SheetContent:
    """One reference sheet per indicator, field by field as PIRS lays it out: forty fields
    side by side would print too small to read."""
    cols = [*programme_columns(report), Column("Indicator", width=10),
            Column("Field", width=26), Column("Value", "wrap", 80)]
    rows = []
    for p in report.programmes:
        for ind in F.ordered_indicators(p.indicators):
            values = {"code": ind.code, "name": ind.name, **dict(ind.definition_fields)}
            for name, value in values.items():
                if value is None or value == "" or name == "code":
                    continue
                if isinstance(value, bool):
                    value = "yes" if value else "no"
                rows.append([*programme_cells(report, p), ind.code, name.replace("_", " "),
                             words(value) if name in _ENUM_FIELDS else value])
    link_cols = [*programme_columns(report), Column("Output", width=10),
                 Column("Outcome", width=10), Column("Assumption", "wrap", 80),
                 Column("Strength", width=18)]
    link_rows = [[*programme_cells(report, p), lk.output, lk.outcome, lk.assumption,
                  words(lk.strength)]
                 for p in report.programmes for lk in p.links]
    # a reference of forty fields per indicator: on screen and in the programme workbook,
    # not printed (it alone would take a dozen pages)
    return SheetContent("IndicatorDefinitions", paper=False, blocks=[
        Block("Indicator_definitions", cols, rows, title="Indicator reference sheets (PIRS)",
              empty_message="No indicators defined."),
        Block("Result_links", link_cols, link_rows,
              title="Results chain: outputs, the outcomes they should drive, and why",
              empty_message="No result links."),
    ])


def observations_raw(report: QuarterlyReport) -> SheetContent:
    """The quarter's observations in the programme workbook's own columns, so the sheet
    loads back; disaggregated rows under the suppression threshold are withheld."""
    t = report.suppression_threshold
    dims: set[str] = set()
    rows_in: list[tuple[ProgrammeData, Any]] = []
    for p in report.programmes:
        units = {i.code: i.unit for i in p.indicators}
        for raw in p.raw_observations:
            if _withheld(raw, units.get(raw.get("indicator_code") or "", ""), t):
                continue
            dims.update(k for k in raw if k.startswith("dim:"))
            rows_in.append((p, raw))
    headers = [*report.observation_headers, *sorted(dims)]
    cols = [Column(h, "text", 16) for h in headers]
    rows = [[raw.get(h) for h in headers] for _p_, raw in rows_in]
    return SheetContent("Observations_raw", [Block(
        "Observations_raw", cols, rows, title=None,
        empty_message="No observations recorded for this quarter.")], paper=False)


def _withheld(raw: Any, unit: str, threshold: int) -> bool:
    if not any(k.startswith("dim:") and raw.get(k) for k in raw):
        return False
    counts = [raw.get("n_sample"), raw.get("numerator"), raw.get("denominator")]
    if unit == "count":
        counts.append(raw.get("value"))
    return any(F.is_small(c, threshold) for c in counts)
