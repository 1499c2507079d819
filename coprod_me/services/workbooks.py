"""Loading and exporting programme workbooks: all or nothing, every problem at once.

Loading runs in four steps:
1. parse the file (python-calamine) into typed rows, collecting cell problems;
2. read what the database already holds for the programmes in the file, in workbook terms;
3. check references, duplicates and domain rules (observations pass the value gate: their
   unit's range, quarters that have begun and lie within the programme's life), and
   classify every row as created, updated or unchanged (a row in a locked quarter may only
   be unchanged);
4. if nothing is wrong, list the observations that look unusual next to their series
   (warnings, not problems) and write in one transaction: one ImportBatch (one audit row)
   whose id is on every created row, bulk inserts through Core, and audited ORM updates.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from coprod_me.model import entities as M
from coprod_me.model.coaching import indicator_problems, leads_to
from coprod_me.model.enums import PeriodStatus
from coprod_me.model.errors import Cancelled, DomainError, NotFound, ValidationFailed
from coprod_me.model.progress import IsCancelled, Progress, never, no_progress
from coprod_me.model.validation import field_bounds, observation_problems
from coprod_me.model.values import QuarterWindow
from coprod_me.queries.workbooks import programme_codes_with_ids, programme_ids_with_codes
from coprod_me.services.dhis2_exports import KINDS as DHIS2_KINDS
from coprod_me.services.indicators import keep_target_revision
from coprod_me.services.workbook_rows import (
    KeyTuple,
    Snapshot,
    normalise,
    observation_warnings,
    programme_windows,
    row_key,
    snapshot,
    undeclared_codes,
)
from coprod_me.spreadsheets.programme_workbook import (
    ParsedRow,
    ParsedSheet,
    ParsedWorkbook,
    Problem,
    column_reference_markdown,
    read_workbook,
    write_workbook,
)
from coprod_me.spreadsheets.workbook_format import DIM_PREFIX, SHEETS, SheetSpec
from coprod_me.store.bulk_inserts import bind_processors, insert_columns
from coprod_me.store.session import Store, insert_rows, now

#: Sheets other sheets refer to by code; only their keys and new ids need remembering.
_REFERENCED = {c.ref.sheet for s in SHEETS for c in s.columns if c.ref is not None}

#: Within a row, the first count may not exceed the second.
NOT_ABOVE: dict[str, tuple[tuple[str, str], ...]] = {
    "Observations": (("ci_low", "ci_high"),),  # numerator/denominator: observation_problems
    "Participation": (("continuing_active", "active"), ("completed_tasks", "started_tasks"),
                      ("active", "registered"), ("contributions_online", "contributions")),
    "Feedback": (("complaints_resolved_30d", "complaints_received"),
                 ("proposals_responded_30d", "proposals_received"),
                 ("proposals_adopted", "proposals_received")),
    "Channels": (("opportunities_online_only", "opportunities_total"),),
    "Allocations": (("n_valid_applicants", "n_applicants"),),
    "StaffingRecords": (("hires_with_public_vacancy", "hires_total"),
                        ("hires_with_political_referral", "hires_total")),
    "ProgrammeActors": (("seats_on_decision_body", "total_seats_decision_body"),),
    "Sponsors": (("term_start", "term_end_date"),),
    "Programmes": (("start_date", "planned_end_date"),),
    "FundingSources": (("period_start", "period_end"),),
}


@dataclass
class SheetCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class LoadResult:
    file: str
    sha256: str
    batch_id: int | None
    counts: dict[str, SheetCounts] = field(default_factory=dict)
    programmes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # unusual figures, loaded all the same

    @property
    def created(self) -> int:
        return sum(c.created for c in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.counts.values())

    @property
    def unchanged(self) -> int:
        return sum(c.unchanged for c in self.counts.values())

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file, "sha256": self.sha256, "import_batch_id": self.batch_id,
            "programmes": self.programmes,
            "totals": {"created": self.created, "updated": self.updated,
                       "unchanged": self.unchanged},
            "sheets": {name: vars(c) for name, c in self.counts.items()},
            "warnings": self.warnings,
        }


@dataclass
class _Planned:
    spec: SheetSpec
    creates: list[ParsedRow] = field(default_factory=list)
    updates: list[tuple[ParsedRow, KeyTuple, dict[str, Any]]] = field(default_factory=list)
    unchanged: int = 0


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _bounds(spec: SheetSpec) -> dict[str, tuple[Any, Any]]:
    out = {}
    for col in spec.columns:
        lo, hi = field_bounds(spec.model, col.attr)
        if lo is not None or hi is not None:
            out[col.header] = (lo, hi)
    return out


class WorkbookService:
    """Programme workbooks in and out of the store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # --------------------------------------------------------------------------------- load

    def load(
        self,
        path: Path | str,
        *,
        reason: str | None = None,
        progress: Progress = no_progress,
        cancelled: IsCancelled = never,
        kind: str = "programme_workbook",
    ) -> LoadResult:
        path = Path(path)

        def parse_progress(done: int, total: int, message: str) -> None:
            progress(int(40 * done / max(total, 1)), 100, message)

        parsed = read_workbook(path, progress=parse_progress, cancelled=cancelled)
        progress(40, 100, "Checking against the database")
        problems = list(parsed.problems)
        fname = path.name
        codes = self._programme_codes(parsed)
        with self.store.read() as session:
            programme_ids = programme_ids_with_codes(session, codes)
            snap = snapshot(session, programme_ids, cancelled=cancelled)
        plans = self._check_and_plan(parsed, snap, problems, fname, cancelled)
        if problems:
            raise ValidationFailed(
                [str(p) for p in problems],
                f"{fname}: {len(problems)} problem(s) found; nothing was saved")
        result = LoadResult(fname, file_sha256(path), None, programmes=sorted(codes))
        for plan in plans:
            result.counts[plan.spec.name] = SheetCounts(
                len(plan.creates), len(plan.updates), plan.unchanged)
            if plan.spec.name == "Observations":
                existing = snap.rows.get("Observations", {})
                result.warnings = observation_warnings(snap, parsed, plan.creates, [
                    (r, {h: existing[key].get(h) for h in changed})
                    for r, key, changed in plan.updates])
        if result.created == 0 and result.updated == 0:
            progress(100, 100, "Nothing to change")
            return result
        progress(50, 100, "Saving")
        with self.store.session(reason=reason or f"load {fname}") as session:
            batch = M.ImportBatch(
                kind=kind, file_name=fname, sha256=result.sha256, imported_at=now(),
                user=session.info["user"], rows_created=result.created,
                rows_updated=result.updated, rows_unchanged=result.unchanged,
                counts_json=json.dumps(result.as_json()["sheets"]))
            session.add(batch)
            session.flush()  # the batch's own audit row: the only one for all created rows
            assert batch.id is not None
            session.info["batch_id"] = batch.id
            result.batch_id = batch.id
            self._write(session, plans, snap, batch.id, progress, cancelled,
                        why=reason or f"loaded from {fname}")
        progress(100, 100, "Saved")
        return result

    @staticmethod
    def _programme_codes(parsed: ParsedWorkbook) -> set[str]:
        codes: set[str] = set()
        for sheet in parsed.sheets.values():
            header = "code" if sheet.spec.name == "Programmes" else "programme_code"
            if sheet.spec.name == "Actors":
                continue
            codes.update(r.values[header] for r in sheet.rows if r.values.get(header))
        return codes

    # ------------------------------------------------------------------------ check & plan

    def _check_and_plan(
        self,
        parsed: ParsedWorkbook,
        snap: Snapshot,
        problems: list[Problem],
        fname: str,
        cancelled: IsCancelled,
    ) -> list[_Planned]:
        # Keys every sheet will hold after the load: what exists plus what the file brings.
        known: dict[str, set[KeyTuple]] = {n: set(snap.rows.get(n, {})) for n in _REFERENCED}
        for name, sheet in parsed.sheets.items():
            for r in sheet.rows:
                r.key = row_key(sheet.spec, r.values, r.dims_key)
            if name in known:
                known[name].update(r.key for r in sheet.rows)
        plans = []
        units = _indicator_units(snap, parsed)
        windows = programme_windows(snap, parsed, date.today())
        for spec in SHEETS:
            if cancelled():
                raise Cancelled()
            parsed_sheet = parsed.sheets.get(spec.name)
            plan = _Planned(spec)
            plans.append(plan)
            if parsed_sheet is None:
                continue
            self._check_sheet(parsed_sheet, snap, known, problems, fname, plan,
                              (units, windows))
        self._check_cross_sheet(parsed, snap, problems, fname)
        problems.extend(_dhis2_kind_problems(parsed, fname))
        return plans

    def _check_sheet(
        self,
        sheet: ParsedSheet,
        snap: Snapshot,
        known: dict[str, set[KeyTuple]],
        problems: list[Problem],
        fname: str,
        plan: _Planned,
        gate: tuple[dict[tuple[Any, Any], str], dict[str, QuarterWindow]],
    ) -> None:
        """Check one sheet's rows and classify them into ``plan``; ``gate`` holds the
        indicators' units and the programmes' quarter windows, for the observations."""
        spec = sheet.spec
        name = spec.name
        existing = snap.rows.get(name, {})
        seen: dict[KeyTuple, int] = {}
        refs = [c for c in spec.columns if c.ref is not None and c.header in sheet.headers]
        bounds = _bounds(spec)
        pairs = [(a, b) for a, b in NOT_ABOVE.get(name, ()) if a in sheet.headers
                 and b in sheet.headers]
        compare = list(sheet.headers)
        defaults = {c.header: c.default for c in spec.columns}

        def problem(r: ParsedRow, column: str | None, value: Any, message: str) -> None:
            problems.append(Problem(fname, name, r.row, column, value, message))

        for r in sheet.rows:
            v = r.values
            dk = r.dims_key
            key = r.key
            if key in seen:
                if sheet.unread_breakdowns:  # the header's problem says why they repeat
                    continue
                what = ", ".join(f"{h} {'dims ' + dk if h == 'dims' else repr(v.get(h))}"
                                 for h in spec.key if h != "dims" or dk)
                problem(r, None, None, f"repeats row {seen[key]} (same {what}); keep one row "
                        "or change the codes")
                continue
            seen[key] = r.row
            prog = v.get("programme_code") if name != "Programmes" else v.get("code")
            for col in refs:
                code = v.get(col.header)
                if code is None:
                    continue
                assert col.ref is not None
                target = (prog, code) if col.ref.scoped else (code,)
                if target not in known[col.ref.sheet]:
                    scope = f" of programme {prog}" if col.ref.scoped else ""
                    problem(r, col.header, code,
                            f"is not a code in sheet {col.ref.sheet}{scope} (nor in the "
                            f"database); add that row or correct the code")
            for header, (lo, hi) in bounds.items():
                x = v.get(header)
                if x is None:
                    continue
                if (lo is not None and x < lo) or (hi is not None and x > hi):
                    rng = (f"between {lo} and {hi}" if lo is not None and hi is not None
                           else f"at least {lo}" if lo is not None else f"at most {hi}")
                    problem(r, header, x, f"is out of range; it must be {rng}")
            for a, b in pairs:
                xa, xb = v.get(a), v.get(b)
                if xa is not None and xb is not None and xa > xb:
                    problem(r, a, xa, f"is above its {b} ({_show(xb)}); {a} cannot exceed {b}")
            # classify
            old = existing.get(key)
            if old is None:
                plan.creates.append(r)
                continue
            changed = {}
            for h in compare:
                new = v.get(h)
                if new is None:
                    new = defaults.get(h)
                if normalise(new) != normalise(old.get(h)):
                    changed[h] = new
            if changed:
                plan.updates.append((r, key, changed))
            else:
                plan.unchanged += 1

        if name == "Indicators":
            self._check_indicators(sheet, problem)
        if name == "Observations":
            self._check_observations(sheet, snap, plan, gate, problem)
        if name == "ReportingPeriods":
            for r, _key, changed in plan.updates:
                if (r.values["programme_code"], r.values["quarter"]) in snap.locked and \
                        changed.get("status", PeriodStatus.LOCKED) != PeriodStatus.LOCKED:
                    problem(r, "status", r.values.get("status"),
                            f"quarter {r.values['quarter']} of {r.values['programme_code']} is "
                            "locked in the database; a workbook cannot unlock it. Unlock it "
                            "in the app (with a reason) first")
        if name == "Programmes":
            for r in sheet.rows:
                if r.values.get("tradition_label_override") and not r.values.get(
                        "tradition_label_override_reason"):
                    problem(r, "tradition_label_override_reason", None,
                            "is required when tradition_label_override is set; say why the "
                            "derived label does not fit")

    @staticmethod
    def _check_indicators(sheet: ParsedSheet, problem: Any) -> None:
        fields = {c.header: c.attr for c in sheet.spec.columns}
        for r in sheet.rows:
            ind = M.Indicator(**{fields[h]: val for h, val in r.values.items()
                                 if h in fields and fields[h] in M.Indicator.model_fields
                                 and val is not None})
            if not ind.code:
                continue
            for msg in indicator_problems(ind):
                problem(r, None, None, msg)

    @staticmethod
    def _check_observations(
        sheet: ParsedSheet,
        snap: Snapshot,
        plan: _Planned,
        gate: tuple[dict[tuple[Any, Any], str], dict[str, QuarterWindow]],
        problem: Any,
    ) -> None:
        units, windows = gate
        for r in sheet.rows:
            v = r.values
            unit = units.get((v.get("programme_code"), v.get("indicator_code")))
            if r.bad & {"value", "numerator", "denominator"}:
                continue  # already reported as unreadable; no knock-on complaints
            for column, found, message in observation_problems(
                    unit, v.get("value"), v.get("numerator"), v.get("denominator")):
                problem(r, column, found, message)
            for d, c in r.dims.items():
                if not c.strip():
                    problem(r, DIM_PREFIX + d, c, "is blank; enter a category or leave the "
                            "cell empty")
        for rows, verb in ((plan.creates, "adds an observation to"),
                           ([r for r, _key, _changed in plan.updates],
                            "changes an observation in")):
            _quarter_problems(rows, verb, snap, windows, problem)

    def _check_cross_sheet(self, parsed: ParsedWorkbook, snap: Snapshot,
                           problems: list[Problem], fname: str) -> None:
        problems.extend(undeclared_codes(snap, parsed, fname))
        links = parsed.sheets.get("ResultLinks")
        if links is None:
            return
        edges: dict[tuple[str, str], set[str]] = defaultdict(set)
        for key, row in snap.rows.get("ResultLinks", {}).items():
            edges[(key[0], row["from_indicator_code"])].add(row["to_indicator_code"])
        for r in links.rows:
            p, a, b = (r.values.get(h) for h in ("programme_code", "from_indicator_code",
                                                  "to_indicator_code"))
            if p is None or a is None or b is None:
                continue
            if a == b:
                problems.append(Problem(fname, "ResultLinks", r.row, "to_indicator_code", b,
                                        "links an indicator to itself; link it to another"))
                continue
            def onward(node: str, prog: str = p) -> set[str]:
                return edges.get((prog, node), set())

            if leads_to(onward, b, a):
                problems.append(Problem(fname, "ResultLinks", r.row, "to_indicator_code", b,
                                        f"would make a cycle ({b} already leads to {a}); a "
                                        "results chain runs one way, output to outcome"))
                continue
            edges[(p, a)].add(b)

    # -------------------------------------------------------------------------------- write

    def _write(
        self,
        session: Session,
        plans: Sequence[_Planned],
        snap: Snapshot,
        batch_id: int,
        progress: Progress,
        cancelled: IsCancelled,
        *,
        why: str,
    ) -> None:
        ids: dict[str, dict[KeyTuple, int]] = {n: dict(v) for n, v in snap.ids.items()}
        total = sum(len(p.creates) + len(p.updates) for p in plans) or 1
        done = 0
        user = session.info["user"]
        stamp = now()
        for plan in plans:
            spec = plan.spec
            if cancelled():
                raise Cancelled()
            if not plan.creates and not plan.updates:
                continue
            progress(50 + int(50 * done / total), 100, f"Saving {spec.name}")
            resolve = _resolver(spec, ids)
            if plan.creates:
                insert_sheet_rows = _RowInserter(session, spec, ids, batch_id, user, stamp)
                for start in range(0, len(plan.creates), 20000):
                    if cancelled():
                        raise Cancelled()
                    chunk = plan.creates[start:start + 20000]
                    new_ids = insert_sheet_rows(chunk)
                    if spec.name in _REFERENCED:
                        sheet_ids = ids.setdefault(spec.name, {})
                        for r, new_id in zip(chunk, new_ids, strict=True):
                            sheet_ids[r.key] = new_id
                    if spec.has_dims:
                        insert_rows(session, M.table_of(M.ObservationDim),
                                    ["observation_id", "dimension", "category"],
                                    [(oid, d, c) for r, oid in zip(chunk, new_ids, strict=True)
                                     for d, c in r.dims.items()])
                    done += len(chunk)
                    progress(50 + int(50 * done / total), 100, f"Saving {spec.name}")
            for _r, key, changed in plan.updates:
                obj = session.get(spec.model, ids[spec.name][key])
                assert obj is not None
                if isinstance(obj, M.Target) and "value" in changed:
                    keep_target_revision(session, obj, changed["value"], why)
                for attr, value in resolve(changed).items():
                    setattr(obj, attr, value)
                done += 1
            if plan.updates:
                session.flush()  # audited field by field, with this batch's id

    # ------------------------------------------------------------------------------- export

    def export(
        self,
        programme_codes: Sequence[str],
        path: Path | str,
        *,
        progress: Progress = no_progress,
        cancelled: IsCancelled = never,
    ) -> Path:
        with self.store.read() as session:
            ids = programme_ids_with_codes(session, set(programme_codes))
            found = programme_codes_with_ids(session, ids)
            missing = [c for c in programme_codes if c not in found]
            if missing:
                raise NotFound(f"no programme with code {', '.join(missing)}; "
                               "'coprod-me list' shows the codes")
            snap = snapshot(session, ids, cancelled=cancelled)
        rows = {name: list(r.values()) for name, r in snap.rows.items()}
        rows["Actors"] = _referenced_actors(rows)
        return write_workbook(path, rows, title=f"Programme workbook: {', '.join(programme_codes)}",
                              progress=progress, cancelled=cancelled)

    @staticmethod
    def format_reference() -> str:
        """The column-by-column reference of the format, as Markdown."""
        return column_reference_markdown()

    @staticmethod
    def template(path: Path | str) -> Path:
        return write_workbook(path, {}, title="coprod-me programme workbook template")


