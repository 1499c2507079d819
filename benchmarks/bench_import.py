"""NGO spreadsheet import through the CLI against a raw calamine + sqlite3 floor.

    .venv/bin/python benchmarks/bench_import.py [--observations N] [--repeat R] [--json]

Generates once (not timed) the synthetic programme of ``generate.py`` without its
observations, and an NGO-style long sheet holding those N observations: a title row above
French headers (Code indicateur, Trimestre, Site, Sexe, Tranche d'âge, Valeur, ...) and
quarters written "2024 T2". Then, each in a fresh subprocess on a fresh database, alternating:

- ours:  ``coprod-me import FILE --programme SYN-01 --json`` run in-process (``cli.main``);
  the programme is loaded first (not timed). Timed: the whole command: open the database,
  read, find the header, map, check every row, classify, insert, commit.
- floor: python-calamine reading the sheet, then one ``sqlite3`` transaction inserting the
  same observation and observation_dim rows with ``executemany`` into the app's DDL (as in
  ``bench_load.py``), codes resolved to ids and quarters converted plainly. No validation.
- gui:   the same import as the wizard runs it (``ImportService.commit`` in a
  ``BackgroundTask``) under an offscreen QApplication with a 10 ms QTimer heartbeat; reports
  the longest gap between heartbeats, i.e. the longest the event loop stalled.

Prints the best time of each, the ratio ours/floor, ours' peak RSS (with the spreadsheet
reader's own child process, sampled together) and the longest stall.
Targets: ratio <= 1.5, peak RSS <= 300 MB, stall <= 100 ms. Exits 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_load import (  # noqa: E402
    FLOOR_PARENTS,
    OBS_COLUMNS,
    PRAGMAS,
    TreeMemory,
    observation_ddl,
    peak_rss_mb,
)

TARGET_RATIO = 1.5
TARGET_RSS_MB = 300.0
TARGET_STALL_MS = 100.0
PROGRAMME = "SYN-01"
HEADERS = ("Code indicateur", "Trimestre", "Site", "Sexe", "Tranche d'âge", "Phase", "Valeur",
           "Numérateur", "Dénominateur", "Taille de l'échantillon")
FIELDS = ("indicator_code", "period", "strand_code", "dim:sex", "dim:age_band", "phase",
          "value", "numerator", "denominator", "n_sample")


def make_files(workdir: Path, observations: int, seed: int) -> tuple[Path, Path]:
    from generate import programme_rows
    from openpyxl import Workbook

    from coprod_me.spreadsheets.programme_workbook import write_workbook

    rows = programme_rows(observations, seed)
    obs = rows.pop("Observations")
    programme = write_workbook(workdir / "programme.xlsx", rows)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Rapport")
    ws.append(["Rapport trimestriel de l'ONG (synthétique)"])
    ws.append([])
    ws.append(list(HEADERS))
    for r in obs:
        values = [r.get(f) for f in FIELDS]
        q = values[1]
        values[1] = f"{q[:4]} T{q[-1]}"  # 2024Q2 -> 2024 T2
        ws.append(values)
    ngo = workdir / "ngo.xlsx"
    wb.save(ngo)
    return programme, ngo


# ------------------------------------------------------------------------------ children


def _prepared_store(db: Path, programme: Path) -> None:
    from coprod_me.services.workbooks import WorkbookService
    from coprod_me.store.database import open_store

    store = open_store(db)
    WorkbookService(store).load(programme)
    store.dispose()


def child_ours(ngo: Path, programme: Path, db: Path) -> dict[str, Any]:
    from coprod_me.cli import main

    _prepared_store(db, programme)
    out = io.StringIO()
    with TreeMemory() as tree:
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(out):
            code = main(["import", str(ngo), "--programme", PROGRAMME, "--db", str(db),
                         "--json"])
        seconds = time.perf_counter() - t0
    result = json.loads(out.getvalue())
    if code != 0:
        raise SystemExit(f"import exited {code}: {result['errors'][:3]}")
    return {"seconds": seconds, "rss_mb": peak_rss_mb(tree), "observations": result["imported"]}


def child_floor(ngo: Path, programme: Path, db: Path, schema: Path) -> dict[str, Any]:
    from python_calamine import CalamineWorkbook

    conn = sqlite3.connect(db, isolation_level=None)
    for p in PRAGMAS:
        conn.execute(p)
    for ddl in (*FLOOR_PARENTS, *json.loads(schema.read_text())):
        conn.execute(ddl)
    book = CalamineWorkbook.from_path(str(programme))
    codes = {}
    for name in ("Strands", "Indicators"):
        head, *body = book.get_sheet_by_name(name).to_python()
        codes[name] = [r[head.index("code")] for r in body]
    strands, indicators = codes["Strands"], codes["Indicators"]
    entered_at = "2025-01-01 00:00:00.000000"

    t0 = time.perf_counter()
    sheet = CalamineWorkbook.from_path(str(ngo)).get_sheet_by_name("Rapport").to_python()
    header_at = next(i for i, r in enumerate(sheet) if r and r[0] == HEADERS[0])
    rows = sheet[header_at + 1:]
    strand_ids = {c: i for i, c in enumerate(strands, start=1)}
    indicator_ids = {c: i for i, c in enumerate(indicators, start=1)}
    conn.execute("BEGIN")
    conn.execute("INSERT INTO import_batch (id) VALUES (1)")
    conn.executemany("INSERT INTO strand (id, code) VALUES (?, ?)",
                     [(i, c) for c, i in strand_ids.items()])
    conn.executemany("INSERT INTO indicator (id, code) VALUES (?, ?)",
                     [(i, c) for c, i in indicator_ids.items()])
    obs: list[tuple[Any, ...]] = []
    dims: list[tuple[int, str, str]] = []
    for oid, r in enumerate(rows, start=1):
        cats = [(d, c) for d, c in (("age_band", r[4]), ("sex", r[3])) if c != ""]
        q = r[1]
        period = f"{q[:4]}Q{q[-1]}"

        def v(i: int, r: list[Any] = r) -> Any:
            return None if r[i] == "" else r[i]

        n = v(9)
        obs.append((oid, indicator_ids[r[0]], strand_ids.get(r[2]), period,
                    ";".join(f"{d}={c}" for d, c in cats), v(5), v(6), v(7), v(8),
                    None if n is None else int(n), None, None, None, None, None, None, None,
                    None, None, "bench", entered_at, 1))
        dims.extend((oid, d, c) for d, c in cats)
    conn.executemany(f"INSERT INTO observation ({', '.join(OBS_COLUMNS)}) VALUES "
                     f"({', '.join('?' * len(OBS_COLUMNS))})", obs)
    conn.executemany("INSERT INTO observation_dim (observation_id, dimension, category) "
                     "VALUES (?, ?, ?)", dims)
    conn.execute("COMMIT")
    seconds = time.perf_counter() - t0
    conn.close()
    return {"seconds": seconds, "rss_mb": peak_rss_mb(), "observations": len(obs)}


def child_gui(ngo: Path, programme: Path, db: Path) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from coprod_me.gui.workers import BackgroundTask
    from coprod_me.services import Services

    _prepared_store(db, programme)
    app = QApplication.instance() or QApplication([])
    services = Services.open(db)
    with TreeMemory() as tree:
        draft = services.imports.open(ngo, PROGRAMME)  # the read: its child process counts
    window = QWidget()
    clock = QElapsedTimer()
    gaps: list[int] = []
    out: dict[str, Any] = {}

    def beat() -> None:
        gaps.append(clock.restart())

    def job(progress: Any, cancelled: Any) -> Any:
        return services.imports.commit(draft, progress=progress, cancelled=cancelled)

    task = BackgroundTask(window, "Importing", job)
    task.done.connect(lambda r: (out.update(result=r), app.quit()))
    task.error.connect(lambda e: (out.update(error=e), app.quit()))
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(beat)
    t0 = time.perf_counter()
    clock.start()
    timer.start()
    task.start()
    app.exec()
    seconds = time.perf_counter() - t0
    timer.stop()
    services.close()
    if "error" in out:
        raise SystemExit(f"gui import failed: {out['error']}")
    return {"seconds": seconds, "rss_mb": peak_rss_mb(tree),
            "observations": out["result"].imported, "stall_ms": max(gaps, default=0)}


# -------------------------------------------------------------------------------- parent


def run_child(kind: str, ngo: Path, programme: Path, db: Path, schema: Path
              ) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", kind, "--file", str(ngo), "--programme-file",
           str(programme), "--db", str(db), "--schema", str(schema)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{kind} run failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--observations", "-n", type=int, default=100_000)
    ap.add_argument("--repeat", "-r", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--child", choices=("ours", "floor", "gui"), help=argparse.SUPPRESS)
    ap.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--programme-file", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--schema", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child == "ours":
        print(json.dumps(child_ours(args.file, args.programme_file, args.db)))
        return 0
    if args.child == "floor":
        print(json.dumps(child_floor(args.file, args.programme_file, args.db, args.schema)))
        return 0
    if args.child == "gui":
        print(json.dumps(child_gui(args.file, args.programme_file, args.db)))
        return 0

    log = sys.stderr if args.json else sys.stdout
    with tempfile.TemporaryDirectory(prefix="coprod-bench-import-") as tmp:
        workdir = Path(tmp)
        t0 = time.perf_counter()
        programme, ngo = make_files(workdir, args.observations, args.seed)
        print(f"generated {ngo.name}: {args.observations} rows, {ngo.stat().st_size / 1e6:.1f} "
              f"MB, {time.perf_counter() - t0:.1f} s (not timed)", file=log)
        schema = workdir / "observation_ddl.json"
        schema.write_text(json.dumps(observation_ddl(workdir)))
        runs: dict[str, list[dict[str, Any]]] = {"ours": [], "floor": [], "gui": []}
        for i in range(args.repeat):
            for kind in ("ours", "floor", "gui") if i == 0 else ("ours", "floor"):
                db = workdir / f"{kind}-{i}.sqlite"
                r = run_child(kind, ngo, programme, db, schema)
                if r["observations"] != args.observations:
                    raise SystemExit(f"{kind} inserted {r['observations']} observations, "
                                     f"expected {args.observations}")
                runs[kind].append(r)
                extra = f"  stall {r['stall_ms']} ms" if kind == "gui" else ""
                print(f"  run {i + 1}/{args.repeat} {kind:5s} {r['seconds']:7.3f} s  "
                      f"{r['rss_mb']:6.1f} MB{extra}", file=log)
                for p in workdir.glob(f"{kind}-{i}.sqlite*"):
                    p.unlink()
    ours = min(r["seconds"] for r in runs["ours"])
    floor = min(r["seconds"] for r in runs["floor"])
    rss = max(r["rss_mb"] for r in runs["ours"])
    stall = max(r["stall_ms"] for r in runs["gui"])
    f = {"observations": args.observations, "repeat": args.repeat,
         "python": sys.version.split()[0], "cpus": os.cpu_count(),
         "ours_seconds": round(ours, 3), "floor_seconds": round(floor, 3),
         "ratio": round(ours / floor, 2), "ours_peak_rss_mb": round(rss, 1),
         "gui_seconds": round(runs["gui"][0]["seconds"], 3), "gui_max_stall_ms": stall,
         "ratio_ok": ours / floor <= TARGET_RATIO, "rss_ok": rss <= TARGET_RSS_MB,
         "stall_ok": stall <= TARGET_STALL_MS}
    if args.json:
        print(json.dumps(f, indent=2))
        return 0
    print()
    print(f"NGO import, {f['observations']:,} rows, best of {f['repeat']} "
          f"(Python {f['python']}, {f['cpus']} CPUs)")
    print(f"  {'ours (coprod-me import)':28s}{ours:10.3f} s {rss:8.1f} MB peak RSS")
    print(f"  {'floor (calamine+sqlite3)':28s}{floor:10.3f} s")
    print(f"  {'ratio ours/floor':28s}{f['ratio']:10.2f}   (target <= {TARGET_RATIO})")
    print(f"  {'GUI worker import':28s}{f['gui_seconds']:10.3f} s, longest event-loop stall "
          f"{stall} ms (target <= {TARGET_STALL_MS:.0f})")
    for ok, what in ((f["ratio_ok"], f"ratio {f['ratio']} > {TARGET_RATIO}"),
                     (f["rss_ok"], f"peak RSS {rss:.1f} MB > {TARGET_RSS_MB:.0f} MB"),
                     (f["stall_ok"], f"stall {stall} ms > {TARGET_STALL_MS:.0f} ms")):
        if not ok:
            print(f"TARGET MISSED: {what}")
    if f["ratio_ok"] and f["rss_ok"] and f["stall_ok"]:
        print("targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
