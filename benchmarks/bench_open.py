"""Opening a programme with 10,000 observations in the workbench, against the bare query.

    .venv/bin/python benchmarks/bench_open.py [--observations N] [--repeat R] [--json]

A synthetic programme (benchmarks/generate.py) is loaded into a fresh database (not timed).
Then, in one process on the offscreen platform:

- ours: selecting the programme in the main window with the Observations view showing: the
  navigator, the overview's details and badges and the observation grid of the first
  indicator are filled (the other views fill when they are first shown);
- floor: one raw sqlite3 query fetching every observation row of that programme.

Best of R for each, printed with the ratio. The GUI must not freeze: the figure to watch is
ours in seconds (a visible freeze starts around 0.3 s).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--observations", "-n", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from generate import generate  # type: ignore[import-not-found]
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from coprod_me.gui.app import make_application
    from coprod_me.gui.main_window import MainWindow
    from coprod_me.services import Services

    tmp = Path(tempfile.mkdtemp())
    book = generate(tmp / "syn.xlsx", observations=args.observations)
    services = Services.open(tmp / "open.sqlite")
    services.workbooks.load(book)
    services.programmes.create("EMPTY-1", "An empty programme to switch away to")
    make_application([sys.argv[0]])
    window = MainWindow(services, QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat))
    window.show()
    window.tabs.setCurrentWidget(window.observation_tab)
    QApplication.processEvents()

    ours = []
    for _ in range(args.repeat):
        window.select("EMPTY-1")
        QApplication.processEvents()
        t0 = time.perf_counter()
        window.select("SYN-01")
        QApplication.processEvents()
        ours.append(time.perf_counter() - t0)
    rows_shown = window.observation_tab.view.model().rowCount()

    floor = []
    sql = ("SELECT o.* FROM observation o JOIN indicator i ON i.id = o.indicator_id "
           "JOIN programme p ON p.id = i.programme_id WHERE p.code = ?")
    for _ in range(args.repeat):
        conn = sqlite3.connect(tmp / "open.sqlite")
        t0 = time.perf_counter()
        n = len(conn.execute(sql, ("SYN-01",)).fetchall())
        floor.append(time.perf_counter() - t0)
        conn.close()
    services.close()
    best_ours, best_floor = min(ours), min(floor)
    figures = {"observations": n, "grid_rows_shown": rows_shown, "ours_s": round(best_ours, 3),
               "floor_s": round(best_floor, 4), "ratio": round(best_ours / best_floor, 1)}
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"Opening a programme with {n} observations, best of {args.repeat}")
        print(f"  ours (select programme, grid filled)        {best_ours:7.3f} s "
              f"({rows_shown} grid rows)")
        print(f"  floor (one sqlite3 query of all its rows)  {best_floor:7.4f} s")
        print(f"  ratio ours/floor                           {best_ours / best_floor:7.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