# ------------------------------------------------------------------------------------------


def _show(x: Any) -> str:
    return str(int(x)) if isinstance(x, float) and x.is_integer() else str(x)


def _indicator_units(snap: Snapshot, parsed: ParsedWorkbook) -> dict[tuple[Any, Any], str]:
    units = {(k[0], k[1]): row["unit"] for k, row in snap.rows.get("Indicators", {}).items()}
    sheet = parsed.sheets.get("Indicators")
    for r in sheet.rows if sheet else ():
        if r.values.get("unit"):
            units[(r.values.get("programme_code"), r.values.get("code"))] = r.values["unit"]
    return units


def _quarter_problems(rows: list[ParsedRow], verb: str, snap: Snapshot,
                      windows: dict[str, QuarterWindow], problem: Any) -> None:
    """Rows that add or change an observation in a locked quarter, or in one that has not
    begun or lies outside the programme's life. Each (programme, quarter) is judged once,
    and the rows are gone through again only when one is wrong."""
    verdicts: dict[tuple[Any, Any], list[str]] = {}
    for p, q in set(map(_PROGRAMME_QUARTER, map(_KEY, rows))):
        found = []
        if (p, q) in snap.locked:
            found.append(f"{verb} quarter {q} of {p}, which is locked; unlock the quarter in "
                         "the app (with a reason) or record a correction there")
        window = windows.get(p or "")
        wrong = None if window is None or q is None else window.problem(q)
        if wrong is not None:
            found.append(wrong)
        if found:
            verdicts[(p, q)] = found
    if not verdicts:
        return
    for r in rows:
        for message in verdicts.get(_PROGRAMME_QUARTER(r.key), ()):
            problem(r, "period", r.key[3], message)


