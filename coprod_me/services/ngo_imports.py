"""Importing NGO spreadsheets of any shape: read, map, preview, commit, undo.

1. ``open`` reads one sheet (python-calamine or CSV; a long one only its first
   ``part_rows`` rows), finds its header and suggests a mapping: a saved mapping whose
   header signature matches is applied automatically.
2. ``preview`` turns every row (every value of a wide row) into a new / update / unchanged /
   skipped / rejected record, a part of the sheet at a time (``spreadsheets.ngo_plan``: a
   long sheet is never held whole; its preview keeps a sample of rows and every row with
   something to show, and counts them all), with every problem phrased as where, what and
   how to fix; the values pass the value gate (``model.values``), a row that would change a
   stored figure is skipped and listed unless the user chooses to update, and figures that
   look like typos next to their series are listed as warnings.
3. ``commit`` plans again inside the write transaction (so what is saved is what the database
   holds at that moment), inserting each part's new rows before reading the next, and writes
   one ImportBatch whose id is on every created observation; updated observations are
   audited field by field under that batch. Cancel rolls back.
4. ``undo`` puts a whole batch back (created rows deleted, updated rows restored from the
   audit log) until one of its quarters is locked.

The rows are read and classified in ``spreadsheets.ngo_rows`` and ``ngo_plan`` (pure), the
programme and the stored observations come from ``queries.imports``, and the new rows go in
(and out, on undo) through ``store.import_batches``; this module is the use cases that tie
them together.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session

from coprod_me.model import entities as M
from coprod_me.model.disaggregation import dims_key
from coprod_me.model.enums import RbaQuadrant, ResultLevel, Unit
from coprod_me.model.errors import Cancelled, DomainError, LockedPeriod, NotFound, ValidationFailed
from coprod_me.model.progress import (
    IsCancelled,
    Progress,
    collector_paused,
    never,
    no_progress,
)
from coprod_me.model.validation import check_code
from coprod_me.model.values import QuarterWindow
from coprod_me.queries import imports as Q
from coprod_me.queries.indicators import indicators_of
from coprod_me.queries.observations import locked_quarters
from coprod_me.queries.programmes import get_programme, programme_codes, strands_of
from coprod_me.services.import_results import (
    Choices,
    ImportDraft,
    ImportResult,
    Preview,
    SavedMapping,
    UndoResult,
)
from coprod_me.spreadsheets.ngo_plan import SAMPLE_ROWS, SheetPlan
from coprod_me.spreadsheets.ngo_record_reader import RecordReader
from coprod_me.spreadsheets.ngo_records import (
    NEW,
    REJECTED,
    SETTABLE,
    SKIPPED,
    UNCHANGED,
    UPDATE,
    PreviewRow,
    ProgrammeNames,
    RowProblem,
    SheetRows,
    UnknownIndicator,
)
from coprod_me.spreadsheets.ngo_rows import read_part

# The wizard (gui) reaches the mapping types through this service, never the spreadsheet layer.
from coprod_me.spreadsheets.ngo_shape import FIELDS as FIELDS
from coprod_me.spreadsheets.ngo_shape import ColumnMapping as ColumnMapping
from coprod_me.spreadsheets.ngo_shape import (
    Shape,
    find_shape,
    header_signature,
    mapping_problems,
    suggest_mapping,
)
from coprod_me.spreadsheets.ngo_shape import Target as Target
from coprod_me.spreadsheets.ngo_source import (
    TEXT_SUFFIXES,
    WORKBOOK_SUFFIXES,
    Grid,
    RowsGrid,
    check_file,
    likely_sheet,
    open_sheet,
    sheet_names,
)
from coprod_me.spreadsheets.ngo_values import fold
from coprod_me.store.import_batches import (
    delete_batch_observations,
    delete_observations_from,
    entered_at_value,
    insert_observations,
    next_observation_id,
    observation_columns,
    observation_value,
    reserve_batch_id,
)
from coprod_me.store.session import Store, audit_text, now

KIND = "ngo_spreadsheet"

#: New observations are inserted this many at a time: short C calls, so the GUI thread waits
#: for the GIL at most one chunk.
_CHUNK = 5000
#: A sheet is read, checked and saved this many rows at a time (a longer one is not held
#: whole: memory stays flat whatever the file's length).
PART_ROWS = 5_000
#: Stored figures are kept (the changes listed), rows repeated in the file rejected.
_DEFAULT_CHOICES = Choices()


class ImportService:
    """NGO spreadsheets into observations, as one undoable batch."""

    #: File name endings the import reads (for file dialogs and drag-and-drop).
    SUFFIXES = (*WORKBOOK_SUFFIXES, *TEXT_SUFFIXES)

    def __init__(self, store: Store, *, part_rows: int = PART_ROWS) -> None:
        self.store = store
        self.part_rows = part_rows

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
        keep_reading: bool = False,
        progress: Progress = no_progress,
        cancelled: IsCancelled = never,
    ) -> ImportDraft:
        """Read a sheet (its first ``part_rows`` rows when it is longer) and suggest how to
        map it (a matching saved mapping wins unless ``use_saved`` is False). With
        ``keep_reading`` the reader waits for the first preview or commit to read the rest
        (a one-step import reads the file once); close ``draft.stream`` if neither comes."""
        path = Path(path)
        progress(0, 100, f"Opening {path.name}")
        names = sheet_names(path)
        if sheet is not None and sheet not in names:
            raise NotFound(f"{path.name} has no sheet '{sheet}'; its sheets are "
                           f"{', '.join(names)}")
        with self.store.read() as s:
            codes = Q.indicator_codes(s, get_programme(s, programme_code).id)
        chosen = sheet if sheet is not None else likely_sheet(names)
        progress(10, 100, f"Reading sheet {chosen}")
        with collector_paused():
            stream = open_sheet(path, chosen, head_rows=self.part_rows, cancelled=cancelled)
        grid = stream.head
        if stream.complete or not keep_reading or not grid.rows:
            stream.close()
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
        progress(100, 100, "Read")
        return ImportDraft(path, programme_code, names, chosen, grid, shape, mapping,
                           saved.name if saved else None, signature, stream.sha256,
                           stream.complete,
                           None if stream.complete or not keep_reading else stream)

    # ------------------------------------------------------------------------------ preview

    def preview(
        self,
        draft: ImportDraft,
        mapping: ColumnMapping | None = None,
        choices: Choices = _DEFAULT_CHOICES,
        *,
        progress: Progress = no_progress,
        cancelled: IsCancelled = never,
    ) -> Preview:
        """What committing would do with every row; nothing is written."""
        with self.store.read() as s, collector_paused():
            return self._plan(s, draft, mapping or draft.mapping, choices, progress, cancelled)

    def _plan(self, s: Session, draft: ImportDraft, mapping: ColumnMapping, choices: Choices,
              progress: Progress, cancelled: IsCancelled, writer: _Writer | None = None
              ) -> Preview:
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
        p = get_programme(s, draft.programme_code)
        indicators = indicators_of(s, p.id)
        names = ProgrammeNames.of(p.code, indicators, strands_of(s, p.id),
                                  Q.evidence_ids(s, p.id),
                                  QuarterWindow.of(p.code, p.start_date, p.planned_end_date,
                                                   date.today()))
        if cancelled():
            raise Cancelled("import cancelled")
        settings = {"stored": Q.stored_observations(s, [i.id for i in indicators], SETTABLE),
                    "locked": locked_quarters(s, p.id), "programme_code": p.code,
                    "file_name": draft.file_name, "sheet": draft.sheet,
                    "updates": choices.updates, "duplicates": choices.duplicates,
                    "cumulative": {i.id for i in indicators if i.is_cumulative and i.id},
                    "sample": None if draft.complete else SAMPLE_ROWS,
                    "keep_cells": not draft.complete}
        # A row repeated across parts is settled with the others of its key at the end:
        # the first pass finds such keys (rarely any), a second one holds their rows back.
        plan = SheetPlan(**settings)  # type: ignore[arg-type]
        found = self._settle_parts(plan, draft, shape, mapping, names, writer, progress,
                                   cancelled)
        if plan.repeated:
            if writer is not None:
                writer.reset()
            plan = SheetPlan(**settings, defer=plan.repeated)  # type: ignore[arg-type]
            found = self._settle_parts(plan, draft, shape, mapping, names, writer, progress,
                                       cancelled)
        warnings = plan.warnings()
        preview = Preview(draft, mapping, choices, plan.rows(), found.unknown_indicators,
                          found.unknown_strands)
        if not draft.complete:
            preview.tally, preview.warning_lines = plan.counts, warnings
            preview.rejected_cells = plan.cells
        progress(100, 100, "Preview ready")
        return preview

    def _settle_parts(self, plan: SheetPlan, draft: ImportDraft, shape: Shape,
                      mapping: ColumnMapping, names: ProgrammeNames, writer: _Writer | None,
                      progress: Progress, cancelled: IsCancelled) -> SheetRows:
        """Read, check and settle the sheet a part at a time, each part's rows written
        (with ``writer``) before the next part is read, until a repeat across parts shows
        that the plan must be made again."""
        found = SheetRows()
        reader = RecordReader(draft.file_name, draft.sheet, draft.grid, shape, names, found)
        in_part = progress if draft.complete else no_progress
        for n, part in enumerate(self._parts(draft, cancelled)):
            found.rows = []
            read_part(reader, part, shape, mapping, in_part, cancelled)
            if not draft.complete:
                progress(80 - 80 // (n + 2), 100, f"Checked {part.row0 + len(part.rows):,} "
                                                 "rows")
            settled = plan.add(found.rows, part)
            found.rows = []
            if writer is not None and not plan.repeated:
                writer.write(settled)
        progress(80, 100, "Comparing with the database")
        settled = plan.finish()
        if writer is not None and not plan.repeated:
            writer.write(settled)
        return found

    def _parts(self, draft: ImportDraft, cancelled: IsCancelled) -> Iterator[Grid]:
        """The sheet in parts: the draft's grid when it holds the whole sheet, else the rest
        of the draft's reading (once) or the file read again."""
        if draft.complete:
            yield draft.grid
            return
        stream, draft.stream = draft.stream, None
        if stream is None:
            stream = open_sheet(draft.path, draft.sheet, head_rows=self.part_rows,
                                cancelled=cancelled)
            if stream.sha256 != draft.sha256:
                stream.close()
                raise DomainError(f"{draft.file_name} has changed since it was opened; open "
                                  "it again")
        with stream:
            yield from stream.parts(self.part_rows)

    # ------------------------------------------------------------------------------- commit

    def commit(
        self,
        draft: ImportDraft,
        mapping: ColumnMapping | None = None,
        choices: Choices = _DEFAULT_CHOICES,
        *,
        strict: bool = False,
        reason: str | None = None,
        progress: Progress = no_progress,
        cancelled: IsCancelled = never,
    ) -> ImportResult:
        """Save the valid rows (all or none with ``strict``) as one import batch.

        New rows are inserted part by part as the sheet is read and checked, naming the
        batch's id (reserved first), then the batch row is written with its counts, then the
        updates are made, audited under the batch: all in one transaction, so Cancel or a
        failure leaves nothing."""
        mapping = mapping or draft.mapping
        fname = draft.file_name

        def plan_progress(done: int, total: int, message: str) -> None:
            progress(int(90 * done / max(total, 1)), 100, message)

        with self.store.session(reason=reason or f"import {fname}") as s, collector_paused():
            writer = _Writer(s, cancelled)
            preview = self._plan(s, draft, mapping, choices, plan_progress, cancelled, writer)
            result = _result(preview)
            c = preview.counts
            if (strict and c[REJECTED]) or not (c[NEW] or c[UPDATE]):
                writer.reset()
                progress(100, 100, "Nothing saved" if c[REJECTED] else "Nothing to change")
                if strict and c[REJECTED]:
                    result.imported = result.updated = 0
                return result
            batch = M.ImportBatch(
                id=writer.batch_id, kind=KIND, file_name=fname, sha256=draft.sha256,
                imported_at=now(), user=s.info["user"], rows_created=c[NEW], rows_updated=c[UPDATE],
                rows_unchanged=c[UNCHANGED], rows_rejected=c[REJECTED],
                counts_json=json.dumps(c), mapping_json=mapping.to_json(),
                programme_code=draft.programme_code, sheet=draft.sheet)
            s.add(batch)
            s.flush()  # the batch's own audit row covers every observation it creates
            assert batch.id is not None
            s.info["batch_id"] = batch.id
            progress(90, 100, "Saving")
            writer.finish()
            result.batch_id = batch.id
            result.saved = True
        progress(100, 100, "Saved")
        return result

    # ------------------------------------------------------------------ one-step (CLI, tests)

    def import_file(
        self,
        path: Path | str,
        programme_code: str,
        *,
        sheet: str | None = None,
        mapping_name: str | None = None,
        save_mapping: str | None = None,
        choices: Choices = _DEFAULT_CHOICES,
        dry_run: bool = False,
        strict: bool = False,
        errors_path: Path | str | None = None,
        progress: Progress = no_progress,
        cancelled: IsCancelled = never,
    ) -> ImportResult:
        draft = self.open(path, programme_code, sheet=sheet, mapping_name=mapping_name,
                          keep_reading=True, progress=lambda d, t, m: progress(d // 5, 100, m),
                          cancelled=cancelled)
        try:
            if save_mapping:
                self.save_mapping(save_mapping, draft, draft.mapping)
            if dry_run:
                result = _result(self.preview(
                    draft, choices=choices, cancelled=cancelled,
                    progress=lambda d, t, m: progress(20 + d * 4 // 5, 100, m)))
            else:
                result = self.commit(
                    draft, choices=choices, strict=strict, cancelled=cancelled,
                    progress=lambda d, t, m: progress(20 + d * 4 // 5, 100, m))
        finally:
            if draft.stream is not None:
                draft.stream.close()
        if errors_path is not None and result.rejected and result.preview is not None:
            result.errors_file = self.write_errors(result.preview, errors_path)
        return result

    # -------------------------------------------------------------------------------- undo

    def undo(self, batch_id: int, *, reason: str | None = None) -> UndoResult:
        """Undo a whole import batch, refused once one of its quarters is locked."""
        why = reason or f"undo import batch {batch_id}"
        with self.store.session(reason=why) as s:
            batch = _undoable_batch(s, batch_id)
            changes = Q.batch_changes(s, batch_id)
            periods = Q.batch_quarters(s, batch_id)
            touched = {c.entity_id for c in changes}
            if touched:
                periods |= Q.quarters_of_observations(s, touched)
            p = get_programme(s, batch.programme_code or "")
            locked = sorted(periods & locked_quarters(s, p.id))
            if locked:
                raise LockedPeriod(
                    f"import batch {batch_id} ({batch.file_name}) cannot be undone: quarter "
                    f"{', '.join(locked)} of {p.code} has been locked since. Unlock it (with a "
                    "reason) first, or correct the values one by one")
            conflicts, restored = _restore(s, changes)
            # A row the batch created and someone changed since would lose that change.
            for entity_id, fname, user in Q.later_changes(s, batch_id)[:20]:
                conflicts.append(f"observation {entity_id}, which this import created, was "
                                 f"changed since ({fname}, by {user}); undo or delete that "
                                 "change first")
            if conflicts:
                raise ValidationFailed(conflicts, f"import batch {batch_id} cannot be undone; "
                                                  "nothing was changed")
            n = delete_batch_observations(s, batch_id)
            # The deleted rows were audited only through their batch: so is their deletion.
            s.add(M.AuditLog(at=now(), user=s.info["user"], action="delete",
                             entity="observation", entity_id=None, field=None,
                             old=json.dumps({"import_batch_id": batch_id, "observations": n}),
                             new=None, reason=why, import_batch_id=batch_id))
            batch.reverted_at = now()
            return UndoResult(batch_id, n, restored)

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
            row = Q.mapping_named(s, name)
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
            progs = programme_codes(s)
            out = [SavedMapping(m.name, None if m.programme_id is None else
                                progs.get(m.programme_id), m.header_signature,
                                ColumnMapping.from_json(m.mapping_json), m.updated_at)
                   for m in Q.saved_mappings(s)]
        return [m for m in out if programme_code is None or m.programme_code in
                (None, programme_code)]

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
        from coprod_me.services.indicators import IndicatorService  # only when one is made

        saved = IndicatorService(self.store).create(
            programme_code, code, (name or code).strip(), result_level=level,
            rba_quadrant=quadrant, unit=unit, better_off_type=better_off_type,
            reason=reason or "created from an NGO spreadsheet import")
        return saved.id

    @staticmethod
    def strand_code_for(text: str) -> str:
        """A code for a strand the file names ("East block" -> EAST-BLOCK)."""
        code = re.sub(r"[^A-Za-z0-9_.-]+", "-", fold(text)).strip("-.").upper()[:40]
        return code or "STRAND"

    def create_strand(self, programme_code: str, code: str, *, name: str | None = None,
                      strand_type: str = "site", reason: str | None = None) -> int:
        """Create a strand or site the file names but the programme lacks."""
        code = check_code(code, "strand")
        with self.store.session(reason=reason or "created from an NGO spreadsheet import") as s:
            p = get_programme(s, programme_code)
            if Q.strand_named(s, p.id, code):
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
        # openpyxl is imported only when an errors workbook is written
        from coprod_me.spreadsheets.ngo_errors import rejected_by_row, write_rejected_rows

        draft = preview.draft
        grid = draft.grid if draft.complete else RowsGrid(
            draft.grid.file, draft.grid.sheet, [], draft.grid.row0, draft.grid.col0,
            errors=draft.grid.errors, by_row=preview.rejected_cells)
        return write_rejected_rows(Path(path), grid, draft.shape, rejected_by_row(preview.rows))


class _Writer:
    """A commit's writes, as the parts are settled: new rows inserted at once, naming the
    batch whose row is written at the end (when its counts are known), updates held (few,
    and kept by the preview anyway) and made at the end."""

    def __init__(self, s: Session, cancelled: IsCancelled) -> None:
        self.s, self.cancelled = s, cancelled
        self.batch_id = reserve_batch_id(s)
        self.entered = (s.info["user"], entered_at_value(s, now()), self.batch_id)
        self.columns = observation_columns(SETTABLE)
        self.first = self.next = next_observation_id(s)
        self.updates: list[PreviewRow] = []

    def write(self, rows: list[PreviewRow]) -> None:
        creates = [r for r in rows if r.status == NEW]
        self.updates += [r for r in rows if r.status == UPDATE]
        for start in range(0, len(creates), _CHUNK):
            if self.cancelled():
                raise Cancelled("import cancelled")
            part = creates[start:start + _CHUNK]
            new, dims = _new_observations(part, self.next, self.entered)
            insert_observations(self.s, self.columns, new, dims)
            self.next += len(part)

    def reset(self) -> None:
        """Take back what was written (the plan is made again, or nothing is saved)."""
        if self.next > self.first:
            delete_observations_from(self.s, self.first)
        self.next = self.first
        self.updates = []

    def finish(self) -> None:
        s = self.s
        updates = self.updates
        # The updated observations are loaded a few hundred per query (held here, so the
        # session's identity map keeps them); each row's change is flushed before the next
        # row's, as when each was fetched on its own, so the audit rows keep their order.
        loaded = Q.observations_by_id(s, [r.existing_id for r in updates])
        for i, r in enumerate(updates):
            if i % 2000 == 0 and self.cancelled():
                raise Cancelled("import cancelled")
            obs = s.get(M.Observation, r.existing_id)
            if obs is None:
                raise DomainError(f"row {r.row}: the observation it updates was deleted "
                                  "meanwhile; preview again")
            for f in r.previous:
                setattr(obs, f, r.values[f])
            s.flush()  # audited field by field under this batch
        del loaded
        if self.cancelled():
            raise Cancelled("import cancelled")


def _result(preview: Preview) -> ImportResult:
    """The counts of a preview, as a result that saved nothing (yet)."""
    draft, c = preview.draft, preview.counts
    return ImportResult(draft.file_name, draft.sheet, draft.programme_code, None, c[NEW],
                        c[UPDATE], c[UNCHANGED], c[SKIPPED], c[REJECTED], preview.problems,
                        saved=False, preview=preview, changes=preview.changes,
                        warnings=preview.warnings)


def _new_observations(part: list[PreviewRow], first_id: int,
                      entered: tuple[Any, Any, int]
                      ) -> tuple[list[tuple[Any, ...]], list[tuple[int, str, str]]]:
    """New rows as ``insert_observations`` takes them, ids from ``first_id`` on; ``entered``
    is (user, time, batch id)."""
    rows = []
    dims: list[tuple[int, str, str]] = []
    for oid, r in enumerate(part, start=first_id):
        text = r.dims_text
        if text is None:
            text = dims_key(r.dims)
        rows.append((oid, r.indicator_id, r.strand_id, r.period, text,
                     *map(r.values.get, SETTABLE), *entered))
        if r.dims:
            dims += [(oid, d, c) for d, c in r.dims.items()]
    return rows, dims


def _undoable_batch(s: Session, batch_id: int) -> M.ImportBatch:
    """The batch, if it is an NGO import not undone yet."""
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
    return batch


def _restore(s: Session, changes: list[Q.AuditedChange]) -> tuple[list[str], int]:
    """Put back the values the batch changed (newest change first); the conflicts (a value
    changed again since) and how many were restored."""
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
        setattr(obs, fname, observation_value(fname, old))
        restored += 1
    return conflicts, restored


__all__ = [
    "FIELDS",
    "KIND",
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
