"""Database rows in workbook terms: codes instead of ids, ``dims`` as a canonical key.

Both the exporter (database -> workbook) and the loader (to tell create from update from
unchanged) work on these header-keyed rows, so the two cannot disagree about what a row is.
The loader's value-gate checks that need the whole picture (the database and the file
together) are here too: the quarters each programme may hold figures for, and the
plausibility warnings of the observations a load would save.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import RowMapping
from sqlalchemy.orm import Session

from coprod_me.model import entities as M
from coprod_me.model.coaching import split_list
from coprod_me.model.disaggregation import parse_dims_key
from coprod_me.model.enums import STANDARD_DIMENSIONS
from coprod_me.model.errors import Cancelled
from coprod_me.model.plausibility import series_warnings
from coprod_me.model.progress import collector_paused
from coprod_me.model.values import QuarterWindow
from coprod_me.queries.workbooks import actor_rows, rows_of_programmes
from coprod_me.risks.definitions import load_checklist_items
from coprod_me.spreadsheets.cells import is_code
from coprod_me.spreadsheets.programme_workbook import ParsedRow, ParsedWorkbook, Problem
from coprod_me.spreadsheets.workbook_format import DIM_PREFIX, SHEETS, SheetSpec

KeyTuple = tuple[Any, ...]

# Sheets without a programme_id column reach their programme through this foreign key.
_PARENT_FK: dict[str, tuple[str, type[Any]]] = {
    "Targets": ("indicator_id", M.Indicator),
    "Observations": ("indicator_id", M.Indicator),
    "ResultLinks": ("from_indicator_id", M.Indicator),
    "CapacityScores": ("assessment_id", M.CapacityAssessment),
    "EvidenceLinks": ("evidence_id", M.Evidence),
    "Narratives": ("indicator_id", M.Indicator),
}
_PARENT_SHEET = {"indicator_id": "Indicators", "from_indicator_id": "Indicators",
                 "assessment_id": "CapacityAssessments", "evidence_id": "Evidence"}


def normalise(value: Any) -> Any:
    """Values as compared between a workbook and the database (Excel keeps whole seconds)."""
    if isinstance(value, datetime):
        return value.replace(microsecond=0)
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def row_key(spec: SheetSpec, values: dict[str, Any], dims: str = "") -> KeyTuple:
    """A row's identity; a blank key cell means the column's default ('' for 'all groups')."""
    key = []
    for h in spec.key:
        if h == "dims":
            key.append(dims)
            continue
        v = values.get(h)
        key.append(spec.by_header[h].default if v is None else v)
    return tuple(key)


@dataclass
class Snapshot:
    """Existing rows of some programmes, sheet by sheet, in workbook terms."""

    rows: dict[str, dict[KeyTuple, dict[str, Any]]] = field(default_factory=dict)
    ids: dict[str, dict[KeyTuple, int]] = field(default_factory=dict)
    locked: set[tuple[str, str]] = field(default_factory=set)  # (programme_code, quarter)


def _stored_rows(session: Session, spec: SheetSpec, programme_ids: list[int],
                 actor_codes: set[str] | None) -> Sequence[RowMapping]:
    """The sheet's table rows that belong to the programmes (or the actors asked for)."""
    if spec.name == "Actors":
        return actor_rows(session, spec.table, actor_codes)
    if spec.name == "Programmes" or "programme_id" in spec.table.c:
        return rows_of_programmes(session, spec.table, programme_ids)
    fk, parent = _PARENT_FK[spec.name]
    return rows_of_programmes(session, spec.table, programme_ids,
                              through=(fk, M.table_of(parent)))


