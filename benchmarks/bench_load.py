"""Programme-workbook load: our loader against a raw calamine + sqlite3 floor.

    .venv/bin/python benchmarks/bench_load.py [--observations N] [--repeat R] [--json]

Generates a synthetic workbook once (not timed), then runs each measurement R times, each in
a fresh subprocess with a fresh database file, alternating ours and floor:

- ours:  ``WorkbookService(open_store(db)).load(file)``; only ``load`` is timed (imports and
  schema creation are not).
- floor: python-calamine reading every sheet the loader reads, then one ``sqlite3``
  transaction that inserts the same observation and observation_dim rows with
  ``executemany`` into the same ``observation`` / ``observation_dim`` DDL (copied from a
  store the app created), with the store's pragmas. Reading and inserting are timed.

Reports the best time of each, the ratio ours/floor and the child's peak RSS
(``ru_maxrss`` at its end; for ours, the peak of it and the spreadsheet reader's own child
process together, sampled; the largest over the repeats). Exits 0 whatever the figures:
it is a measurement; missed targets are printed as ``TARGET MISSED`` lines.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TARGET_RATIO = 1.5
TARGET_RSS_MB = 300.0
NOT_DATA_SHEETS = ("README", "_lists")  # the loader reads only the format's sheets
PRAGMAS = ("PRAGMA foreign_keys=ON", "PRAGMA journal_mode=WAL", "PRAGMA busy_timeout=5000",
           "PRAGMA synchronous=NORMAL")  # as coprod_me.store.engine.make_engine sets them
# Parent tables the observation foreign keys point at; the floor fills them with the few
# rows the observations need (ids only), so every foreign-key check still runs.
FLOOR_PARENTS = (
    "CREATE TABLE import_batch (id INTEGER NOT NULL PRIMARY KEY)",
    "CREATE TABLE evidence (id INTEGER NOT NULL PRIMARY KEY)",
    "CREATE TABLE strand (id INTEGER NOT NULL PRIMARY KEY, code TEXT NOT NULL UNIQUE)",
    "CREATE TABLE indicator (id INTEGER NOT NULL PRIMARY KEY, code TEXT NOT NULL UNIQUE)",
)
OBS_COLUMNS = ("id", "indicator_id", "strand_id", "period", "dims_key", "phase", "value",
               "numerator", "denominator", "n_sample", "ci_low", "ci_high", "quality_status",
               "verification_type", "data_source", "collection_method", "evidence_id",
               "comment", "data_label", "entered_by", "entered_at", "import_batch_id")


def peak_rss_mb(tree: TreeMemory | None = None) -> float:
    """This process's peak resident memory, or, with ``tree``, the peak of it and its
    children together (whichever is larger)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    mb = rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024  # bytes vs KiB
    return max(mb, tree.peak / 2**20) if tree is not None else mb


class TreeMemory:
    """The resident memory of this process and its children together, sampled every 10 ms
    (Linux): the app reads spreadsheets in a child process, whose memory ru_maxrss of this
    one does not count, and which a child's own ru_maxrss overstates (it includes what this
    process held when it started the child)."""

    def __init__(self) -> None:
        import threading

        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        me = os.getpid()
        page = os.sysconf("SC_PAGE_SIZE")
        while not self._stop.wait(0.05):
            try:
                with open(f"/proc/{me}/task/{me}/children") as fh:
                    pids = [me, *map(int, fh.read().split())]
            except OSError:  # not Linux: this process's own ru_maxrss only
                return
            total = 0
            for pid in pids:
                try:
                    with open(f"/proc/{pid}/statm") as fh:
                        total += int(fh.read().split()[1]) * page
                except (OSError, IndexError, ValueError):  # the child just ended
                    pass
            self.peak = max(self.peak, total)


# ------------------------------------------------------------------------------ children


def child_ours(file: Path, db: Path) -> dict[str, Any]:
    from coprod_me.services.workbooks import WorkbookService
    from coprod_me.store.database import open_store

    store = open_store(db)  # schema through Alembic: not timed
    service = WorkbookService(store)
    with TreeMemory() as tree:
        t0 = time.perf_counter()
        result = service.load(file)
        seconds = time.perf_counter() - t0
    store.dispose()
    return {"seconds": seconds, "rss_mb": peak_rss_mb(tree),
            "observations": result.counts["Observations"].created, "rows": result.created}


