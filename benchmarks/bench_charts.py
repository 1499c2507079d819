"""The Charts tab: its first draw and a switch of indicator or strand, idle and while the
quiet risk-rule run is going.

    .venv/bin/python benchmarks/bench_charts.py [--repeat R] [--switches S] [--json]

Each sample is a fresh Python process (the first draw pays for matplotlib) on the offscreen
platform, on a database holding the five sample programmes (made once, not timed). The child
opens the main window as the app does (``open_window``), waits until it is usable, selects
the programme with the most indicators, waits ``--settle`` seconds (the user reads the
overview; default 1 s), then times, as the user waits for them:

- **first draw**: from the click on the Charts tab (``tabs.setCurrentWidget``) until the
  chart has been drawn (Agg) and painted on the canvas, the loop turned until then;
- **switch**: choosing the next indicator (alternately the next strand) in the combo box,
  until the new chart is drawn and painted.

"During a rule run": the window's own quiet rule run (``RiskChecks``, the path an edit or a
load takes; in its child process) is started before the click and started again whenever it
ends, so it runs throughout; the child checks that it was running at each measurement. It
runs on SYN-01, a synthetic programme of ``--big`` observations (benchmarks/generate.py,
default 100,000; its run takes over a second) loaded beside the samples, or with ``--big 0``
on the samples. "Run on a thread", for comparison: the same quiet run on the window's
worker thread, in the window's process (as before issue 14).
The three cases alternate. Targets: first draw <= 0.5 s, switch <= 0.3 s, idle and during
a rule run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIRST_DRAW_TARGET, SWITCH_TARGET = 0.5, 0.3

CHILD = r"""
import sys, time
from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication
from coprod_me.gui.app import make_application, open_window

mode, switches, settle = sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
busy = mode != "idle"
app = make_application([sys.argv[0]])
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
window = open_window(sys.argv[1])  # as the app starts
window.show()
services = window.services
def until_drawn(start):
    # The click or choice has run (the figure is built or changed, so stale); the loop turns
    # as in the app until matplotlib has drawn it (no longer stale), then once more so the
    # canvas paints the drawn buffer.
    tab = window.chart_tab
    loop, poll, seen = QEventLoop(), QTimer(), []
    def check():
        if seen:
            seen.append(time.perf_counter())
            loop.quit()
        elif tab.figure is not None and not tab.figure.stale:
            seen.append(True)
        elif time.perf_counter() > start + 60:
            loop.exit(1)
    poll.timeout.connect(check)
    poll.start(0)
    if loop.exec():
        raise SystemExit("no chart was drawn within 60 s")
    poll.stop()
    return seen[-1] - start

def turn_until(condition, seconds):
    loop, poll, end = QEventLoop(), QTimer(), time.perf_counter() + seconds
    poll.timeout.connect(lambda: loop.quit() if condition() or time.perf_counter() > end
                         else None)
    poll.start(1)
    loop.exec()
    poll.stop()

turn_until(lambda: window.is_started, 60)  # usable
codes = [r.code for r in window.model.rows]
code = max((c for c in codes if c != "SYN-01"),
           key=lambda c: len(services.indicators.of_programme(c)))
window.select(code)
if busy:
    checks = window.risk_checks
    if mode == "thread":  # for comparison: the same quiet run on the window's worker thread
        checks.child = None
    checks.debounce.setInterval(0)
    busy_codes = [c for c in codes if c == "SYN-01"] or codes  # the long run, if loaded
    checks.checked.connect(lambda *_: checks.schedule(busy_codes))
    checks.schedule(busy_codes)
    turn_until(lambda: checks.quiet.running, 30)
turn_until(lambda: False, settle)  # the user reads the overview; a rule run gets under way

def running():
    return window.risk_checks.quiet.running == busy  # idle: no run either

figures = {"first": None, "switches": [], "busy_ok": True}
start = time.perf_counter()
figures["busy_ok"] &= running()
window.tabs.setCurrentWidget(window.chart_tab)
figures["first"] = until_drawn(start)
tab = window.chart_tab
for i in range(switches):
    combo = tab.indicator_combo if i % 2 == 0 or tab.strand_combo.count() < 2 else tab.strand_combo
    figures["busy_ok"] &= running()
    start = time.perf_counter()
    combo.setCurrentIndex((combo.currentIndex() + 1) % combo.count())
    figures["switches"].append(until_drawn(start))