def snapshot(
    session: Session,
    programme_ids: list[int],
    *,
    actor_codes: set[str] | None = None,
    cancelled: Any = None,
) -> Snapshot:
    """Every row of the given programmes (and the actors asked for, or all) in workbook terms."""
    snap = Snapshot()
    code_of: dict[str, dict[int, KeyTuple]] = {}
    dims_by_obs: dict[int, str] = {}
    for spec in SHEETS:
        if cancelled is not None and cancelled():
            raise Cancelled()
        result = _stored_rows(session, spec, programme_ids, actor_codes)
        rows: dict[KeyTuple, dict[str, Any]] = {}
        ids: dict[KeyTuple, int] = {}
        codes: dict[int, KeyTuple] = {}
        parent_fk = _PARENT_FK.get(spec.name, (None, None))[0]
        for r in result:
            values: dict[str, Any] = {}
            for col in spec.columns:
                if col.header == "programme_code" and col.attr == "programme_code":
                    assert parent_fk is not None
                    values["programme_code"] = code_of[_PARENT_SHEET[parent_fk]][r[parent_fk]][0]
                elif col.ref is not None:
                    fk = r[col.attr]
                    values[col.header] = None if fk is None else code_of[col.ref.sheet][fk][-1]
                else:
                    values[col.header] = r[col.attr]
            dk = ""
            if spec.has_dims:
                dk = r["dims_key"]
                for d, c in parse_dims_key(dk).items():
                    values[DIM_PREFIX + d] = c
                dims_by_obs[r["id"]] = dk
            key = row_key(spec, values, dk)
            rows[key] = values
            if "id" in r:
                ids[key] = r["id"]
                codes[r["id"]] = key
        snap.rows[spec.name] = rows
        snap.ids[spec.name] = ids
        code_of[spec.name] = codes
        if spec.name == "ReportingPeriods":
            snap.locked = {(v["programme_code"], v["quarter"]) for v in rows.values()
                           if v["status"] == "locked"}
    return snap



def _sheet_values(snap: Snapshot, parsed: ParsedWorkbook, name: str) -> list[dict[str, Any]]:
    """A sheet's rows as the load leaves them: the stored ones, then the file's over them."""
    rows = dict(snap.rows.get(name, {}))
    sheet = parsed.sheets.get(name)
    for r in sheet.rows if sheet else ():
        rows[r.key] = {**rows.get(r.key, {}), **r.values}
    return list(rows.values())


def programme_windows(snap: Snapshot, parsed: ParsedWorkbook, today: date
                      ) -> dict[str, QuarterWindow]:
    """The quarters each programme may hold figures for, by its dates after the load."""
    return {v["code"]: QuarterWindow.of(v["code"], v.get("start_date"),
                                        v.get("planned_end_date"), today)
            for v in _sheet_values(snap, parsed, "Programmes") if v.get("code")}


def observation_warnings(snap: Snapshot, parsed: ParsedWorkbook, creates: Sequence[ParsedRow],
                         updates: Sequence[tuple[ParsedRow, dict[str, Any]]]) -> list[str]:
    """The observations a load would save (the rows it creates, and the rows it updates with
    the stored values they change) that look unusual next to their series, each said with
    its sheet row."""
    with collector_paused():  # 100,000 small tuples that live until the end: no cycles
        return _observation_warnings(snap, parsed, creates, updates)


def _observation_warnings(snap: Snapshot, parsed: ParsedWorkbook,
                          creates: Sequence[ParsedRow],
                          updates: Sequence[tuple[ParsedRow, dict[str, Any]]]) -> list[str]:
    cumulative = {(v.get("programme_code"), v.get("code"))
                  for v in _sheet_values(snap, parsed, "Indicators") if v.get("is_cumulative")}
    # per series (programme, indicator, strand, dims): (quarter, value, replaced value, row)
    proposed: dict[tuple[Any, ...], list[tuple[Any, ...]]] = defaultdict(list)
    for r in creates:  # the hot loop of a large load: plain code, no call per row
        value = r.values.get("value")
        if value is not None:
            k = r.key
            proposed[(k[0], k[1], k[2], k[4])].append((k[3], value, None, r))
    for r, old in updates:
        value = r.values.get("value")
        if value is not None and "value" in old:
            k = r.key
            proposed[(k[0], k[1], k[2], k[4])].append((k[3], value, old["value"], r))
    if not proposed:
        return []
    series: dict[tuple[Any, ...], dict[str, float]] = defaultdict(dict)
    for k, v in snap.rows.get("Observations", {}).items():
        if (k[0], k[1], k[2], k[4]) in proposed and v.get("value") is not None:
            series[(k[0], k[1], k[2], k[4])][k[3]] = v["value"]
    out: list[tuple[int, str]] = []
    for key, found in proposed.items():
        for i, text in series_warnings(series.get(key, {}), found,
                                       cumulative=key[:2] in cumulative):
            quarter, r = found[i][0], found[i][3]
            at = (f" at {key[2]}" if key[2] else "") + (f" ({key[3]})" if key[3] else "")
            out.append((r.row, f"sheet Observations, row {r.row}, {key[1]} {quarter}{at}: "
                               f"{text}"))
    return [text for _row, text in sorted(out)]