#: A parsed observation's key is (programme, indicator, strand, quarter, dims).
_KEY = attrgetter("key")
_PROGRAMME_QUARTER = itemgetter(0, 3)


def _resolver(spec: SheetSpec, ids: dict[str, dict[KeyTuple, int]]) -> Any:
    """Header-keyed values -> model attributes, codes replaced by ids."""
    cols = spec.by_header
    has_programme_id = "programme_id" in spec.table.c

    def resolve(values: dict[str, Any]) -> dict[str, Any]:
        prog = values.get("programme_code") if spec.name != "Programmes" else values.get("code")
        out: dict[str, Any] = {}
        for h, val in values.items():
            col = cols.get(h)
            if col is None:
                continue
            if col.ref is None:
                out[col.attr] = val if val is not None else col.default
                continue
            if col.attr == "programme_code" and not has_programme_id:
                continue
            if val is None:
                out[col.attr] = None
                continue
            target = (prog, val) if col.ref.scoped else (val,)
            try:
                out[col.attr] = ids[col.ref.sheet][target]
            except KeyError:
                raise DomainError(f"internal: {col.ref.sheet} {target} has no id") from None
        return out

    return resolve


class _RowInserter:
    """Inserts parsed rows of one sheet, codes resolved to ids, values bound once per column
    (``store.bulk_inserts`` writes them and assigns the ids)."""

    def __init__(self, session: Session, spec: SheetSpec, ids: dict[str, dict[KeyTuple, int]],
                 batch_id: int, user: str, stamp: Any) -> None:
        self.session = session
        self.table = spec.table
        self.spec = spec
        processors = bind_processors(session, self.table)
        by_attr = {c.attr: c for c in spec.columns}
        defaults = _insert_defaults(spec)
        prog_header = "code" if spec.name == "Programmes" else "programme_code"
        # one getter per table column: (kind, a, b, processor)
        self.names: list[str] = []
        self.getters: list[tuple[str, Any, Any, Any]] = []
        for col in self.table.c:
            proc = processors[col.name]
            name = col.name
            if name == "id":
                continue
            self.names.append(name)
            const = {"import_batch_id": batch_id, "entered_by": user, "entered_at": stamp}
            if name in const and (name == "import_batch_id" or spec.has_dims):
                v = const[name]
                self.getters.append(("const", proc(v) if proc else v, None, None))
            elif name == "dims_key":
                self.getters.append(("dims", None, None, None))
            elif name in by_attr and by_attr[name].ref is not None:
                c = by_attr[name]
                assert c.ref is not None
                self.getters.append(("ref", c.header, (ids, c.ref.sheet, c.ref.scoped,
                                                       prog_header), None))
            elif name in by_attr:
                c = by_attr[name]
                default = c.default if c.default is not None else defaults.get(name)
                self.getters.append(("value", c.header, default, proc))
            else:
                v = defaults.get(name)
                self.getters.append(("const", proc(v) if proc and v is not None else v, None,
                                     None))

    def _columns(self, chunk: list[ParsedRow]) -> list[list[Any]]:
        """The chunk column by column: list comprehensions, not a branch per cell."""
        vals = [r.values for r in chunk]
        n = len(chunk)
        cols: list[list[Any]] = []
        for kind, a, b, proc in self.getters:
            if kind == "value":
                col = [v.get(a) for v in vals]
                if b is not None:
                    col = [b if x is None else x for x in col]
                if proc is not None:
                    col = [None if x is None else proc(x) for x in col]
            elif kind == "const":
                col = [a] * n
            elif kind == "dims":
                col = [r.dims_key for r in chunk]
            else:
                ids, sheet, scoped, prog_header = b
                sheet_ids = ids.get(sheet, {})
                codes = [v.get(a) for v in vals]
                keys = ([(v.get(prog_header), c) for v, c in zip(vals, codes, strict=True)]
                        if scoped else [(c,) for c in codes])
                try:
                    col = [None if c is None else sheet_ids[k]
                           for c, k in zip(codes, keys, strict=True)]
                except KeyError as exc:
                    raise DomainError(f"internal: {sheet} {exc} has no id") from None
            cols.append(col)
        return cols

    def __call__(self, chunk: list[ParsedRow]) -> list[int]:
        return insert_columns(self.session, self.table, self.names, self._columns(chunk))