figures["canvas_kept"] = tab.canvas is not None
if busy:
    window.risk_checks.checked.disconnect()
    window.risk_checks.cancel(30)
import json
print(json.dumps(figures))
window.close()
services.close()
"""


def run(db: Path, mode: str, switches: int, settle: float, env: dict[str, str]
        ) -> dict[str, object]:
    child = subprocess.run([sys.executable, "-c", CHILD, str(db), mode, str(switches),
                            str(settle)],
                           capture_output=True, text=True, env=env, timeout=600)
    if child.returncode:
        raise SystemExit(f"the child failed ({child.returncode}):\n{child.stderr}")
    figures: dict[str, object] = json.loads(child.stdout.strip().splitlines()[-1])
    return figures


def spread(xs: list[float]) -> str:
    return (f"best {min(xs):6.3f} s  median {statistics.median(xs):6.3f}  "
            f"worst {max(xs):6.3f}  (n={len(xs)})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--switches", type=int, default=6)
    ap.add_argument("--big", type=int, default=100_000,
                    help="observations of a synthetic programme (SYN-01) loaded beside the "
                         "samples, whose rule run (over a second) is the one going in the "
                         "busy case; 0: the samples' own short runs")
    ap.add_argument("--settle", type=float, default=1.0,
                    help="seconds between the window being usable and the click on Charts")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    db = tmp / "demo.sqlite"
    subprocess.run([sys.executable, "-m", "coprod_me", "demo", "--db", str(db)], check=True,
                   capture_output=True)
    if args.big:
        from generate import generate  # benchmarks/generate.py

        generate(tmp / "syn.xlsx", observations=args.big)
        subprocess.run([sys.executable, "-c", "import sys; from coprod_me.services import "
                        "Services; s = Services.open(sys.argv[1]); "
                        "s.workbooks.load(sys.argv[2]); s.close()", str(db),
                        str(tmp / "syn.xlsx")], check=True, capture_output=True)
    # every programme checked once, so no quiet run starts by itself in the idle case
    subprocess.run([sys.executable, "-c", "import sys; from coprod_me.services import Services;"
                    " s = Services.open(sys.argv[1]); s.risk_runs.run(); s.close()", str(db)],
                   check=True, capture_output=True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp / "cfg"))
    load_before = os.getloadavg()
    modes = ("idle", "busy", "thread")
    first: dict[str, list[float]] = {mode: [] for mode in modes}
    switch: dict[str, list[float]] = {mode: [] for mode in modes}
    busy_ok = True
    for _ in range(args.repeat):
        for mode in modes:
            figures = run(db, mode, args.switches, args.settle, env)
            first[mode].append(float(figures["first"]))  # type: ignore[arg-type]
            switch[mode] += [float(x) for x in figures["switches"]]  # type: ignore[attr-defined]
            busy_ok = busy_ok and bool(figures["busy_ok"])
    load_after = os.getloadavg()
    out = {mode: {"first_draw_s": round(min(first[mode]), 3),
                  "first_draw_spread": [round(min(first[mode]), 3),
                                        round(max(first[mode]), 3)],
                  "switch_s": round(statistics.median(switch[mode]), 3),
                  "switch_spread": [round(min(switch[mode]), 3),
                                    round(max(switch[mode]), 3)]}
           for mode in first}
    met = all(min(first[m]) <= FIRST_DRAW_TARGET and statistics.median(switch[m])
              <= SWITCH_TARGET for m in ("idle", "busy"))
    summary = {**out, "met": met, "rule_run_throughout": busy_ok,
               "load": [round(x, 2) for x in (*load_before, *load_after)],
               "when": time.strftime("%Y-%m-%d %H:%M")}
    if args.json:
        print(json.dumps(summary))
        return 0
    print(f"Charts tab, {args.repeat} fresh processes per case, {args.switches} switches each;"
          f" Charts clicked {args.settle} s after the window is usable")
    for mode, words in (("idle", "idle"), ("busy", "during a rule run"),
                        ("thread", "run on a thread")):
        print(f"  first draw, {words:18s} {spread(first[mode])}")
        print(f"  switch,     {words:18s} {spread(switch[mode])}")
    print(f"  targets: first draw <= {FIRST_DRAW_TARGET} s (best), switch <= "
          f"{SWITCH_TARGET} s (median)   {'met' if met else 'MISSED'}")
    if not busy_ok:
        print("  NOTE: a rule run was not going at every busy measurement, or was at an idle one")
    print(f"  load average before {load_before[0]:.2f}, after {load_after[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
