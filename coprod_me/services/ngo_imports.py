"""Importing NGO spreadsheets of any shape: read, map, preview, commit, undo.

1. ``open`` reads one sheet (python-calamine or CSV), finds its header and suggests a mapping:
   a saved mapping whose header signature matches is applied automatically.
2. ``preview`` turns every row (every value of a wide row) into a new / update / unchanged /
   skipped / rejected record, with every problem phrased as where, what and how to fix.
3. ``commit`` plans again inside the write transaction (so what is saved is what the database
   holds at that moment) and writes one ImportBatch whose id is on every created observation;
   updated observations are audited field by field under that batch. Cancel rolls back.
4. ``undo`` puts a whole batch back (created rows deleted, updated rows restored from the
   audit log) until one of its quarters is locked.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import delete, func
from sqlmodel import Session, select

from coprod_me.model import entities as M
from coprod_me.model.disaggregation import dims_key
from coprod_me.model.enums import (
    DataLabel,
    PeriodStatus,
    QualityStatus,
    RbaQuadrant,
    ResultLevel,
    Unit,
    VerificationType,
)
from coprod_me.model.errors import Cancelled, DomainError, LockedPeriod, NotFound, ValidationFailed
from coprod_me.model.progress import (
    IsCancelled,
    Progress,
    collector_paused,
    never,
    no_progress,
)
from coprod_me.model.validation import check_code, field_bounds, observation_problems
from coprod_me.queries.programmes import get_programme
from coprod_me.services.indicators import IndicatorService
from coprod_me.services.workbooks import file_sha256
from coprod_me.spreadsheets import cells
from coprod_me.spreadsheets.ngo_shape import (
    DIM_PREFIX,
    FIGURES,
    Shape,
    SourceCell,
    SourceRecord,
    find_shape,
    header_signature,
    is_empty_row,
    long_columns,
    mapping_problems,
    sex_category,
    suggest_mapping,
    unpivot,
)

# The wizard (gui) reaches the mapping types through this service, never the spreadsheet layer.
from coprod_me.spreadsheets.ngo_shape import FIELDS as FIELDS
from coprod_me.spreadsheets.ngo_shape import ColumnMapping as ColumnMapping
from coprod_me.spreadsheets.ngo_shape import Target as Target
from coprod_me.spreadsheets.ngo_source import (
    TEXT_SUFFIXES,
    WORKBOOK_SUFFIXES,
    Grid,
    check_file,
    read_grid,
    sheet_names,
)
from coprod_me.spreadsheets.ngo_values import (
    code_key,
    decimal_mark,
    fold,
    is_missing,
    read_phase,
    read_quarter,
    short,
)
from coprod_me.store.session import Store, audit_text, insert_rows, now

KIND = "ngo_spreadsheet"

NEW, UPDATE, UNCHANGED, SKIPPED, REJECTED = "new", "update", "unchanged", "skipped", "rejected"
STATUSES = (NEW, UPDATE, UNCHANGED, SKIPPED, REJECTED)

#: Observation fields an import may set, besides the ones that identify it.
_SETTABLE = ("phase", "value", "numerator", "denominator", "n_sample", "ci_low", "ci_high",
             "quality_status", "verification_type", "data_source", "collection_method",
             "evidence_id", "comment", "data_label")
_ENUMS: dict[str, Any] = {"quality_status": QualityStatus,
                          "verification_type": VerificationType, "data_label": DataLabel}
_TEXTS = ("data_source", "collection_method", "comment")
_PERCENT_FIELDS = ("value", "ci_low", "ci_high")
_PLAIN_FIGURES = frozenset(("value", "numerator", "denominator", "ci_low", "ci_high"))
_OBS = M.table_of(M.Observation)
_DIM = M.table_of(M.ObservationDim)

UpdateChoice = Literal["update", "skip", "reject"]
DuplicateChoice = Literal["first", "last", "reject"]


@dataclass(frozen=True)
class Choices:
    """What happens to rows that change a stored value, and to rows repeated in the file.

    ``updates``: update (the file wins), skip (the database keeps its value) or reject.
    ``duplicates``: first or last of the repeated rows wins, or reject them all.
    """

    updates: UpdateChoice = "update"
    duplicates: DuplicateChoice = "reject"

    @classmethod
    def from_cli(cls, on_duplicate: str | None) -> Choices:
        """``--on-duplicate skip|update|error`` governs both kinds of duplicate."""
        if on_duplicate is None:
            return cls()
        return {"skip": cls("skip", "first"), "update": cls("update", "last"),
                "error": cls("reject", "reject")}[on_duplicate]


@dataclass(frozen=True)
class RowProblem:
    """One problem with one cell or row, phrased for the sender: where, what, how to fix."""

    file: str
    sheet: str
    row: int  # as the spreadsheet numbers rows
    column: str | None  # the column's header (or letter)
    value: Any
    reason: str
    cell: str | None = None  # A1 reference when a cell is meant

    def as_json(self) -> dict[str, Any]:
        v = self.value
        if isinstance(v, (date, datetime)):
            v = v.isoformat()
        elif isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
            v = str(v)
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "value": v,
                "reason": self.reason}

    def __str__(self) -> str:
        where = [self.file, f"sheet {self.sheet}", f"row {self.row}"]
        if self.column:
            where.append(f"column '{self.column}'" + (f" ({self.cell})" if self.cell else ""))
        found = "" if self.value is None or self.value == "" else f"'{short(self.value)}' "
        return f"{', '.join(where)}: {found}{self.reason}"


@dataclass(slots=True)
class PreviewRow:
    """One observation the file states, and what committing would do with it."""

    row: int  # 1-based sheet row
    cell: str | None  # the figure's cell (a wide row states several observations)
    indicator: str | None
    period: str | None
    strand: str | None
    dims: dict[str, str]
    values: dict[str, Any]  # field -> typed value (codes resolved later)
    status: str = NEW
    problems: list[RowProblem] = field(default_factory=list)
    note: str = ""
    previous: dict[str, Any] = field(default_factory=dict)  # stored values an update replaces
    # internal: resolved ids
    indicator_id: int | None = None
    strand_id: int | None = None
    existing_id: int | None = None
    dims_text: str | None = None  # internal: dims_key(dims), once known

    @property
    def key(self) -> tuple[Any, ...]:
        text = self.dims_text
        if text is None:
            text = self.dims_text = dims_key(self.dims)
        return (self.indicator_id, self.period, self.strand_id, text)

    def describe(self) -> str:
        return "; ".join(p.reason for p in self.problems) or self.note


@dataclass(frozen=True)
class UnknownIndicator:
    code: str
    name: str
    first_row: int
    unit: str  # guessed from the cells: percent when they carry a % sign or format


@dataclass
class ImportDraft:
    """A sheet read and understood: what the wizard shows on its mapping page."""

    path: Path
    programme_code: str
    sheets: list[str]
    sheet: str
    grid: Grid
    shape: Shape
    mapping: ColumnMapping
    mapping_name: str | None  # the saved mapping applied, if any
    signature: str
    sha256: str

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def column_keys(self) -> list[str]:
        return self.shape.column_keys()

    def samples(self, key: str, n: int = 3) -> list[str]:
        """The first values of a column, for the mapping table."""
        col = self.column_keys.index(key)
        out = []
        for r in range(self.shape.first_data_row, self.grid.row0 + len(self.grid.rows)):
            v = self.grid.cell(r, col)
            if not cells.is_blank(v):
                out.append(short(v, 24))
            if len(out) >= n:
                break
        return out

    @staticmethod
    def targets() -> list[str]:
        """Plain targets a column can be given (header constants come from suggestions)."""
        return [*FIELDS, *(f"{DIM_PREFIX}{d}" for d in ("sex", "age_band", "disability_wgss",
                                                         "locality", "social_group",
                                                         "income_quintile", "channel",
                                                         "provider"))]


@dataclass
class Preview:
    draft: ImportDraft
    mapping: ColumnMapping
    choices: Choices
    rows: list[PreviewRow]
    unknown_indicators: dict[str, UnknownIndicator] = field(default_factory=dict)
    unknown_strands: dict[str, int] = field(default_factory=dict)  # text -> first row

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(map(attrgetter("status"), self.rows))
        return {s: found[s] for s in STATUSES}

    @property
    def problems(self) -> list[RowProblem]:
        return [p for r in self.rows if r.status == REJECTED for p in r.problems]


@dataclass
class ImportResult:
    file: str
    sheet: str
    programme_code: str
    batch_id: int | None
    imported: int
    updated: int
    unchanged: int
    skipped: int
    rejected: int
    errors: list[RowProblem]
    saved: bool
    errors_file: Path | None = None
    preview: Preview | None = field(default=None, repr=False)  # what was planned, row by row

    def as_json(self) -> dict[str, Any]:
        return {"imported": self.imported, "updated": self.updated,
                "unchanged": self.unchanged, "rejected": self.rejected, "batch": self.batch_id,
                "errors": [p.as_json() for p in self.errors], "skipped": self.skipped,
                "saved": self.saved, "file": self.file, "sheet": self.sheet,
                "programme": self.programme_code}


@dataclass(frozen=True)
class UndoResult:
    batch_id: int
    deleted: int
    restored: int


@dataclass(frozen=True)
class SavedMapping:
    name: str
    programme_code: str | None
    header_signature: str
    mapping: ColumnMapping
    updated_at: datetime


@dataclass(frozen=True)
class BatchView:
    id: int
    kind: str
    file_name: str
    sheet: str | None
    programme_code: str | None
    imported_at: datetime
    user: str
    created: int
    updated: int
    unchanged: int
    rejected: int
    reverted_at: datetime | None


# ---------------------------------------------------------------------------------- lookups


@dataclass
class _Lookups:
    """The programme as the import needs it, read once per plan."""

    programme: M.Programme
    indicators: dict[str, M.Indicator]  # code, code key and folded name -> indicator
    strands: dict[str, int]  # code, code key and folded name -> id
    strand_codes: dict[int, str]
    evidence: dict[str, int]
    locked: set[str]
    existing: dict[tuple[Any, ...], tuple[Any, ...]]  # key -> (id, *_SETTABLE values)


def _lookups(s: Session, programme_code: str, cancelled: IsCancelled) -> _Lookups:
    p = get_programme(s, programme_code)
    inds: dict[str, M.Indicator] = {}
    rows = list(s.scalars(select(M.Indicator).where(M.Indicator.programme_id == p.id)))
    for ind in rows:  # codes win over names: set names first, codes after
        inds.setdefault(fold(ind.name), ind)
    for ind in rows:
        inds[code_key(ind.code)] = ind
        inds[ind.code] = ind
    strands: dict[str, int] = {}
    codes: dict[int, str] = {}
    st_rows = list(s.scalars(select(M.Strand).where(M.Strand.programme_id == p.id)))
    for st in st_rows:
        assert st.id is not None
        strands.setdefault(fold(st.name), st.id)
        codes[st.id] = st.code
    for st in st_rows:
        assert st.id is not None
        strands[code_key(st.code)] = st.id
        strands[st.code] = st.id
    evidence = {e.code: e.id for e in s.scalars(
        select(M.Evidence).where(M.Evidence.programme_id == p.id)) if e.id is not None}
    locked = set(s.scalars(select(M.ReportingPeriod.quarter).where(
        M.ReportingPeriod.programme_id == p.id,
        M.ReportingPeriod.status == PeriodStatus.LOCKED)))
    existing: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    cols = [_OBS.c[n] for n in ("id", "indicator_id", "period", "strand_id", "dims_key",
                                *_SETTABLE)]
    ind_ids = [i.id for i in rows]
    if cancelled():
        raise Cancelled("import cancelled")
    for r in s.execute(select(*cols).where(_OBS.c.indicator_id.in_(ind_ids))):
        existing[r[1:5]] = (r[0], *r[5:])  # the stored values as a dict when a row needs them
    return _Lookups(p, inds, strands, codes, evidence, locked, existing)


# ---------------------------------------------------------------------------------- service


class ImportService:
    """NGO spreadsheets into observations, as one undoable batch."""

    #: File name endings the import reads (for file dialogs and drag-and-drop).
    SUFFIXES = (*WORKBOOK_SUFFIXES, *TEXT_SUFFIXES)

    def __init__(self, store: Store) -> None:
        self.store = store

    # ------------------------------------------------------------------------------ reading

    @staticmethod
    def sheets(path: Path | str) -> list[str]:
        return sheet_names(Path(path))

    @staticmethod
    def looks_like_programme_workbook(path: Path | str) -> bool:
        """A programme workbook (load it with ``workbooks.load``) rather than an NGO sheet:
        it has the Programmes, Indicators and Observations sheets of the format."""
        p = Path(path)
        try:
            if check_file(p) == "csv":
                return False
            names = set(sheet_names(p))
        except DomainError:
            return False
        return {"Programmes", "Indicators", "Observations"} <= names

    def open(
        self,
        path: Path | str,
        programme_code: str,
        *,
        sheet: str | None = None,
        mapping_name: str | None = None,
        header_row: int | None = None,
        header_rows: int | None = None,
        use_saved: bool = True,
        progress: Progress = no_progress,
        cancelled: IsCancelled = never,
    ) -> ImportDraft:
        """Read a sheet and suggest how to map it (a matching saved mapping wins unless
        ``use_saved`` is False)."""
        path = Path(path)
        progress(0, 100, f"Opening {path.name}")
        names = sheet_names(path)
        if sheet is not None and sheet not in names:
            raise NotFound(f"{path.name} has no sheet '{sheet}'; its sheets are "
                           f"{', '.join(names)}")
        with self.store.read() as s:
            p = get_programme(s, programme_code)
            codes = [c for (c,) in s.execute(select(M.Indicator.code).where(
                M.Indicator.programme_id == p.id))]
        chosen = sheet if sheet is not None else _likely_sheet(names)
        progress(10, 100, f"Reading sheet {chosen}")
        with collector_paused():
            grid = read_grid(path, chosen, cancelled=cancelled)
        if not grid.rows:
            raise DomainError(f"{path.name}, sheet {chosen}, is empty; choose the sheet that "
                              "holds the figures" + (f" ({', '.join(names)})"
                                                     if len(names) > 1 else ""))
        progress(70, 100, "Finding the header")
        saved = self._saved(mapping_name) if mapping_name else None
        if saved is not None:
            header_row, header_rows = saved.mapping.header_row, saved.mapping.header_rows
        shape = find_shape(grid, header_row, header_rows)
        signature = header_signature(shape)
        if saved is None and mapping_name is None and header_row is None and use_saved:
            saved = self._matching(signature, programme_code)
            if saved is not None and saved.mapping.header_row != shape.header_row + 1:
                shape = find_shape(grid, saved.mapping.header_row, saved.mapping.header_rows)
        mapping = saved.mapping if saved is not None else suggest_mapping(shape, codes)
        progress(90, 100, "Checking the file")
        sha = file_sha256(path)
        progress(100, 100, "Read")
        return ImportDraft(path, programme_code, names, chosen, grid, shape, mapping,
                           saved.name if saved else None, signature, sha)

    # ------------------------------------------------------------------------------ preview

    def preview(
        self,
        draft: ImportDraft,
        mapping: ColumnMapping | None = None,
        choices: Choices = Choices(),
        *,
        progress: Progress = no_progress,
        cancelled: IsCancelled = never,
    ) -> Preview:
        """What committing would do with every row; nothing is written."""
        with self.store.read() as s, collector_paused():
            return self._plan(s, draft, mapping or draft.mapping, choices, progress, cancelled)

    def _plan(self, s: Session, draft: ImportDraft, mapping: ColumnMapping, choices: Choices,
              progress: Progress, cancelled: IsCancelled) -> Preview:
        shape = draft.shape
        if mapping.header_row != shape.header_row + 1 or \
                mapping.header_rows != shape.header_rows:
            shape = find_shape(draft.grid, mapping.header_row, mapping.header_rows)
            draft = replace(draft, shape=shape, signature=header_signature(shape))
        problems = mapping_problems(mapping, shape)
        if problems:
            raise ValidationFailed(problems, f"{draft.file_name}, sheet {draft.sheet}: the "
                                             "mapping cannot be used")
        progress(0, 100, "Reading rows")
        look = _lookups(s, draft.programme_code, cancelled)
        preview = Preview(draft, mapping, choices, [])
        reader = _RecordReader(draft, look, preview)
        long = long_columns(shape, mapping)
        if long is not None:
            _LongSheet(reader, shape, *long).read(progress, cancelled)
        else:
            records = unpivot(draft.grid, shape, mapping)
            total = len(records) or 1
            for i in range(len(records)):
                rec = records[i]
                records[i] = None  # type: ignore[call-overload]  # cells freed once read
                if i % 2000 == 0:
                    if cancelled():
                        raise Cancelled("import cancelled")
                    progress(int(80 * i / total), 100, f"Checking row {rec.row + 1}")
                preview.rows.append(reader.read(rec))
        progress(80, 100, "Comparing with the database")
        _classify(preview, look, choices)
        progress(100, 100, "Preview ready")
        return preview

    # ------------------------------------------------------------------------------- commit

    def commit(
        self,
        draft: ImportDraft,
        mapping: ColumnMapping | None = None,
        choices: Choices = Choices(),
        *,
        strict: bool = False,
        reason: str | None = None,
        progress: Progress = no_progress,
        cancelled: IsCancelled = never,
    ) -> ImportResult:
        """Save the valid rows (all or none with ``strict``) as one import batch."""
        mapping = mapping or draft.mapping
        fname = draft.file_name

        def plan_progress(done: int, total: int, message: str) -> None:
            progress(int(50 * done / max(total, 1)), 100, message)

        with self.store.session(reason=reason or f"import {fname}") as s, collector_paused():
            preview = self._plan(s, draft, mapping, choices, plan_progress, cancelled)
            c = preview.counts
            result = ImportResult(fname, draft.sheet, draft.programme_code, None, c[NEW],
                                  c[UPDATE], c[UNCHANGED], c[SKIPPED], c[REJECTED],
                                  preview.problems, saved=False, preview=preview)
            if (strict and c[REJECTED]) or not (c[NEW] or c[UPDATE]):
                progress(100, 100, "Nothing saved" if c[REJECTED] else "Nothing to change")
                if strict and c[REJECTED]:
                    result.imported = result.updated = 0
                return result
            batch = M.ImportBatch(
                kind=KIND, file_name=fname, sha256=draft.sha256, imported_at=now(),
                user=s.info["user"], rows_created=c[NEW], rows_updated=c[UPDATE],
                rows_unchanged=c[UNCHANGED], rows_rejected=c[REJECTED],
                counts_json=json.dumps(c), mapping_json=mapping.to_json(),
                programme_code=draft.programme_code, sheet=draft.sheet)
            s.add(batch)
            s.flush()  # the batch's own audit row covers every observation it creates
            assert batch.id is not None
            s.info["batch_id"] = batch.id
            self._write(s, preview, batch.id, progress, cancelled)
            result.batch_id = batch.id
            result.saved = True
        progress(100, 100, "Saved")
        return result

    def _write(self, s: Session, preview: Preview, batch_id: int, progress: Progress,
               cancelled: IsCancelled) -> None:
        creates = [r for r in preview.rows if r.status == NEW]
        updates = [r for r in preview.rows if r.status == UPDATE]
        user, stamp = s.info["user"], now()
        names = ["id", "indicator_id", "strand_id", "period", "dims_key", *_SETTABLE,
                 "entered_by", "entered_at", "import_batch_id"]
        dialect = s.get_bind().dialect
        procs = {n: _OBS.c[n].type.dialect_impl(dialect).bind_processor(dialect) for n in names}
        stamp_bound = procs["entered_at"](stamp) if procs["entered_at"] else stamp
        first = (s.execute(select(func.max(_OBS.c.id))).scalar() or 0) + 1
        chunk = 5000  # short C calls: the GUI thread waits for the GIL at most one chunk
        total = len(creates) + len(updates) or 1
        for start in range(0, len(creates), chunk):
            if cancelled():
                raise Cancelled("import cancelled")
            part = creates[start:start + chunk]
            rows = []
            dims = []
            for oid, r in enumerate(part, start=first + start):
                text = r.dims_text
                if text is None:
                    text = dims_key(r.dims)
                rows.append((oid, r.indicator_id, r.strand_id, r.period, text,
                             *map(r.values.get, _SETTABLE), user, stamp_bound, batch_id))
                if r.dims:
                    dims += [(oid, d, c) for d, c in r.dims.items()]
            insert_rows(s, _OBS, names, rows)
            insert_rows(s, _DIM, ["observation_id", "dimension", "category"], dims)
            progress(50 + int(50 * (start + len(part)) / total), 100, "Saving new rows")
        # The updated observations are loaded a few hundred per query (held here, so the
        # session's identity map keeps them); each row's change is flushed before the next
        # row's, as when each was fetched on its own, so the audit rows keep their order.
        ids = [r.existing_id for r in updates]
        loaded = [o for start in range(0, len(ids), 500) for o in s.scalars(
            select(M.Observation).where(_OBS.c.id.in_(ids[start:start + 500])))]
        for i, r in enumerate(updates):
            if i % 2000 == 0 and cancelled():
                raise Cancelled("import cancelled")
            obs = s.get(M.Observation, r.existing_id)
            if obs is None:
                raise DomainError(f"row {r.row}: the observation it updates was deleted "
                                  "meanwhile; preview again")
            for f in r.previous:
                setattr(obs, f, r.values[f])
            s.flush()  # audited field by field under this batch
        del loaded
        if cancelled():
            raise Cancelled("import cancelled")

    # ------------------------------------------------------------------ one-step (CLI, tests)

    def import_file(
        self,
        path: Path | str,
        programme_code: str,
        *,
        sheet: str | None = None,
        mapping_name: str | None = None,
        save_mapping: str | None = None,
        choices: Choices = Choices(),
        dry_run: bool = False,
        strict: bool = False,
        errors_path: Path | str | None = None,
        progress: Progress = no_progress,
        cancelled: IsCancelled = never,
    ) -> ImportResult:
        draft = self.open(path, programme_code, sheet=sheet, mapping_name=mapping_name,
                          progress=lambda d, t, m: progress(d // 5, 100, m),
                          cancelled=cancelled)
        if save_mapping:
            self.save_mapping(save_mapping, draft, draft.mapping)
        if dry_run:
            p = self.preview(draft, choices=choices, cancelled=cancelled,
                             progress=lambda d, t, m: progress(20 + d * 4 // 5, 100, m))
            c = p.counts
            result = ImportResult(draft.file_name, draft.sheet, programme_code, None, c[NEW],
                                  c[UPDATE], c[UNCHANGED], c[SKIPPED], c[REJECTED],
                                  p.problems, saved=False, preview=p)
        else:
            result = self.commit(draft, choices=choices, strict=strict, cancelled=cancelled,
                                 progress=lambda d, t, m: progress(20 + d * 4 // 5, 100, m))
        if errors_path is not None and result.rejected and result.preview is not None:
            result.errors_file = self.write_errors(result.preview, errors_path)
        return result

    # -------------------------------------------------------------------------------- undo

    def undo(self, batch_id: int, *, reason: str | None = None) -> UndoResult:
        """Undo a whole import batch, refused once one of its quarters is locked."""
        why = reason or f"undo import batch {batch_id}"
        with self.store.session(reason=why) as s:
            batch = s.get(M.ImportBatch, batch_id)
            if batch is None:
                raise NotFound(f"there is no import batch {batch_id}")
            if batch.kind != KIND:
                raise DomainError(f"import batch {batch_id} loaded a programme workbook "
                                  f"({batch.file_name}); only NGO spreadsheet imports can be "
                                  "undone here")
            if batch.reverted_at is not None:
                raise DomainError(f"import batch {batch_id} ({batch.file_name}) was already "
                                  f"undone on {batch.reverted_at:%Y-%m-%d %H:%M}")
            audit = M.table_of(M.AuditLog)
            changes = list(s.execute(select(audit.c.entity_id, audit.c.field, audit.c.old,
                                            audit.c.new).where(
                audit.c.import_batch_id == batch_id, audit.c.entity == "observation",
                audit.c.action == "update").order_by(audit.c.id.desc())))
            created = select(_OBS.c.id).where(_OBS.c.import_batch_id == batch_id)
            periods = set(s.scalars(select(_OBS.c.period).where(
                _OBS.c.import_batch_id == batch_id)))
            touched = {c.entity_id for c in changes}
            if touched:
                periods |= set(s.scalars(select(_OBS.c.period).where(_OBS.c.id.in_(touched))))
            p = get_programme(s, batch.programme_code or "")
            locked = sorted(periods & set(s.scalars(select(M.ReportingPeriod.quarter).where(
                M.ReportingPeriod.programme_id == p.id,
                M.ReportingPeriod.status == PeriodStatus.LOCKED))))
            if locked:
                raise LockedPeriod(
                    f"import batch {batch_id} ({batch.file_name}) cannot be undone: quarter "
                    f"{', '.join(locked)} of {p.code} has been locked since. Unlock it (with a "
                    "reason) first, or correct the values one by one")
            conflicts = []
            restored = 0
            for entity_id, fname, old, new in changes:
                obs = s.get(M.Observation, entity_id)
                if obs is None:
                    continue  # deleted since: nothing to put back
                if audit_text(getattr(obs, fname)) != new:
                    conflicts.append(f"observation {entity_id} ({obs.period}): {fname} was "
                                     f"changed again after the import (now "
                                     f"{audit_text(getattr(obs, fname))}, imported {new}); "
                                     "undo or correct that change first")
                    continue
                setattr(obs, fname, _typed(fname, old))
                restored += 1
            # A row the batch created and someone changed since would lose that change.
            later = s.execute(select(audit.c.entity_id, audit.c.field, audit.c.user).where(
                audit.c.entity == "observation", audit.c.action == "update",
                audit.c.entity_id.in_(created),
                (audit.c.import_batch_id.is_(None)) | (audit.c.import_batch_id != batch_id))
                .order_by(audit.c.id)).all()
            for entity_id, fname, user in later[:20]:
                conflicts.append(f"observation {entity_id}, which this import created, was "
                                 f"changed since ({fname}, by {user}); undo or delete that "
                                 "change first")
            if conflicts:
                raise ValidationFailed(conflicts, f"import batch {batch_id} cannot be undone; "
                                                  "nothing was changed")
            n = s.scalar(select(func.count()).select_from(created.subquery())) or 0
            s.execute(delete(_DIM).where(_DIM.c.observation_id.in_(created)))
            s.execute(delete(M.table_of(M.ObservationRevision)).where(
                M.table_of(M.ObservationRevision).c.observation_id.in_(created)))
            s.execute(delete(_OBS).where(_OBS.c.import_batch_id == batch_id))
            # The deleted rows were audited only through their batch: so is their deletion.
            s.add(M.AuditLog(at=now(), user=s.info["user"], action="delete",
                             entity="observation", entity_id=None, field=None,
                             old=json.dumps({"import_batch_id": batch_id, "observations": n}),
                             new=None, reason=why, import_batch_id=batch_id))
            batch.reverted_at = now()
            return UndoResult(batch_id, int(n), restored)

    def batches(self, programme_code: str | None = None) -> list[BatchView]:
        with self.store.read() as s:
            stmt = select(M.ImportBatch).order_by(M.ImportBatch.id.desc())  # type: ignore[union-attr]
            if programme_code:
                stmt = stmt.where(M.ImportBatch.programme_code == programme_code)
            return [BatchView(b.id or 0, b.kind, b.file_name, b.sheet, b.programme_code,
                              b.imported_at, b.user, b.rows_created, b.rows_updated,
                              b.rows_unchanged, b.rows_rejected, b.reverted_at)
                    for b in s.scalars(stmt)]

    # ----------------------------------------------------------------------------- mappings

    def save_mapping(self, name: str, draft: ImportDraft, mapping: ColumnMapping) -> None:
        """Keep a mapping under a name; it is applied when a file's headers match."""
        name = (name or "").strip()
        if not name:
            raise DomainError("give the mapping a name, e.g. the sender's name")
        problems = mapping_problems(mapping, find_shape(draft.grid, mapping.header_row,
                                                        mapping.header_rows))
        if problems:
            raise ValidationFailed(problems, "the mapping cannot be saved")
        shape = find_shape(draft.grid, mapping.header_row, mapping.header_rows)
        with self.store.session(reason=f"save import mapping {name}") as s:
            p = get_programme(s, draft.programme_code)
            row = s.scalars(select(M.ImportMapping).where(M.ImportMapping.name == name)).first()
            stamp = now()
            if row is None:
                row = M.ImportMapping(name=name, programme_id=p.id,
                                      header_signature=header_signature(shape),
                                      mapping_json=mapping.to_json(), created_at=stamp,
                                      updated_at=stamp, user=s.info["user"])
                s.add(row)
            else:
                row.programme_id = p.id
                row.header_signature = header_signature(shape)
                row.mapping_json = mapping.to_json()
                row.updated_at = stamp
                row.user = s.info["user"]

    def mappings(self, programme_code: str | None = None) -> list[SavedMapping]:
        with self.store.read() as s:
            progs = {p.id: p.code for p in s.scalars(select(M.Programme))}
            rows = s.scalars(select(M.ImportMapping).order_by(M.ImportMapping.name))
            out = [SavedMapping(m.name, progs.get(m.programme_id), m.header_signature,
                                ColumnMapping.from_json(m.mapping_json), m.updated_at)
                   for m in rows]
        return [m for m in out if programme_code is None or m.programme_code in
                (None, programme_code)]

    def delete_mapping(self, name: str) -> None:
        with self.store.session(reason=f"delete import mapping {name}") as s:
            row = s.scalars(select(M.ImportMapping).where(M.ImportMapping.name == name)).first()
            if row is None:
                raise NotFound(f"there is no saved mapping '{name}'")
            s.delete(row)

    def _saved(self, name: str) -> SavedMapping:
        for m in self.mappings():
            if m.name == name:
                return m
        names = ", ".join(m.name for m in self.mappings()) or "none yet"
        raise NotFound(f"there is no saved mapping '{name}' (saved: {names})")

    def _matching(self, signature: str, programme_code: str) -> SavedMapping | None:
        found = [m for m in self.mappings(programme_code) if m.header_signature == signature]
        found.sort(key=lambda m: (m.programme_code == programme_code, m.updated_at))
        return found[-1] if found else None

    # ------------------------------------------------------------------ creating what's missing

    def create_indicator(self, programme_code: str, code: str, *, result_level: str,
                         unit: str = Unit.COUNT, name: str | None = None,
                         better_off_type: str | None = None, reason: str | None = None) -> int:
        """Create an indicator the file names but the programme lacks (the user chooses its
        result level; the RBA quadrant follows from it: outputs count effort, outcomes and
        impacts ask whether anyone is better off)."""
        level = ResultLevel(result_level)
        if level in (ResultLevel.OUTCOME_SHORT, ResultLevel.OUTCOME_INTERMEDIATE,
                     ResultLevel.IMPACT):
            quadrant = RbaQuadrant.BETTER_OFF
            if not better_off_type:
                raise DomainError(f"{code} is an outcome: say how people are better off "
                                  "(skills_knowledge, attitude_opinion, behaviour or "
                                  "circumstance)")
        else:
            quadrant = RbaQuadrant.HOW_MUCH
        saved = IndicatorService(self.store).create(
            programme_code, code, (name or code).strip(), result_level=level,
            rba_quadrant=quadrant, unit=unit, better_off_type=better_off_type,
            reason=reason or "created from an NGO spreadsheet import")
        return saved.id

    @staticmethod
    def strand_code_for(text: str) -> str:
        """A code for a strand the file names ("East block" -> EAST-BLOCK)."""
        import re

        code = re.sub(r"[^A-Za-z0-9_.-]+", "-", fold(text)).strip("-.").upper()[:40]
        return code or "STRAND"

    def create_strand(self, programme_code: str, code: str, *, name: str | None = None,
                      strand_type: str = "site", reason: str | None = None) -> int:
        """Create a strand or site the file names but the programme lacks."""
        code = check_code(code, "strand")
        with self.store.session(reason=reason or "created from an NGO spreadsheet import") as s:
            p = get_programme(s, programme_code)
            if s.scalars(select(M.Strand).where(M.Strand.programme_id == p.id,
                                                M.Strand.code == code)).first():
                raise DomainError(f"{programme_code} already has a strand '{code}'")
            assert p.id is not None
            st = M.Strand(programme_id=p.id, code=code, name=(name or code).strip(),
                          type=strand_type)
            s.add(st)
            s.flush()
            assert st.id is not None
            return st.id

    # ------------------------------------------------------------------------ errors workbook

    def write_errors(self, preview: Preview, path: Path | str) -> Path:
        """The rejected rows as they came, an error column, a comment on each bad cell."""
        from coprod_me.spreadsheets.ngo_errors import write_rejected_rows

        rejected: dict[int, list[tuple[int | None, str]]] = {}
        for r in preview.rows:
            if r.status != REJECTED:
                continue
            for prob in r.problems:
                col = _column_index(prob.cell)
                rejected.setdefault(r.row - 1, []).append((col, prob.reason))
        return write_rejected_rows(Path(path), preview.draft.grid, preview.draft.shape,
                                   rejected)