def child_floor(file: Path, db: Path, schema: Path) -> dict[str, Any]:
    from python_calamine import CalamineWorkbook

    conn = sqlite3.connect(db, isolation_level=None)
    for p in PRAGMAS:
        conn.execute(p)
    for ddl in (*FLOOR_PARENTS, *json.loads(schema.read_text())):
        conn.execute(ddl)
    entered_at = "2025-01-01 00:00:00.000000"

    t0 = time.perf_counter()
    wb = CalamineWorkbook.from_path(str(file))
    sheets: dict[str, list[list[Any]]] = {
        name: wb.get_sheet_by_name(name).to_python()
        for name in wb.sheet_names if name not in NOT_DATA_SHEETS}
    header, *rows = sheets["Observations"]
    ix = {h: i for i, h in enumerate(header)}
    dim_cols = sorted((h[4:], ix[h]) for h in header if h.startswith("dim:"))
    strands = {r[sheets["Strands"][0].index("code")]: i
               for i, r in enumerate(sheets["Strands"][1:], start=1)}
    indicators = {r[sheets["Indicators"][0].index("code")]: i
                  for i, r in enumerate(sheets["Indicators"][1:], start=1)}

    def cell(r: list[Any], h: str) -> Any:
        v = r[ix[h]]
        return None if v == "" else v

    conn.execute("BEGIN")
    conn.execute("INSERT INTO import_batch (id) VALUES (1)")
    conn.executemany("INSERT INTO strand (id, code) VALUES (?, ?)",
                     [(i, c) for c, i in strands.items()])
    conn.executemany("INSERT INTO indicator (id, code) VALUES (?, ?)",
                     [(i, c) for c, i in indicators.items()])
    obs: list[tuple[Any, ...]] = []
    dims: list[tuple[int, str, str]] = []
    next_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM observation").fetchone()[0]
    for oid, r in enumerate(rows, start=next_id):
        cats = [(d, r[i]) for d, i in dim_cols if r[i] != ""]
        n = cell(r, "n_sample")
        obs.append((oid, indicators[r[ix["indicator_code"]]], strands.get(r[ix["strand_code"]]),
                    r[ix["period"]], ";".join(f"{d}={c}" for d, c in cats), cell(r, "phase"),
                    cell(r, "value"), cell(r, "numerator"), cell(r, "denominator"),
                    None if n is None else int(n), cell(r, "ci_low"), cell(r, "ci_high"),
                    cell(r, "quality_status"), cell(r, "verification_type"),
                    cell(r, "data_source"), cell(r, "collection_method"), None,
                    cell(r, "comment"), cell(r, "data_label"), "bench", entered_at, 1))
        dims.extend((oid, d, c) for d, c in cats)
    conn.executemany(f"INSERT INTO observation ({', '.join(OBS_COLUMNS)}) VALUES "
                     f"({', '.join('?' * len(OBS_COLUMNS))})", obs)
    conn.executemany("INSERT INTO observation_dim (observation_id, dimension, category) "
                     "VALUES (?, ?, ?)", dims)
    conn.execute("COMMIT")
    seconds = time.perf_counter() - t0
    conn.close()
    return {"seconds": seconds, "rss_mb": peak_rss_mb(), "observations": len(obs),
            "dims": len(dims)}


# -------------------------------------------------------------------------------- parent


