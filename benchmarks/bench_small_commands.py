"""Small commands start small: ``coprod-me list`` and ``coprod-me gates RS-01`` as whole
processes against a bare Python process running the same queries with sqlite3 (issue 14,
target 8).

    .venv/bin/python benchmarks/bench_small_commands.py [--repeat 15] [--json]

The five sample programmes are loaded into a fresh database (not timed). Then, alternating
ours and the floor, each a fresh process from exec to exit, best of R each:

- ours: ``.venv/bin/coprod-me --db DB list`` and ``... gates RS-01`` (output to a pipe);
- floor: ``python -c`` that imports sqlite3, opens the database read-only and runs the same
  statements the command runs (the programme list's counts and strands, or the gate facts of
  one programme), printing the rows.

Printed: the best of each, the ratio (target <= 8), the spread (every run) and the load
average while measuring.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TARGET = 8.0
COPROD = Path(sys.executable).with_name("coprod-me")

LIST_SQL = [
    "SELECT programme_id, count(*) FROM indicator GROUP BY programme_id",
    "SELECT programme_id, count(*) FROM indicator WHERE result_level IN "
    "('outcome_short', 'outcome_intermediate') GROUP BY programme_id",
    "SELECT i.programme_id, count(*) FROM observation o JOIN indicator i "
    "ON o.indicator_id = i.id GROUP BY i.programme_id",
    "SELECT strand_id, count(*) FROM observation WHERE strand_id IS NOT NULL GROUP BY strand_id",
    "SELECT id, programme_id, code, name, type FROM strand ORDER BY code",
    "SELECT id, code, name, policy_domain, status, os_level, ors_type, interaction_mode, "
    "intended_outcome, tradition_label_override, is_sample FROM programme ORDER BY code",
    "SELECT * FROM indicator", "SELECT * FROM programme_phase", "SELECT * FROM result_link",
]
GATES_SQL = [
    "SELECT id, code FROM programme",
    "SELECT * FROM indicator WHERE programme_id = (SELECT id FROM programme "
    "WHERE code = 'RS-01')",
    "SELECT * FROM programme_phase WHERE programme_id = (SELECT id FROM programme "
    "WHERE code = 'RS-01')",
    "SELECT * FROM result_link",
]


def _floor(db: Path, statements: list[str]) -> list[str]:
    code = ("import sqlite3, sys\n"
            f"c = sqlite3.connect('file:' + {str(db)!r} + '?mode=ro', uri=True)\n"
            f"for sql in {statements!r}:\n"
            "    for row in c.execute(sql):\n"
            "        print(row)\n")
    return [sys.executable, "-c", code]


def _time(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, capture_output=True, check=True)
    return time.perf_counter() - started


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "samples.sqlite"
        subprocess.run([str(COPROD), "--db", str(db), "demo"], check=True,
                       stdout=subprocess.DEVNULL)
        cases = {
            "list": ([str(COPROD), "--db", str(db), "list"], _floor(db, LIST_SQL)),
            "gates RS-01": ([str(COPROD), "--db", str(db), "gates", "RS-01"],
                            _floor(db, GATES_SQL)),
        }
        load = []
        results = {}
        for name, (ours_argv, floor_argv) in cases.items():
            _time(ours_argv), _time(floor_argv)  # warm the page cache
            ours, floor = [], []
            for _ in range(args.repeat):
                ours.append(_time(ours_argv))
                floor.append(_time(floor_argv))
                load.append(os.getloadavg()[0])
            results[name] = {"ours": ours, "floor": floor,
                             "ratio": min(ours) / min(floor)}
    if args.json:
        print(json.dumps({"target": TARGET, "results": results, "load": load}, indent=2))
        return 0
    print(f"small commands as whole processes, best of {args.repeat}, ours and floor "
          f"alternated; load average {min(load):.2f}-{max(load):.2f}")
    for name, r in results.items():
        print(f"  {name:<12} ours {min(r['ours']) * 1000:6.0f} ms "
              f"(spread {min(r['ours']) * 1000:.0f}-{max(r['ours']) * 1000:.0f}), "
              f"floor {min(r['floor']) * 1000:5.0f} ms "
              f"(spread {min(r['floor']) * 1000:.0f}-{max(r['floor']) * 1000:.0f}): "
              f"ratio {r['ratio']:.2f} (target <= {TARGET:g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