def _declared_dimensions(snap: Snapshot, parsed: ParsedWorkbook) -> set[str]:
    """The group dimensions participation may be counted by: the standard ones, those an
    indicator requires, the observations' breakdowns and those given a population reference
    (the denominator a group is judged against), in the file or the database."""
    declared = set(STANDARD_DIMENSIONS)
    for values in _sheet_values(snap, parsed, "Indicators"):
        declared.update(split_list(values.get("disaggregation_required")))
    for values in _sheet_values(snap, parsed, "PopulationReferences"):
        declared.add(values.get("group_dimension") or "")
    obs = parsed.sheets.get("Observations")
    for r in obs.rows if obs is not None else ():
        declared.update(r.dims)
    for values in snap.rows.get("Observations", {}).values():
        declared.update(h[len(DIM_PREFIX):] for h in values if h.startswith(DIM_PREFIX))
    return declared


_STANDARD = ", ".join(STANDARD_DIMENSIONS)


def undeclared_codes(snap: Snapshot, parsed: ParsedWorkbook, fname: str) -> list[Problem]:
    """One problem for each checklist answer to an item that does not exist, each
    participation group by a dimension nobody declared, and each population reference whose
    dimension is free text rather than a code: each would load and then be skipped by the
    rules."""
    problems: list[Problem] = []
    answers = parsed.sheets.get("ChecklistResponses")
    if answers is not None:
        items = load_checklist_items()
        allowed = ", ".join(_ranges(list(items)))
        for r in answers.rows:
            code = r.values.get("item_code")
            if code is not None and code not in items:
                problems.append(Problem(fname, "ChecklistResponses", r.row, "item_code", code,
                                        f"is not a checklist item; the items are {allowed}"))
    population = parsed.sheets.get("PopulationReferences")
    for r in population.rows if population is not None else ():
        dim = r.values.get("group_dimension")
        if dim and dim not in STANDARD_DIMENSIONS and not is_code(dim):
            problems.append(Problem(
                fname, "PopulationReferences", r.row, "group_dimension", dim,
                f"is not a dimension code; use a standard one ({_STANDARD}) or a code of your "
                "own (lower-case letters, digits and _, e.g. disability_register)"))
    participation = parsed.sheets.get("Participation")
    declared: set[str] | None = None
    for r in participation.rows if participation is not None else ():
        dim = r.values.get("group_dimension")
        if not dim:
            continue
        if declared is None:
            declared = _declared_dimensions(snap, parsed)
        if dim not in declared:
            problems.append(Problem(
                fname, "Participation", r.row, "group_dimension", dim,
                f"is not a declared group dimension; use a standard one ({_STANDARD}), one an "
                "indicator lists in disaggregation_required, a breakdown column of the "
                "observations, or one with a population reference"))
    return problems


def _ranges(codes: list[str]) -> list[str]:
    """Item codes as short runs: CDQ-1..CDQ-7, CLQ-1..CLQ-7, ..."""
    runs: dict[str, list[str]] = defaultdict(list)
    for c in codes:
        runs[c.split("-")[0]].append(c)
    return [f"{v[0]}..{v[-1]}" if len(v) > 1 else v[0] for v in runs.values()]
