"""NGO spreadsheet import: the whole `coprod-me import` process against a raw calamine + sqlite3
floor process.

    .venv/bin/python benchmarks/bench_import.py [--observations N] [--format xlsx|csv]
                                                [--repeat R] [--no-breakdown] [--json]

Generates once (not timed) the synthetic programme of ``generate.py`` without its
observations, and an NGO-style long sheet holding those N observations: a title row above
French headers (Code indicateur, Trimestre, Site, Sexe, Tranche d'âge, Valeur, ...) and
quarters written "2024 T2". As .xlsx (ten columns; a sheet holds at most 1,048,576 rows) or
as CSV (``--format csv``: seven columns, so that a million rows stay under the 8,388,608
cells coprod-me reads from one sheet). The programme is loaded into a database once; each
run gets a fresh copy of it (not timed).

Headline, what the user waits for: each run a fresh process, started and waited for by this
one, ours and the floor alternated (which goes first alternates too), R runs each:

- ours:  ``python -m coprod_me import FILE --programme SYN-01 --db DB --json``, from process
  start to exit: interpreter, imports, open the database, read (python-calamine in its child
  process), find the header, map, check every row, classify, insert, commit. Peak RSS is the
  process and its reader child together, sampled every 20 ms.
- floor: a bare process: python-calamine (or the csv module) reading the sheet, then one
  ``sqlite3`` transaction inserting the same observation and observation_dim rows with
  ``executemany`` into the app's DDL (as in ``bench_load.py``), codes resolved to ids and
  quarters converted plainly. No validation.

Printed: best, median and spread (max - min, as % of the best) of each, the ratio of the
bests and of the medians, ours' peak RSS, and the load average around the runs (the machine
is shared: read the ratio against the noise). Breakdown (unless ``--no-breakdown``), one run
each: the import timed in-process (``cli.main`` after the imports, warm) against the floor's
timed section, and the same import as the GUI wizard runs it (``ImportService.commit`` in a
``BackgroundTask`` under an offscreen QApplication with a 10 ms QTimer heartbeat), with the
longest event-loop stall.
Targets: process ratio <= 1.4 at 100k rows, peak RSS <= 300 MB (at 100k and 1M rows), stall
<= 100 ms. Exits 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
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

TARGET_RATIO = 1.4
TARGET_RSS_MB = 300.0
TARGET_STALL_MS = 100.0
PROGRAMME = "SYN-01"
HEADERS = ("Code indicateur", "Trimestre", "Site", "Sexe", "Tranche d'âge", "Phase", "Valeur",
           "Numérateur", "Dénominateur", "Taille de l'échantillon")
FIELDS = ("indicator_code", "period", "strand_code", "dim:sex", "dim:age_band", "phase",
          "value", "numerator", "denominator", "n_sample")
#: The CSV's columns (indexes into HEADERS/FIELDS): seven, so 1M rows stay under the cell limit
CSV_COLUMNS = (0, 1, 2, 3, 4, 6, 9)


def make_files(workdir: Path, observations: int, seed: int, fmt: str = "xlsx"
               ) -> tuple[Path, Path]:
    from generate import programme_rows

    from coprod_me.spreadsheets.programme_workbook import write_workbook

    rows = programme_rows(observations, seed)
    obs = rows.pop("Observations")
    programme = write_workbook(workdir / "programme.xlsx", rows)

    def ngo_rows() -> Any:
        for r in obs:
            values = [r.get(f) for f in FIELDS]
            q = values[1]
            values[1] = f"{q[:4]} T{q[-1]}"  # 2024Q2 -> 2024 T2
            yield values

    if fmt == "csv":
        ngo = workdir / "ngo.csv"
        with ngo.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow([HEADERS[i] for i in CSV_COLUMNS])
            for values in ngo_rows():
                w.writerow(["" if values[i] is None else values[i] for i in CSV_COLUMNS])
        return programme, ngo
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Rapport")
    ws.append(["Rapport trimestriel de l'ONG (synthétique)"])
    ws.append([])
    ws.append(list(HEADERS))
    for values in ngo_rows():
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
    if ngo.suffix == ".csv":
        with ngo.open(newline="", encoding="utf-8") as fh:
            body = list(csv.reader(fh))[1:]
        at = {f: CSV_COLUMNS.index(f) for f in range(len(FIELDS)) if f in CSV_COLUMNS}
        figure = float
    else:
        sheet = CalamineWorkbook.from_path(str(ngo)).get_sheet_by_name("Rapport").to_python()
        header_at = next(i for i, r in enumerate(sheet) if r and r[0] == HEADERS[0])
        body = sheet[header_at + 1:]
        at = {f: f for f in range(len(FIELDS))}

        def figure(x: Any) -> Any:
            return x
    # each row as the ten fields, "" for a column the file does not have
    rows = [[r[at[f]] if f in at else "" for f in range(len(FIELDS))] for r in body]
    del body
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
            return None if r[i] == "" else (r[i] if i == 5 else figure(r[i]))

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


def _tree_rss(pid: int, page: int) -> int:
    """Resident bytes of a process and its children (Linux /proc; 0 once it has ended)."""
    total = 0
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            pids = [pid, *map(int, fh.read().split())]
    except OSError:
        return 0
    for p in pids:
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * page
        except (OSError, IndexError, ValueError):  # it just ended
            pass
    return total


def run_process(cmd: list[str]) -> dict[str, Any]:
    """Run ``cmd`` to its end: wall seconds from start to exit, peak RSS (MB) of it and its
    children sampled every 20 ms, and its output. (Not ru_maxrss: a forked child's counts
    what this process held when it forked.)"""
    page = os.sysconf("SC_PAGE_SIZE")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.wait(0.02):
                peak = max(peak, _tree_rss(proc.pid, page))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status = os.waitpid(proc.pid, 0)
        seconds = time.perf_counter() - t0
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(cmd[:4])} ... failed ({proc.returncode}):\n"
                             f"{err.read().decode()[-4000:]}")
        out.seek(0)
        return {"seconds": seconds, "rss_mb": peak / 2**20,
                "stdout": out.read().decode()}


def _spread(xs: list[float]) -> dict[str, float]:
    best = min(xs)
    return {"best": round(best, 3), "median": round(statistics.median(xs), 3),
            "spread_pct": round(100 * (max(xs) - best) / best, 1)}


def _process_runs(ngo: Path, programme: Path, prepared: Path, schema: Path, workdir: Path,
                  repeat: int, observations: int, log: Any) -> dict[str, Any]:
    """Ours and the floor as whole processes, alternated; the load average around each."""
    runs: dict[str, list[dict[str, Any]]] = {"ours": [], "floor": []}
    loads: list[float] = [os.getloadavg()[0]]
    for i in range(repeat):
        for kind in ("ours", "floor") if i % 2 == 0 else ("floor", "ours"):
            db = workdir / f"p-{kind}-{i}.sqlite"
            if kind == "ours":
                shutil.copy(prepared, db)
                cmd = [sys.executable, "-m", "coprod_me", "import", str(ngo), "--programme",
                       PROGRAMME, "--db", str(db), "--json"]
            else:
                cmd = [sys.executable, __file__, "--child", "floor", "--file", str(ngo),
                       "--programme-file", str(programme), "--db", str(db), "--schema",
                       str(schema)]
            r = run_process(cmd)
            got = json.loads(r["stdout"] if kind == "ours"
                             else r["stdout"].strip().splitlines()[-1])
            n = got["imported"] if kind == "ours" else got["observations"]
            if n != observations:
                raise SystemExit(f"{kind} inserted {n} observations, expected {observations}")
            runs[kind].append(r)
            loads.append(os.getloadavg()[0])
            print(f"  run {i + 1}/{repeat} {kind:5s} {r['seconds']:7.3f} s  "
                  f"{r['rss_mb']:6.1f} MB  (load {loads[-1]:.2f})", file=log)
            for p in workdir.glob(f"p-{kind}-{i}.sqlite*"):
                p.unlink()
    ours = _spread([r["seconds"] for r in runs["ours"]])
    floor = _spread([r["seconds"] for r in runs["floor"]])
    return {"ours": ours, "floor": floor,
            "ratio_best": round(ours["best"] / floor["best"], 2),
            "ratio_median": round(ours["median"] / floor["median"], 2),
            "ours_peak_rss_mb": round(max(r["rss_mb"] for r in runs["ours"]), 1),
            "floor_peak_rss_mb": round(max(r["rss_mb"] for r in runs["floor"]), 1),
            "load_min": round(min(loads), 2), "load_max": round(max(loads), 2)}


def _breakdown(ngo: Path, programme: Path, schema: Path, workdir: Path, log: Any
               ) -> dict[str, Any]:
    """One run each of the in-process figures (the former headline) and the GUI import."""
    out: dict[str, Any] = {}
    for kind in ("ours", "floor", "gui"):
        db = workdir / f"b-{kind}.sqlite"
        r = run_child(kind, ngo, programme, db, schema)
        out[kind] = r
        extra = f"  stall {r['stall_ms']} ms" if kind == "gui" else ""
        print(f"  in-process {kind:5s} {r['seconds']:7.3f} s  {r['rss_mb']:6.1f} MB{extra}",
              file=log)
        for p in workdir.glob(f"b-{kind}.sqlite*"):
            p.unlink()
    return {"ours_seconds": round(out["ours"]["seconds"], 3),
            "floor_seconds": round(out["floor"]["seconds"], 3),
            "ratio": round(out["ours"]["seconds"] / out["floor"]["seconds"], 2),
            "gui_seconds": round(out["gui"]["seconds"], 3),
            "gui_max_stall_ms": out["gui"]["stall_ms"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--observations", "-n", type=int, default=100_000)
    ap.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    ap.add_argument("--repeat", "-r", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-breakdown", action="store_true",
                    help="time the whole processes only")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--child", choices=("ours", "floor", "gui", "prepare"),
                    help=argparse.SUPPRESS)
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
    if args.child == "prepare":
        _prepared_store(args.db, args.programme_file)
        return 0

    log = sys.stderr if args.json else sys.stdout
    with tempfile.TemporaryDirectory(prefix="coprod-bench-import-") as tmp:
        workdir = Path(tmp)
        t0 = time.perf_counter()
        programme, ngo = make_files(workdir, args.observations, args.seed, args.format)
        schema = workdir / "observation_ddl.json"
        schema.write_text(json.dumps(observation_ddl(workdir)))
        prepared = workdir / "prepared.sqlite"
        subprocess.run([sys.executable, __file__, "--child", "prepare", "--db", str(prepared),
                        "--programme-file", str(programme)], check=True)
        print(f"generated {ngo.name}: {args.observations} rows, {ngo.stat().st_size / 1e6:.1f} "
              f"MB, {time.perf_counter() - t0:.1f} s (not timed)", file=log)
        f: dict[str, Any] = {"observations": args.observations, "format": args.format,
                             "repeat": args.repeat, "python": sys.version.split()[0],
                             "cpus": os.cpu_count()}
        f["process"] = _process_runs(ngo, programme, prepared, schema, workdir, args.repeat,
                                     args.observations, log)
        if not args.no_breakdown:
            f["in_process"] = _breakdown(ngo, programme, schema, workdir, log)
    p = f["process"]
    rss = p["ours_peak_rss_mb"]
    stall = f["in_process"]["gui_max_stall_ms"] if "in_process" in f else None
    f["ratio_ok"] = p["ratio_best"] <= TARGET_RATIO
    f["rss_ok"] = rss <= TARGET_RSS_MB
    f["stall_ok"] = stall is None or stall <= TARGET_STALL_MS
    if args.json:
        print(json.dumps(f, indent=2))
        return 0
    o, fl = p["ours"], p["floor"]
    print()
    print(f"NGO import, {f['observations']:,} rows ({f['format']}), whole processes, "
          f"{f['repeat']} runs each alternated (Python {f['python']}, {f['cpus']} CPUs, load "
          f"average {p['load_min']}-{p['load_max']})")
    print(f"  {'':28s}{'best':>9s}{'median':>9s}{'spread':>9s}")
    print(f"  {'ours (coprod-me import)':28s}{o['best']:8.3f}s{o['median']:8.3f}s"
          f"{o['spread_pct']:8.1f}%   peak RSS {rss:.1f} MB (with the reader child)")
    print(f"  {'floor (calamine+sqlite3)':28s}{fl['best']:8.3f}s{fl['median']:8.3f}s"
          f"{fl['spread_pct']:8.1f}%   peak RSS {p['floor_peak_rss_mb']:.1f} MB")
    print(f"  {'ratio ours/floor':28s}{p['ratio_best']:9.2f}{p['ratio_median']:9.2f}"
          f"            (target <= {TARGET_RATIO}, best vs best)")
    if "in_process" in f:
        b = f["in_process"]
        print(f"  breakdown, one run each: in-process ours {b['ours_seconds']:.3f} s vs floor "
              f"{b['floor_seconds']:.3f} s = {b['ratio']:.2f}; GUI worker import "
              f"{b['gui_seconds']:.3f} s, longest event-loop stall {stall} ms")
    for ok, what in ((f["ratio_ok"], f"ratio {p['ratio_best']} > {TARGET_RATIO}"),
                     (f["rss_ok"], f"peak RSS {rss:.1f} MB > {TARGET_RSS_MB:.0f} MB"),
                     (f["stall_ok"], f"stall {stall} ms > {TARGET_STALL_MS:.0f} ms")):
        if not ok:
            print(f"TARGET MISSED: {what}")
    if f["ratio_ok"] and f["rss_ok"] and f["stall_ok"]:
        print("targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