# ---------------------------------------------------------------------------------- reading


def _likely_sheet(names: Sequence[str]) -> str:
    """The sheet an NGO most likely means: a programme workbook's Observations, else the
    first sheet that is not a README."""
    for preferred in ("Observations_raw", "Observations"):
        if preferred in names:
            return preferred
    for n in names:
        if fold(n) not in ("readme", "read me", "instructions", "notes", "lists", "_lists"):
            return n
    return names[0]


def _column_index(ref: str | None) -> int | None:
    if not ref:
        return None
    letters = "".join(c for c in ref if c.isalpha())
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch.upper()) - 64
    return n - 1


def _typed(field_name: str, text: str | None) -> Any:
    """An audited value (text) back in the column's type."""
    if text is None:
        return None
    col = _OBS.c[field_name]
    py = col.type.python_type
    if py is float:
        return float(text)
    if py is int:
        return int(float(text))
    return text


class _RecordReader:
    """Turns source records into typed preview rows, reporting every bad cell."""

    def __init__(self, draft: ImportDraft, look: _Lookups, preview: Preview) -> None:
        self.draft = draft
        self.look = look
        self.preview = preview
        self.grid = draft.grid
        self.percent_cells = draft.grid.percent_cells
        self.errors = draft.grid.errors
        self.n_bounds = field_bounds(M.Observation, "n_sample")
        first = max(draft.shape.first_data_row - draft.grid.row0, 0)
        self.decimal = decimal_mark(v for row in draft.grid.rows[first:first + 2000]
                                    for v in row)
        # Quarters, phases, codes and categories repeat row after row: read each text once.
        self.memo: dict[str, dict[Any, Any]] = {
            k: {} for k in ("quarter", "phase", "indicator", "strand", "sex", *_ENUMS)}

    def cached(self, kind: str, read: Any, v: Any) -> Any:
        memo = self.memo[kind]
        try:
            hit = memo[v]
        except KeyError:
            try:
                hit = read(v)
            except DomainError as exc:
                hit = exc
            if len(memo) < 50_000:
                memo[v] = hit
        if isinstance(hit, DomainError):
            raise hit
        return hit

    def find_indicator(self, text: str) -> M.Indicator | None:
        look = self.look.indicators
        return look.get(text) or look.get(code_key(text)) or look.get(fold(text))

    def find_strand(self, text: str) -> int | None:
        look = self.look.strands
        return look.get(text) or look.get(code_key(text)) or look.get(fold(text))

    def problem(self, row: PreviewRow, c: SourceCell | None, reason: str, value: Any = None,
                column: str | None = None) -> None:
        ref = None if c is None else f"{cells.column_letter(c.col + 1)}{c.row + 1}"
        row.problems.append(RowProblem(
            self.draft.file_name, self.draft.sheet, row.row,
            c.header if c is not None else column,
            value if value is not None or c is None else c.value,
            reason, ref))

    def read(self, rec: SourceRecord) -> PreviewRow:
        cells_ = rec.cells
        value_cell = cells_.get("value") or (cells_.get("numerator") if rec.value_col is None
                                             else None)
        ref = None
        if rec.value_col is not None:
            ref = f"{cells.column_letter(rec.value_col + 1)}{rec.row + 1}"
        elif value_cell is not None:
            ref = f"{cells.column_letter(value_cell.col + 1)}{value_cell.row + 1}"
        row = PreviewRow(rec.row + 1, ref, None, rec.period, None, dict(rec.dims), {})
        look = self.look
        # programme
        pc = cells_.get("programme_code")
        if pc is not None and not is_missing(pc.value) and \
                code_key(cells.to_text(pc.value)) != code_key(look.programme.code):
            self.problem(row, pc, f"belongs to programme {cells.to_text(pc.value)}, not "
                         f"{look.programme.code}; import it into that programme or remove the "
                         "row")
        # indicator
        ind = None
        text = rec.indicator
        c = cells_.get("indicator_code") or cells_.get("indicator_name")
        if text is None and c is not None and not is_missing(c.value):
            text = cells.to_text(c.value)
        if text is None:
            self.problem(row, c, "has no indicator; enter the indicator's code",
                         column=None if c else "indicator")
        else:
            ind = self.cached("indicator", self.find_indicator, text)
            if ind is None:
                named = cells_.get("indicator_name")
                if named is not None and not is_missing(named.value):
                    ind = look.indicators.get(fold(cells.to_text(named.value)))
            if ind is None:
                known = sorted({i.code for i in look.indicators.values()})
                self.problem(row, c, f"is not an indicator of {look.programme.code} "
                             f"(it has {', '.join(known[:8])}{' ...' if len(known) > 8 else ''});"
                             " correct the code, or create the indicator (the import offers to)",
                             value=text, column="indicator")
                if text not in self.preview.unknown_indicators and len(text) <= 40:
                    named = cells_.get("indicator_name")
                    self.preview.unknown_indicators[text] = UnknownIndicator(
                        text, cells.to_text(named.value) if named and not
                        is_missing(named.value) else text, row.row, self._unit_guess(rec))
                row.indicator = text
            else:
                row.indicator = ind.code
                row.indicator_id = ind.id
        unit = ind.unit if ind is not None else None
        # quarter
        c = cells_.get("period")
        if rec.period is None:
            if c is None or is_missing(c.value):
                self.problem(row, c, "has no quarter; enter it as 2024Q2",
                             column=None if c else "period")
            else:
                try:
                    row.period = self.cached("quarter", read_quarter, c.value)
                except DomainError as exc:
                    self.problem(row, c, str(exc))
        # strand
        c = cells_.get("strand")
        if c is not None and not is_missing(c.value):
            text = cells.to_text(c.value)
            sid = self.cached("strand", self.find_strand, text)
            if sid is None:
                known = sorted(look.strand_codes.values())
                self.problem(row, c, f"is not a strand or site of {look.programme.code} "
                             f"(it has {', '.join(known) or 'none'}); correct it, leave it "
                             "empty for the whole programme, or create the strand")
                self.preview.unknown_strands.setdefault(text, row.row)
            else:
                row.strand_id = sid
                row.strand = look.strand_codes[sid]
        # dims
        for f, c in cells_.items():
            if not f.startswith(DIM_PREFIX) or is_missing(c.value):
                continue
            dim = f[len(DIM_PREFIX):]
            cat = cells.to_text(c.value)
            if dim == "sex":
                cat = self.cached("sex", sex_category, cat) or cat
            if len(cat) > 200:
                self.problem(row, c, "is too long for a category; use a short code")
                continue
            row.dims[dim] = cat
        row.dims = dict(sorted(row.dims.items()))
        # figures and the rest
        for f in _SETTABLE:
            c = cells_.get("evidence_code" if f == "evidence_id" else f)
            if c is None:
                continue
            v = self._value(row, f, c, unit)
            if v is not None:
                row.values[f] = v
        self._check_figures(row, unit, cells_)
        if not row.problems and row.values.get("value") is None and \
                row.values.get("numerator") is None:
            row.status = SKIPPED
            shown = next((short(c.value) for f, c in cells_.items() if f in ("value",
                          "numerator") and not cells.is_blank(c.value)), "blank")
            row.note = f"no figure ({shown}): missing, not zero; nothing imported"
        elif row.problems:
            row.status = REJECTED
        return row

    def _unit_guess(self, rec: SourceRecord) -> str:
        c = rec.cells.get("value")
        if c is None:
            return Unit.COUNT
        if isinstance(c.value, str) and c.value.strip().endswith("%"):
            return Unit.PERCENT
        if self.percent_cells and (c.row, c.col) in self.percent_cells:
            return Unit.PERCENT
        return Unit.COUNT

    def _value(self, row: PreviewRow, f: str, c: SourceCell, unit: str | None) -> Any:
        v = c.value
        if v.__class__ is float and f in _PLAIN_FIGURES and not self.errors and not \
                self.percent_cells and not math.isnan(v) and not math.isinf(v):
            return v  # the common case of a long sheet, without the checks below
        err = self.errors.get((c.row, c.col)) if self.errors else None
        if err is not None:
            self.problem(row, c, f"is a spreadsheet error ({err}) in cell "
                         f"{cells.column_letter(c.col + 1)}{c.row + 1}; correct the formula or "
                         "enter the figure", value=err)
            return None
        if is_missing(v):
            return None
        if f == "evidence_id":
            code = cells.to_text(v)
            eid = self.look.evidence.get(code)
            if eid is None:
                self.problem(row, c, f"is not an evidence code of {self.look.programme.code}; "
                             "correct it or leave it empty")
            return eid
        if f == "phase":
            try:
                return self.cached("phase", read_phase, v)
            except DomainError as exc:
                self.problem(row, c, str(exc))
                return None
        if f in _ENUMS:
            try:
                return self.cached(f, lambda x: cells.to_enum(x, _ENUMS[f]), v)
            except DomainError as exc:
                self.problem(row, c, str(exc))
                return None
        if f in _TEXTS:
            return cells.to_text(v)
        # a figure
        # an unknown indicator's unit is unknown: its "63 %" is reported once, as unknown
        percent = (unit == Unit.PERCENT or unit is None) and f in _PERCENT_FIELDS
        try:
            if isinstance(v, bool):
                raise cells.CellError("is a true/false value; enter a number")
            if isinstance(v, (date, datetime)):
                raise cells.CellError("is a date, not a number; enter the figure")
            if isinstance(v, (int, float)):
                number = float(v)
                if math.isnan(number) or math.isinf(number):
                    raise cells.CellError("is not a finite number; enter the figure")
                if self.percent_cells and (c.row, c.col) in self.percent_cells:
                    if f not in _PERCENT_FIELDS:
                        raise cells.CellError(
                            f"is formatted as a percentage ({number * 100:g} %), but {f} is "
                            "a count; enter the plain figure")
                    if unit != Unit.PERCENT and unit is not None:
                        raise cells.CellError(
                            f"is formatted as a percentage ({number * 100:g} %), but "
                            f"{row.indicator} is measured in {unit}; enter the plain figure")
                    number = round(number * 100, 9)  # 0.52 shown as 52 % is 52
            else:
                text = cells.to_text(v)
                if cells._SPREADSHEET_ERROR.match(text):
                    raise cells.CellError(
                        f"is a spreadsheet error ({text}) in cell "
                        f"{cells.column_letter(c.col + 1)}{c.row + 1}; correct the formula or "
                        "enter the figure")
                parsed = cells.to_number(text, percent=percent, decimal=self.decimal)
                if parsed is None:
                    return None
                number = parsed
        except cells.CellError as exc:
            msg = str(exc)
            if "percent sign" in msg and unit is not None:
                msg = (f"has a percent sign, but {row.indicator} is measured in {unit}; enter "
                       "the plain figure")
            self.problem(row, c, msg)
            return None
        if f == "n_sample":
            lo, _hi = self.n_bounds
            if not number.is_integer() or (lo is not None and number < lo):
                self.problem(row, c, "is not a whole number of people or items; enter a whole "
                             "number")
                return None
            return int(number)
        return number

    def _check_figures(self, row: PreviewRow, unit: str | None,
                       cells_: dict[str, SourceCell]) -> None:
        v = row.values
        value, num, den = v.get("value"), v.get("numerator"), v.get("denominator")
        if unit == Unit.PERCENT and value is None and num is not None and den and \
                0 <= num <= den:
            v["value"] = value = round(100.0 * num / den, 6)  # stated by its parts
        if value is None and num is None:
            return
        bad = {p.column for p in row.problems}
        for f, found, message in observation_problems(unit, value, num, den):
            c = cells_.get(f)
            if c is not None and c.header in bad:
                continue  # already reported as unreadable
            self.problem(row, c, message, value=found, column=f)
        lo, hi = v.get("ci_low"), v.get("ci_high")
        if lo is not None and hi is not None and lo > hi:
            self.problem(row, cells_.get("ci_low"), "is above ci_high; swap them")


