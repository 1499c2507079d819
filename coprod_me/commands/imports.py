"""``coprod-me import`` and ``coprod-me undo-import``: NGO spreadsheets of any shape.

Exit 0 when no row was rejected; 1 when any was, or on a problem the user can fix. Rows that
would change stored figures are kept as stored and listed unless ``--on-duplicate update``;
figures that look unusual next to their series are listed (and saved).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from coprod_me.commands import DATABASE
from coprod_me.commands.output import emit, progress_printer

COMMANDS = {"import": DATABASE, "undo-import": DATABASE}


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "import", parents=[common],
        help="import observations from an NGO spreadsheet (.xlsx .xlsm .xls .ods .csv)",
        description="Read observations from a spreadsheet of any reasonable shape (title rows, "
                    "merged or HXL headers, quarters or indicators as columns), save the valid "
                    "rows as one import batch and report every rejected row with what to fix. "
                    "Exit status 0 when no row was rejected, 1 when any was.")
    p.add_argument("file", type=Path)
    p.add_argument("--programme", "-p", required=True, metavar="CODE",
                   help="the programme the figures belong to")
    p.add_argument("--sheet", metavar="NAME", help="the sheet to read (default: the first "
                   "one with data; Observations or Observations_raw when present)")
    p.add_argument("--mapping", metavar="NAME", help="use this saved mapping (a saved "
                   "mapping whose headers match is used without asking)")
    p.add_argument("--save-mapping", metavar="NAME",
                   help="save the mapping used under this name for next quarter's file")
    p.add_argument("--dry-run", action="store_true",
                   help="check and report only; save nothing")
    p.add_argument("--strict", action="store_true",
                   help="save nothing if any row is rejected")
    p.add_argument("--errors", type=Path, metavar="OUT.xlsx",
                   help="write the rejected rows, with an error column and a comment on each "
                        "bad cell, to this workbook")
    p.add_argument("--on-duplicate", choices=("skip", "update", "error"), default=None,
                   help="a row for a cell the database already holds with other figures, or "
                        "a row repeated in the file: skip it (keep the stored / first one), "
                        "update (the file / the last row wins) or error (reject it). Default: "
                        "keep stored figures and list each change the file would make (run "
                        "again with 'update' to apply them), reject repeated rows")
    p.add_argument("--reason", help="why (kept in the audit log)")
    p = sub.add_parser("undo-import", parents=[common],
                       help="undo an import batch (until one of its quarters is locked)")
    p.add_argument("batch", type=int, metavar="BATCH", help="the import batch id")
    p.add_argument("--reason", help="why (kept in the audit log)")


def run(args: argparse.Namespace, services: Any) -> int:
    if args.command == "undo-import":
        r = services.imports.undo(args.batch, reason=args.reason)
        emit(args, {"batch": r.batch_id, "deleted": r.deleted, "restored": r.restored},
             f"import batch {r.batch_id} undone: {r.deleted} observation(s) deleted, "
             f"{r.restored} value(s) restored")
        return 0
    from coprod_me.services.import_results import Choices

    result = services.imports.import_file(
        args.file, args.programme, sheet=args.sheet, mapping_name=args.mapping,
        save_mapping=args.save_mapping, choices=Choices.from_cli(args.on_duplicate),
        dry_run=args.dry_run, strict=args.strict, errors_path=args.errors,
        progress=progress_printer(args))
    kept = len(result.changes)
    lines = [f"{result.file}, sheet {result.sheet}: {result.imported} imported, "
             f"{result.updated} updated, {result.unchanged} unchanged, {result.skipped - kept} "
             f"skipped (no figure), " + (f"{kept} kept as stored, " if kept else "")
             + f"{result.rejected} rejected"]
    if result.batch_id is not None:
        lines.append(f"saved as import batch {result.batch_id} (undo with 'coprod-me "
                     f"undo-import {result.batch_id}')")
    elif args.dry_run:
        lines.append("dry run: nothing was saved")
    elif args.strict and result.rejected:
        lines.append("--strict: nothing was saved because rows were rejected")
    else:
        lines.append("nothing to change")
    lines += [f"  {e}" for e in result.errors]
    if kept:
        lines.append(f"{kept} row(s) would change figures the database holds; they were "
                     "skipped (--on-duplicate update applies them):")
        lines += [f"  {c}" for c in result.changes]
    if result.warnings:
        lines.append(f"{len(result.warnings)} figure(s) look unusual next to their series; "
                     "check them:")
        lines += [f"  {w}" for w in result.warnings]
    if result.errors_file is not None:
        lines.append(f"rejected rows written to {result.errors_file}")
    emit(args, result.as_json(), "\n".join(lines))
    return 1 if result.rejected else 0