def observation_ddl(workdir: Path) -> list[str]:
    """CREATE statements of observation and observation_dim (and their indexes) as the
    app's migrations make them."""
    code = ("import json, sqlite3, sys\n"
            "from coprod_me.store.database import open_store\n"
            "open_store(sys.argv[1]).dispose()\n"
            "c = sqlite3.connect(sys.argv[1])\n"
            "print(json.dumps([s for (s,) in c.execute(\"SELECT sql FROM sqlite_master WHERE "
            "tbl_name IN ('observation', 'observation_dim') AND sql IS NOT NULL ORDER BY "
            "type DESC, name\")]))\n")
    out = subprocess.run([sys.executable, "-c", code, str(workdir / "schema.sqlite")],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def run_child(kind: str, file: Path, db: Path, schema: Path) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", kind, "--file", str(file), "--db", str(db),
           "--schema", str(schema)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{kind} run failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--observations", "-n", type=int, default=100_000)
    ap.add_argument("--repeat", "-r", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--keep", type=Path, help="generate into this folder and keep the files")
    ap.add_argument("--child", choices=("ours", "floor"), help=argparse.SUPPRESS)
    ap.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--schema", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child == "ours":
        print(json.dumps(child_ours(args.file, args.db)))
        return 0
    if args.child == "floor":
        print(json.dumps(child_floor(args.file, args.db, args.schema)))
        return 0

    sys.path.insert(0, str(HERE))
    from generate import generate

    tmp = None
    if args.keep:
        workdir = args.keep
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="coprod-bench-")
        workdir = Path(tmp.name)
    try:
        log = sys.stderr if args.json else sys.stdout
        file = workdir / f"syn-{args.observations}.xlsx"
        t0 = time.perf_counter()
        generate(file, args.observations, args.seed)
        print(f"generated {file.name}: {args.observations} observations, "
              f"{file.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - t0:.1f} s "
              "(not timed)", file=log)
        schema = workdir / "observation_ddl.json"
        schema.write_text(json.dumps(observation_ddl(workdir)))
        runs: dict[str, list[dict[str, Any]]] = {"ours": [], "floor": []}
        for i in range(args.repeat):
            for kind in ("ours", "floor"):
                db = workdir / f"{kind}-{i}.sqlite"
                r = run_child(kind, file, db, schema)
                if r["observations"] != args.observations:
                    raise SystemExit(f"{kind} inserted {r['observations']} observations, "
                                     f"expected {args.observations}")
                runs[kind].append(r)
                print(f"  run {i + 1}/{args.repeat} {kind:5s} {r['seconds']:7.3f} s  "
                      f"{r['rss_mb']:6.1f} MB", file=log)
                for p in workdir.glob(f"{kind}-{i}.sqlite*"):
                    p.unlink()
        figures = summarise(args, runs)
    finally:
        if tmp is not None:
            tmp.cleanup()
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print_table(figures)
    return 0


def summarise(args: argparse.Namespace, runs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    ours = min(r["seconds"] for r in runs["ours"])
    floor = min(r["seconds"] for r in runs["floor"])
    rss = max(r["rss_mb"] for r in runs["ours"])
    ratio = ours / floor
    return {
        "observations": args.observations, "repeat": args.repeat, "seed": args.seed,
        "python": sys.version.split()[0], "cpus": os.cpu_count(),
        "ours_seconds": round(ours, 3), "floor_seconds": round(floor, 3),
        "ratio": round(ratio, 2),
        "ours_peak_rss_mb": round(rss, 1),
        "floor_peak_rss_mb": round(max(r["rss_mb"] for r in runs["floor"]), 1),
        "ours_runs_seconds": [round(r["seconds"], 3) for r in runs["ours"]],
        "floor_runs_seconds": [round(r["seconds"], 3) for r in runs["floor"]],
        "target_ratio": TARGET_RATIO, "target_rss_mb": TARGET_RSS_MB,
        "ratio_ok": ratio <= TARGET_RATIO, "rss_ok": rss <= TARGET_RSS_MB,
    }


def print_table(f: dict[str, Any]) -> None:
    print()
    print(f"Workbook load, {f['observations']:,} observations, best of {f['repeat']} "
          f"(Python {f['python']}, {f['cpus']} CPUs)")
    print(f"  {'':26s}{'seconds':>10s}{'peak RSS MB':>14s}")
    print(f"  {'ours (load)':26s}{f['ours_seconds']:10.3f}{f['ours_peak_rss_mb']:14.1f}")
    print(f"  {'floor (calamine+sqlite3)':26s}{f['floor_seconds']:10.3f}"
          f"{f['floor_peak_rss_mb']:14.1f}")
    print(f"  {'ratio ours/floor':26s}{f['ratio']:10.2f}   (target <= {f['target_ratio']})")
    print(f"  {'ours peak memory':26s}{f['ours_peak_rss_mb']:10.1f}   "
          f"(target <= {f['target_rss_mb']:.0f} MB)")
    if not f["ratio_ok"]:
        print(f"TARGET MISSED: ours/floor = {f['ratio']:.2f} > {f['target_ratio']}")
    if not f["rss_ok"]:
        print(f"TARGET MISSED: peak RSS {f['ours_peak_rss_mb']:.1f} MB > "
              f"{f['target_rss_mb']:.0f} MB")
    if f["ratio_ok"] and f["rss_ok"]:
        print("targets met")


if __name__ == "__main__":
    sys.exit(main())