_BAD: Any = object()  # a cell only the careful reader can read: the row goes through it
_NUMBER_TYPES = frozenset((bool, int, float))


def _by_value(column: Sequence[Any], convert: Callable[[Any], Any]) -> list[Any]:
    """``convert`` of every cell of a column, called once per distinct value in the order
    they first appear (cells of different number types, which compare equal, one by one)."""
    distinct = dict.fromkeys(column)
    if not _NUMBER_TYPES.isdisjoint(map(type, distinct)) and \
            len(_NUMBER_TYPES.intersection(map(type, column))) > 1:
        return [convert(v) for v in column]
    memo = {v: convert(v) for v in distinct}
    return list(map(memo.__getitem__, column))


class _LongSheet:
    """A long sheet (one observation per row, nothing taken from headers) read column by
    column: each column's distinct values are read once, then every row whose cells all read
    cleanly becomes its preview row directly. A row with anything to report, or anything
    out of the ordinary (an error or percent-formatted cell, no figure, a percent sign, a
    value to derive or check from its parts that fails), goes through ``_RecordReader.read``
    as a record built as ``unpivot`` builds it, so it is read exactly as before."""

    def __init__(self, reader: _RecordReader, shape: Shape,
                 columns: list[tuple[int, str, str]], value_col: int) -> None:
        self.reader = reader
        self.shape = shape
        self.columns = columns
        self.value_col = value_col

    # ------------------------------------------------------------------ one column's cells

    def _converter(self, f: str, fields: set[str]) -> Callable[[Any], Any] | None:
        """What a cell of field ``f`` reads as: the value a clean row stores (None for
        nothing), or _BAD; None when the field plays no part in a clean row."""
        reader, look = self.reader, self.reader.look
        cached = reader.cached
        to_text = cells.to_text
        if f == "programme_code":
            mine = code_key(look.programme.code)
            return lambda v: None if is_missing(v) or code_key(to_text(v)) == mine else _BAD
        if f == "indicator_code" or (f == "indicator_name" and "indicator_code" not in fields):
            known: dict[int, tuple[str, int, str, bool]] = {}

            def indicator(v: Any) -> Any:
                if is_missing(v):
                    return _BAD
                ind = cached("indicator", reader.find_indicator, to_text(v))
                if ind is None:
                    return _BAD
                # (code, id, unit, is a percent), read off the entity once
                got = known.get(id(ind))
                if got is None:
                    got = known[id(ind)] = (ind.code, ind.id, ind.unit, ind.unit == Unit.PERCENT)
                return got
            return indicator
        if f == "period":
            def quarter(v: Any) -> Any:
                if is_missing(v):
                    return _BAD
                try:
                    return cached("quarter", read_quarter, v)
                except DomainError:
                    return _BAD
            return quarter
        if f == "strand":
            def strand(v: Any) -> Any:
                if is_missing(v):
                    return None
                sid = cached("strand", reader.find_strand, to_text(v))
                return _BAD if sid is None else (sid, look.strand_codes[sid])
            return strand
        if f.startswith(DIM_PREFIX):
            sex = f == f"{DIM_PREFIX}sex"

            def category(v: Any) -> Any:
                if is_missing(v):
                    return None
                cat = to_text(v)
                if sex:
                    cat = cached("sex", sex_category, cat) or cat
                return _BAD if len(cat) > 200 else cat
            return category
        if f == "phase" or f in _ENUMS:
            enum = _ENUMS.get(f)

            def read(x: Any) -> str:
                return read_phase(x) if enum is None else cells.to_enum(x, enum)

            def choice(v: Any) -> Any:
                if is_missing(v):
                    return None
                try:
                    return cached(f, read, v)
                except DomainError:
                    return _BAD
            return choice
        if f in _TEXTS:
            return lambda v: None if is_missing(v) else to_text(v)
        if f == "evidence_code":
            def evidence(v: Any) -> Any:
                if is_missing(v):
                    return None
                eid = look.evidence.get(to_text(v))
                return _BAD if eid is None else eid
            return evidence
        return None

    def _figures(self, column: Sequence[Any], whole: bool) -> list[Any]:
        """A figure column: finite numbers as they are (whole ones as int for a count of
        people), anything else through ``_figure``."""
        read = self._figure(whole)
        if whole:
            lo = self.reader.n_bounds[0]
            return [int(v) if v.__class__ is float and v.is_integer() and
                    (lo is None or v >= lo) else read(v) for v in column]
        return [v if v.__class__ is float and v - v == 0.0 else read(v) for v in column]

    def _figure(self, whole: bool) -> Callable[[Any], Any]:
        """A figure as ``_RecordReader._value`` reads it from a cell that is neither an error
        nor percent-formatted; a percent sign (whose reading depends on the row's indicator)
        and anything it would report are _BAD."""
        decimal = self.reader.decimal
        lo = self.reader.n_bounds[0]
        texts: dict[str, Any] = {}

        def number_of(v: Any) -> Any:
            cls = v.__class__
            if cls is float:
                if v != v:
                    return None  # NaN: missing
                if math.isinf(v):
                    return _BAD
                number = v
            elif cls is str:
                hit = texts.get(v, texts)
                if hit is not texts:
                    return hit
                hit = texts[v] = number_of_text(v)
                return hit
            elif v is None:
                return None
            else:
                return _BAD  # true/false, dates, integers: rare, read carefully
            if whole:
                if not number.is_integer() or (lo is not None and number < lo):
                    return _BAD
                return int(number)
            return number

        def number_of_text(v: str) -> Any:
            if is_missing(v):
                return None
            text = v.strip()
            if text.endswith("%") or cells._SPREADSHEET_ERROR.match(text):
                return _BAD
            try:
                number = cells.to_number(text, decimal=decimal)
            except DomainError:
                return _BAD
            if number is None:
                return None
            if whole:
                if not number.is_integer() or (lo is not None and number < lo):
                    return _BAD
                return int(number)
            return number

        return number_of

    # ------------------------------------------------------------------------------ rows

    def read(self, progress: Progress, cancelled: IsCancelled) -> None:
        reader = self.reader
        grid = reader.grid
        rows = grid.rows
        row0, col0 = grid.row0, grid.col0
        data_at = [i for i in range(max(self.shape.first_data_row - row0, 0), len(rows))
                   if (raw := rows[i]) and (((v := raw[0]).__class__ is str and v.strip()) or
                                            v.__class__ is float or not is_empty_row(raw))]
        data = [rows[i] for i in data_at]
        n = len(data)
        narrow = min(map(len, data), default=0)

        wide = max(map(len, data), default=0)
        # a rectangular sheet (as calamine reads one) is turned into columns in one call
        by_column = list(zip(*data, strict=True)) if narrow == wide and n else None

        def column(j: int) -> Sequence[Any]:
            if j < 0:
                return [""] * n
            if by_column is not None and j < narrow:
                return by_column[j]
            if j < narrow:
                return list(map(itemgetter(j), data))
            return [r[j] if j < len(r) else "" for r in data]

        fields = {f for _c, f, _h in self.columns}
        conv: dict[str, list[Any]] = {}
        for k, (col, f, _h) in enumerate(self.columns):
            if cancelled():
                raise Cancelled("import cancelled")
            progress(int(30 * k / len(self.columns)), 100, "Reading columns")
            if f in FIGURES:
                conv[f] = self._figures(column(col - col0), f == "n_sample")
                continue
            convert = self._converter(f, fields)
            if convert is not None:
                conv[f] = _by_value(column(col - col0), convert)
        # rows the careful reader takes: a cell read _BAD, an error or percent cell
        careful: set[int] = set()
        for cells_read in conv.values():
            if cells_read.count(_BAD):
                careful.update(k for k, v in enumerate(cells_read) if v is _BAD)
        special = {r for r, _c in reader.errors} | {r for r, _c in reader.percent_cells or ()}
        if special:
            careful.update(k for k, i in enumerate(data_at) if row0 + i in special)
        nothing = [None] * n
        ind_field = "indicator_code" if "indicator_code" in fields else "indicator_name"
        indicators = conv.get(ind_field) or [_BAD] * n
        periods = conv.get("period") or [_BAD] * n
        strands = conv.get("strand") or nothing
        # the disaggregation of each row, as the row's dict and its key text
        dim_fields = sorted(f for f in conv if f.startswith(DIM_PREFIX))
        dims_of: dict[tuple[Any, ...], tuple[dict[str, str], str]] = {}
        dim_rows: Iterable[tuple[Any, ...]] = zip(*(conv[f] for f in dim_fields), strict=True) \
            if dim_fields else [()] * n
        names = [f[len(DIM_PREFIX):] for f in dim_fields]
        settable = [f for f in _SETTABLE
                    if ("evidence_code" if f == "evidence_id" else f) in conv]
        value_rows = zip(*(conv["evidence_code" if f == "evidence_id" else f]
                           for f in settable), strict=True) if settable else [()] * n
        at = {f: k for k, f in enumerate(settable)}
        ilo, ihi = at.get("ci_low"), at.get("ci_high")
        letter = cells.column_letter(self.value_col + 1)
        fields_at = [(c - col0, f, c, h) for c, f, h in self.columns]
        out = reader.preview.rows
        new_row = PreviewRow
        total = n or 1
        figures = [conv.get(f) or nothing for f in ("value", "numerator", "denominator")]
        for k, (i, ind, q, st, dk, vt, value, num, den) in enumerate(zip(
                data_at, indicators, periods, strands, dim_rows, value_rows, *figures,
                strict=True)):
            if k % 2000 == 0:
                if cancelled():
                    raise Cancelled("import cancelled")
                progress(30 + int(50 * k / total), 100, f"Checking row {row0 + i + 1}")
            if k in careful:
                out.append(self._careful(rows[i], row0 + i, fields_at))
                continue
            values = dict(zip(settable, vt, strict=True)) if None not in vt else \
                {f: v for f, v in zip(settable, vt, strict=True) if v is not None}
            code, ind_id, unit, pct = ind
            if pct and value is None and num is not None and den and 0 <= num <= den:
                values["value"] = value = round(100.0 * num / den, 6)  # stated by its parts
            if value is None and num is None:
                out.append(self._careful(rows[i], row0 + i, fields_at))  # no figure
                continue
            if (num is not None or den is not None or pct) and \
                    observation_problems(unit, value, num, den):
                out.append(self._careful(rows[i], row0 + i, fields_at))
                continue
            if ilo is not None and ihi is not None and vt[ilo] is not None and \
                    vt[ihi] is not None and vt[ilo] > vt[ihi]:
                out.append(self._careful(rows[i], row0 + i, fields_at))
                continue
            d = dims_of.get(dk)
            if d is None:
                pairs = {name: cat for name, cat in zip(names, dk, strict=True) if cat is not None}
                d = dims_of[dk] = (pairs, dims_key(pairs))
            sid, scode = (None, None) if st is None else st
            r = row0 + i + 1
            out.append(new_row(r, f"{letter}{r}", code, q, scode, dict(d[0]), values,
                               NEW, [], "", {}, ind_id, sid, None, d[1]))

    def _careful(self, raw: list[Any], r: int, fields_at: list[tuple[int, str, int, str]]
                 ) -> PreviewRow:
        """The row read by ``_RecordReader.read``, from the record ``unpivot`` would make."""
        n = len(raw)
        record = {f: SourceCell(raw[j] if 0 <= j < n else "", r, c, h)
                  for j, f, c, h in fields_at}
        return self.reader.read(SourceRecord(r, record, None, None, (), self.value_col))


