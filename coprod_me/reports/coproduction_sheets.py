"""The sheets on whether the co-production lasts: Participation (with its charts), Capacity
and Sustainability (funding runway, sponsors, institutionalisation).

Pure: the read model in, ``SheetContent`` out.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from coprod_me.model.quarter import Quarter
from coprod_me.reports import quarterly_figures as F
from coprod_me.reports.quarterly_model import ProgrammeData, QuarterlyReport
from coprod_me.reports.sheet_content import (
    COUNT,
    MONEY,
    PCT,
    RATIO,
    Block,
    ChartSpec,
    Column,
    Num,
    SeriesSpec,
    SheetContent,
    programme_cells,
    programme_columns,
    strand_label,
    words,
    yes_no,
)


def participation(report: QuarterlyReport) -> SheetContent:
    q = report.quarter
    quarters = F.window(q)
    t = report.suppression_threshold
    small = F.small_label(t)
    cols = [*programme_columns(report), Column("Strand", width=10), Column("Phase", width=16),
            Column("Group", width=30), Column("Quarter", width=9),
            Column("Registered", "number", 10, COUNT), Column("Active", "number", 9, COUNT),
            Column("New", "number", 8, COUNT), Column("Continuing", "number", 10, COUNT),
            Column("Exited", "number", 8, COUNT), Column("Retention (%)", "number", 10, PCT),
            Column("Representation ratio", "gap", 15, RATIO),
            Column("Share of peak active (%)", "number", 12, PCT, paper=False),
            Column("Task completion (%)", "number", 11, PCT)]
    rows: list[list[Any]] = []
    # on paper: this quarter's line per strand, phase and group; the history on screen
    paper_cols = [c for c in cols if c.header != "Quarter"]
    paper_cols[len(cols) - 13] = Column("Strand", "wrap", 20)
    paper_rows: list[list[Any]] = []
    charts: list[ChartSpec] = []
    for p in report.programmes:
        recs = {(r.strand, r.phase, r.group_dimension, r.group_category, r.period): r
                for r in p.participation if r.period <= q}
        pop: dict[tuple[str | None, str, str], float] = {}
        for ref in sorted(p.population, key=lambda ref: ref.year):
            if ref.year <= Quarter.parse(q).year:  # the latest count up to the report year
                pop[(ref.strand, ref.group_dimension, ref.group_category)] = ref.count
        peak: dict[tuple[Any, ...], int] = defaultdict(int)
        for rec_key, rec in recs.items():
            peak[rec_key[:4]] = max(peak[rec_key[:4]], rec.active or 0)
        keys = sorted({k[:4] for k in recs if k[4] in quarters},
                      key=lambda k: (F.strand_sort(k[0]), k[1] or "", k[2] != "", k[2],
                                     F.natural(k[3])))
        for key in keys:
            strand, phase, gdim, gcat = key
            grouped = gdim != ""
            for x in quarters:
                r = recs.get((*key, x))
                if r is None:
                    continue
                prev = recs.get((*key, str(Quarter.parse(x).previous())))
                counts = (r.registered, r.active, r.new, r.continuing_active, r.exited)
                hide = grouped and any(F.is_small(c, t) for c in counts)
                retention = (100.0 * r.continuing_active / prev.active
                             if r.continuing_active is not None and prev and prev.active
                             else None)
                rr = None
                everyone = recs.get((strand, phase, "", "", x))
                share_pop = _pop_share(pop, strand, gdim, gcat)
                if grouped and everyone and everyone.active and r.active is not None \
                        and share_pop:
                    rr = (r.active / everyone.active) / share_pop
                decay = 100.0 * r.active / peak[key] if r.active is not None and peak[key] \
                    else None
                completion = (100.0 * r.completed_tasks / r.started_tasks
                              if r.completed_tasks is not None and r.started_tasks else None)
                if hide:
                    shown = [small if F.is_small(c, t) else c for c in counts]
                    retention = rr = decay = completion = None
                else:
                    shown = list(counts)
                rows.append([*programme_cells(report, p), strand or "programme", words(phase),
                             f"{gdim}: {gcat}" if grouped else "all participants", x,
                             *shown, retention, rr, decay, completion])
                # on paper a group shows when it is under-represented [REG] or withheld
                if x == q and (not grouped or hide or (rr is not None and rr < 0.8)):
                    paper_rows.append([*programme_cells(report, p), strand_label(p, strand),
                                       *rows[-1][len(cols) - 12:len(cols) - 10],
                                       *rows[-1][len(cols) - 9:]])
        charts += _participation_charts(p, recs, quarters)
    return SheetContent("Participation", [
        Block("Participation_this_quarter", paper_cols, paper_rows,
              title=f"Co-production health, {q}: all participants, and the groups "
                    "represented below 0.80 of their population share",
              empty_message="No participation records for this quarter."),
        Block("Participation", cols, rows, paper=False,
              title=f"Co-production health, {quarters[0]} to {q} (on screen, not printed)",
              empty_message="No participation records for these quarters.")], charts,
        chart_note="Active participants (bars) and retention (lines, right axis) by phase")


def _pop_share(pop: dict[tuple[str | None, str, str], float], strand: str | None, gdim: str,
               gcat: str) -> float | None:
    for s in (strand, None):
        g, total = pop.get((s, gdim, gcat)), pop.get((s, "", ""))
        if g is not None and total:
            return g / total
    return None


def _participation_charts(p: ProgrammeData, recs: dict[tuple[Any, ...], Any],
                          quarters: list[str]) -> list[ChartSpec]:
    charts = []
    strands = sorted({k[0] for k in recs if k[2] == "" and k[4] in quarters},
                     key=F.strand_sort)
    for strand in strands:
        phases = sorted({k[1] or "" for k in recs if k[0] == strand and k[2] == ""
                         and k[4] in quarters})
        series: list[SeriesSpec] = []
        for ph in phases:
            active = tuple(float(r.active) if (r := recs.get((strand, ph or None, "", "", x)))
                           and r.active is not None else None for x in quarters)
            series.append(SeriesSpec(f"active: {words(ph) or 'all'}", active, "bar"))
        for ph in phases:
            ret: list[float | None] = []
            for x in quarters:
                r = recs.get((strand, ph or None, "", "", x))
                prev = recs.get((strand, ph or None, "", "", str(Quarter.parse(x).previous())))
                ret.append(100.0 * r.continuing_active / prev.active
                           if r and r.continuing_active is not None and prev and prev.active
                           else None)
            if any(v is not None for v in ret):
                series.append(SeriesSpec(f"retention %: {words(ph) or 'all'}", tuple(ret),
                                         "line", secondary=True))
        charts.append(ChartSpec(
            f"{p.code}-{strand or 'programme'}-participation",
            "Participation and retention, "
            + (strand_label(p, strand) if strand else "programme level"),
            "active participants",
            tuple(quarters), tuple(series), COUNT, y2_title="retention (%)"))
    return charts


# capacity cells in the framework's reading order
_LEVELS = {"individual": 0, "organizational": 1, "systemic": 2}
_COMPETENCES = {"analytical": 0, "operational": 1, "political": 2}


def capacity(report: QuarterlyReport) -> SheetContent:
    cols = [*programme_columns(report), Column("Assessment", width=16),
            Column("Scope", width=13), Column("Actor", width=20), Column("Assessed on", width=11),
            Column("Method", width=14), Column("Level", width=14), Column("Competence", width=12),
            Column("Score (0–4)", "score", 8), Column("Change since previous", "change", 10),
            Column("Descriptor", width=10), Column("Justification", "wrap", 60)]
    rows = []
    for p in report.programmes:
        for c in sorted(p.capacity, key=lambda c: (c.actor_scope, c.assessment,
                                                   _LEVELS.get(c.level, 9),
                                                   _COMPETENCES.get(c.competence, 9))):
            rows.append([*programme_cells(report, p), c.assessment, words(c.actor_scope), c.actor,
                         c.assessed_on, words(c.method), c.level, c.competence, c.score,
                         Num(c.score - c.previous_score, "+0;-0;0")
                         if c.previous_score is not None else None, c.descriptor, c.notes])
    return SheetContent("Capacity", [
        _capacity_grid(report),
        Block("Capacity", cols, rows, paper=False,
              title="Capacity cell by cell, with the justification of each score (on screen, "
                    "not printed)",
              empty_message="No capacity assessment recorded.")])


def _capacity_grid(report: QuarterlyReport) -> Block:
    """On paper: one row per assessment, its nine scores side by side (the heat-map)."""
    cells = [(lv, cp) for lv in _LEVELS for cp in _COMPETENCES]
    short = {"individual": "Indiv.", "organizational": "Org.", "systemic": "Syst."}
    cols = [*programme_columns(report), Column("Actor", "wrap", 22),
            Column("Scope", "wrap", 11), Column("Assessed on", width=10),
            *[Column(f"{short[lv]} {cp}", "score", 10, "0") for lv, cp in cells]]
    rows = []
    for p in report.programmes:
        by_assessment: dict[tuple[Any, ...], dict[tuple[str, str], int]] = defaultdict(dict)
        for c in p.capacity:
            by_assessment[(c.actor_scope, c.assessment, c.actor, c.assessed_on)][
                (c.level, c.competence)] = c.score
        for (scope, _a, actor, on), scores in sorted(by_assessment.items(),
                                                     key=lambda kv: kv[0][:2]):
            rows.append([*programme_cells(report, p), actor, words(scope), on,
                         *[scores.get(cell) for cell in cells]])
    return Block("Capacity_scores", cols, rows,
                 title="Capacity: 3 levels (individual, organisational, systemic) × 3 "
                       "competences, scored 0 absent to 4 strong",
                 empty_message="No capacity assessment recorded.")


def sustainability(report: QuarterlyReport) -> SheetContent:
    q = report.quarter
    pc = programme_columns(report)
    run_cols = [*pc, Column("Strand", width=10), Column("Quarter", width=9),
                Column("Spend in quarter", "number", 13, MONEY),
                Column("Spend, last 4 quarters", "number", 14, MONEY),
                Column("Committed, next 4 quarters", "number", 14, MONEY),
                Column("Runway (%)", "number", 10, PCT), Column("RAG", "rag", 9)]
    run_rows = []
    # on paper: the quarter's runway by strand; the eight quarters are drawn in the charts
    now_cols = [*pc, Column("Strand", "wrap", 18), *run_cols[len(pc) + 1:]]
    now_rows = []
    fund_cols = [*pc, Column("Source", width=18), Column("Name", "wrap", 22, paper=False),
                 Column("Strand", width=19), Column("Type", "wrap", 16),
                 Column("Funder", "wrap", 20), Column("Sponsor", width=14, paper=False),
                 Column("Committed", "number", 12, MONEY), Column("From", width=11),
                 Column("To", width=11), Column("Renewable", width=9),
                 Column("Renewal decision", width=11)]
    fund_rows = []
    now_funds = []  # on paper: the sources that fund this quarter or later
    sp_cols = [*pc, Column("Sponsor", width=16), Column("Strand", width=10, paper=False),
               Column("Office", "wrap", 30), Column("Party", width=12),
               Column("Term ends", width=11), Column("Next election", width=11),
               Column("Months to term end", "number", 10, "0"),
               Column("Commitment beyond term", width=11)]
    sp_rows = []
    st_cols = [*pc, Column("Where", width=19), Column("Institutional status", "wrap", 26),
               Column("Transition plan approved", width=11), Column("Ends", width=11)]
    st_rows = []
    charts = []
    end = Quarter.parse(q).end
    for p in report.programmes:
        cur = p.currency or ""
        rw = F.runway(p, q)
        for r in rw:
            run_rows.append([*programme_cells(report, p), r.strand or "programme", r.quarter,
                             r.spend, r.trailing_spend, r.committed_ahead, r.percent, r.rag])
            if r.quarter == q:
                now_rows.append([*programme_cells(report, p), strand_label(p, r.strand),
                                 *run_rows[-1][len(pc) + 1:]])
        for strand in sorted({r.strand for r in rw}, key=F.strand_sort):
            mine = {r.quarter: r for r in rw if r.strand == strand}
            qs = tuple(F.window(q))
            charts.append(ChartSpec(
                f"{p.code}-{strand or 'programme'}-funding-runway",
                f"Funding runway, {strand_label(p, strand) if strand else 'programme level'}",
                f"amount {cur}".strip(), qs,
                (SeriesSpec("spend, last 4 quarters",
                            tuple(mine[x].trailing_spend if x in mine else None for x in qs),
                            "bar"),
                 SeriesSpec("committed, next 4 quarters",
                            tuple(mine[x].committed_ahead if x in mine else None for x in qs),
                            "bar"),
                 SeriesSpec("runway %", tuple(mine[x].percent if x in mine else None
                                              for x in qs), "line", secondary=True)),
                MONEY, y2_title="runway (%)"))
        for f in sorted(p.funding, key=lambda f: (F.strand_sort(f.strand), f.code)):
            fund_rows.append([*programme_cells(report, p), f.code, f.name,
                              strand_label(p, f.strand),
                              words(f.type), f.funder, f.sponsor, f.committed_amount,
                              f.period_start, f.period_end, yes_no(f.is_renewable),
                              f.renewal_decision_date])
            if f.period_end is None or str(f.period_end)[:10] >= str(Quarter.parse(q).start):
                now_funds.append(fund_rows[-1])
        for s in sorted(p.sponsors, key=lambda s: s.code):
            months = None
            if s.term_end_date is not None:
                months = (s.term_end_date.year - end.year) * 12 + (s.term_end_date.month
                                                                    - end.month)
            where = strand_label(p, s.strand) if s.strand else "programme"
            sp_rows.append([*programme_cells(report, p), s.code, where, s.office_title,
                            s.party, s.term_end_date, s.next_election_date, months,
                            yes_no(s.commitment_beyond_term)])
        st_rows.append([*programme_cells(report, p), f"{p.code} (programme)",
                        words(p.institutional_status), yes_no(p.transition_plan_approved),
                        p.planned_end_date])
        for st in p.strands:
            if st.institutional_status or st.end_date:
                st_rows.append([*programme_cells(report, p), strand_label(p, st.code),
                                words(st.institutional_status), yes_no(st.transition_plan_approved),
                                st.end_date])
    return SheetContent("Sustainability", [
        Block("Funding_runway_now", now_cols, now_rows, title=f"Funding runway, {q} [CONV]",
              empty_message="No spending or funding recorded for this quarter."),
        Block("Funding_runway", run_cols, run_rows, paper=False,
              title="Funding runway, eight quarters (on screen, not printed) [CONV]",
              empty_message="No spending or funding recorded."),
        Block("Funding_sources_now", fund_cols,
              now_funds, title=f"Funding sources for {q} and later",
              empty_message="No funding source runs into this quarter."),
        Block("Funding_sources", fund_cols, fund_rows, title="Every funding source (on "
                                                              "screen, not printed)",
              paper=False, empty_message="No funding sources recorded."),
        Block("Sponsors", sp_cols, sp_rows, title="Political sponsors and their terms",
              empty_message="No political sponsors recorded."),
        Block("Institutional_status", st_cols, st_rows, title="Institutionalisation"),
    ], charts, chart_note="Funding runway by strand; on screen, not printed",
        # a page of its own on paper, where the runway table above gives the same months
        # by strand: the body of a report stays within fifteen pages
        charts_on_paper=False)