def _insert_defaults(spec: SheetSpec) -> dict[str, Any]:
    """Core inserts need every column in every record; model defaults fill the gaps."""
    out: dict[str, Any] = {}
    for col in spec.table.c:
        if col.name == "id":
            continue
        f = spec.model.model_fields.get(col.name)
        default = None
        if f is not None and f.default is not None and repr(f.default) != "PydanticUndefined":
            default = f.default
        out[col.name] = default
    return out


def _referenced_actors(rows: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    wanted: set[str] = set()
    for name, sheet_rows in rows.items():
        if name == "Actors":
            continue
        for r in sheet_rows:
            for h, v in r.items():
                if v is not None and h.endswith("actor_code"):
                    wanted.add(v)
    return [a for a in rows.get("Actors", []) if a["code"] in wanted]


__all__ = ["LoadResult", "SheetCounts", "WorkbookService"]


def _dhis2_kind_problems(parsed: ParsedWorkbook, fname: str) -> list[Problem]:
    """Dhis2Mappings rows of a kind the DHIS2 export does not know."""
    sheet = parsed.sheets.get("Dhis2Mappings")
    return [Problem(fname, "Dhis2Mappings", r.row, "kind", r.values.get("kind"),
                    "must be one of: " + ", ".join(DHIS2_KINDS))
            for r in (sheet.rows if sheet else []) if r.values.get("kind") not in DHIS2_KINDS]