def _classify(preview: Preview, look: _Lookups, choices: Choices) -> None:
    """New, update, unchanged, skipped or rejected: against the file and the database."""
    seen: dict[tuple[Any, ...], PreviewRow] = {}
    keys: list[tuple[Any, ...] | None] = []  # each row's key, computed once
    for r in preview.rows:
        if r.status in (REJECTED, SKIPPED):
            keys.append(None)
            continue
        text = r.dims_text
        key = (r.indicator_id, r.period, r.strand_id, text) if text is not None else r.key
        keys.append(key)
        first = seen.get(key)
        if first is not None:
            same = {k: x for k, x in first.values.items()} == r.values
            where = f"{r.indicator} {r.period}" + (f" at {r.strand}" if r.strand else "") + (
                f" ({dims_key(r.dims)})" if r.dims else "")
            if same:
                r.status = UNCHANGED
                r.note = f"repeats row {first.row} ({where}) with the same figures"
                continue
            if choices.duplicates == "first":
                r.status = SKIPPED
                r.note = f"repeats row {first.row} ({where}); the first one is kept"
                continue
            if choices.duplicates == "last":
                first.status = SKIPPED
                first.note = f"repeated by row {r.row} ({where}); the last one is kept"
                seen[key] = r
                continue
            for a, b in ((r, first), (first, r)):
                a.status = REJECTED
                a.problems.append(RowProblem(
                    preview.draft.file_name, preview.draft.sheet, a.row, None, None,
                    f"states {where} as row {b.row} does, with other figures; keep one of "
                    "the two rows (or choose which one wins)", a.cell))
            continue
        else:
            seen[key] = r
    stored_rows, locked_quarters = look.existing, look.locked
    for r, row_key in zip(preview.rows, keys, strict=True):
        if row_key is None or r.status in (REJECTED, SKIPPED) or \
                r.note.startswith("repeats row"):
            continue
        existing = stored_rows.get(row_key)
        locked = r.period in locked_quarters
        if existing is None:
            r.status = NEW
            if locked:
                _locked(preview, r, look, "adds a value to")
            continue
        r.existing_id = existing[0]
        stored = dict(zip(_SETTABLE, existing[1:], strict=True))
        changed = {f: x for f, x in r.values.items() if stored.get(f) != x}
        if not changed:
            r.status = UNCHANGED
            continue
        r.previous = {f: stored.get(f) for f in changed}
        if locked:
            r.status = UPDATE
            _locked(preview, r, look, "changes a value in")
            continue
        shown = ", ".join(f"{f} {_show(stored.get(f))} → {_show(x)}" for f, x in changed.items())
        if choices.updates == "update":
            r.status = UPDATE
            r.note = shown
        elif choices.updates == "skip":
            r.status = SKIPPED
            r.note = f"the database already holds other figures ({shown}); kept them"
        else:
            r.status = REJECTED
            r.problems.append(RowProblem(
                preview.draft.file_name, preview.draft.sheet, r.row, None, None,
                f"{r.indicator} {r.period} already holds other figures in {look.programme.code}"
                f" ({shown}); choose to update them, or correct the row", r.cell))


def _locked(preview: Preview, r: PreviewRow, look: _Lookups, verb: str) -> None:
    r.status = REJECTED
    r.problems.append(RowProblem(
        preview.draft.file_name, preview.draft.sheet, r.row, None, r.period,
        f"{verb} quarter {r.period} of {look.programme.code}, which is locked; unlock the "
        "quarter in the app (with a reason) or record a correction there", r.cell))


def _show(x: Any) -> str:
    if x is None:
        return "empty"
    return str(int(x)) if isinstance(x, float) and x.is_integer() else str(x)


__all__ = [
    "FIELDS",
    "KIND",
    "BatchView",
    "Choices",
    "ColumnMapping",
    "ImportDraft",
    "ImportResult",
    "ImportService",
    "Preview",
    "PreviewRow",
    "RowProblem",
    "SavedMapping",
    "Target",
    "UndoResult",
    "UnknownIndicator",
]
