"""Cold start to a shown main window, as a ratio to a bare PySide6 window + sqlmodel + a query.

    .venv/bin/python benchmarks/bench_startup.py [--repeat R] [--json]

Each run is a fresh Python process (imports are what start-up costs), on the offscreen
platform, on a database holding the five sample programmes (made once, not timed). A child
stops its clock when the window has been shown and the event loop has turned once.
Target: ours / floor <= 1.3.
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

TARGET = 1.3

OURS = r"""
import sys, time
t0 = time.perf_counter()
from pathlib import Path
from PySide6.QtCore import QSettings, QTimer
from coprod_me.gui.app import make_application, open_window
app = make_application([sys.argv[0]])
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
window = open_window(Path(sys.argv[1]))
window.show()
def done():
    print(time.perf_counter() - t0, window.model.rowCount())
    app.quit()
QTimer.singleShot(0, done)
app.exec()
"""

FLOOR = r"""
import sys, time
t0 = time.perf_counter()
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget
import sqlmodel
from sqlalchemy import text
app = QApplication([sys.argv[0]])
engine = sqlmodel.create_engine(f"sqlite:///{sys.argv[1]}")
with engine.connect() as conn:
    n = conn.execute(text("SELECT count(*) FROM programme")).scalar()
window = QMainWindow()
window.setCentralWidget(QTableWidget(n, 8))
window.show()
def done():
    print(time.perf_counter() - t0, n)
    app.quit()
QTimer.singleShot(0, done)
app.exec()
"""


def run(code: str, db: Path, env: dict[str, str]) -> float:
    out = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True,
                         env=env, check=True).stdout.split()
    return float(out[0])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    db = tmp / "demo.sqlite"
    subprocess.run([sys.executable, "-m", "coprod_me", "demo", "--db", str(db)], check=True,
                   capture_output=True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp / "cfg"))
    run(OURS, db, env)  # warm the file cache for both
    run(FLOOR, db, env)
    ours, floor = [], []
    for _ in range(args.repeat):
        ours.append(run(OURS, db, env))
        floor.append(run(FLOOR, db, env))
    best_ours, best_floor = min(ours), min(floor)
    ratio = best_ours / best_floor
    figures = {"ours_s": round(best_ours, 3), "floor_s": round(best_floor, 3),
               "ratio": round(ratio, 2), "target": TARGET, "met": ratio <= TARGET,
               "when": time.strftime("%Y-%m-%d %H:%M")}
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"Cold start to a shown window, best of {args.repeat}")
        print(f"  ours (main window, demo database)       {best_ours:6.3f} s")
        print(f"  floor (PySide6 window + sqlmodel + query) {best_floor:6.3f} s")
        print(f"  ratio ours/floor                        {ratio:6.2f}   (target <= {TARGET})")
        if ratio > TARGET:
            print(f"TARGET MISSED: cold start ratio {ratio:.2f} > {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
