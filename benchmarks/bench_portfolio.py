"""The Portfolio filled over 200 programmes and 1,000,000 observations (issue 15, target 2).

    .venv/bin/python benchmarks/bench_portfolio.py [--programmes 200] [--observations 1000000]
                                                   [--repeat 5] [--no-gui] [--json]

The synthetic portfolio of bench_flags.py is written straight into a fresh database (not
timed): 20 indicators per programme (12 outcomes), three strands, twelve quarters. Flags are
added with Core inserts, as a run of the rules would leave them, so the categories have
something to roll up: 25 flags per programme and quarter over the five categories, every
severity and status among them; nine programmes in ten have a risk run (the tenth shows
"not checked yet"). Then, alternating in the same process, best of R each:

- ours: ``services.portfolio.portfolio(quarter)`` end to end (its read transaction, the
  set-based queries, every programme's row: categories, outcome statuses as the report's
  headline, completeness, gates), then, unless --no-gui, the Portfolio view's table model
  filled with the rows and its proxy sorted (offscreen Qt);
- floor: one bare aggregation pass over the observations, ``SELECT indicator_id, strand_id,
  period, count(*), avg(value) FROM observation GROUP BY indicator_id, strand_id, period``,
  fetched into Python.

Printed: the best of each, the ratio (target <= 2), and every run's time so the spread shows.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

TARGET = 2.0
QUARTER = "2024Q4"
FLOOR_SQL = ("SELECT indicator_id, strand_id, period, count(*), avg(value) FROM observation "
             "GROUP BY indicator_id, strand_id, period")
CATEGORIES = ("co_destruction", "clientelism", "sustainability", "equity", "data_integrity")
SEVERITIES = ("info", "low", "medium", "high", "critical")
STATUSES = ("open", "open", "acknowledged", "mitigating", "closed_resolved",
            "closed_false_positive", "suppressed_insufficient_data")


def _flags(path: Path, seed: int = 15) -> int:
    """25 flags per programme and quarter, and a risk run for nine programmes in ten."""
    from sqlalchemy import insert

    from coprod_me.model import entities as M
    from coprod_me.services import Services

    rng = random.Random(seed)
    services = Services.open(path)
    engine = services.store.engine
    with engine.connect() as conn:
        ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM programme ORDER BY id")]
        quarters = [r[0] for r in conn.exec_driver_sql(
            "SELECT DISTINCT period FROM observation WHERE dims_key = ''")]
    flags, runs = [], []
    for pid in ids:
        for q in quarters:
            for k in range(25):
                severity = rng.choice(SEVERITIES)
                flags.append({
                    "programme_id": pid, "strand_id": None, "period": q,
                    "rule_id": f"BN-{k}", "subject": "", "category": CATEGORIES[k % 5],
                    "computed_severity": severity, "severity": severity,
                    "status": rng.choice(STATUSES), "consecutive_periods": 1})
        if pid % 10:
            runs.append({"programme_id": pid, "ran_at": datetime.now(UTC), "user": "bench",
                         "up_to": None, "flags": 25 * len(quarters)})
    with engine.begin() as conn:
        conn.execute(insert(M.table_of(M.RiskFlag)), flags)
        conn.execute(insert(M.table_of(M.RiskRun)), runs)
    services.close()
    return len(flags)


def _floor(db: Path) -> float:
    from bench_flags import _floor as bare_pass  # type: ignore[import-not-found]
    return float(bare_pass(db, FLOOR_SQL))


def _ours(services: Any, gui: Any) -> tuple[float, float, int]:
    """Wall seconds end to end, of which the service call, and the rows."""
    t = time.perf_counter()
    portfolio = services.portfolio.portfolio(QUARTER)
    service_s = time.perf_counter() - t
    if gui is not None:
        model, proxy = gui
        model.set_rows(portfolio.rows)
        proxy.sort(0)
    return time.perf_counter() - t, service_s, len(portfolio.rows)


def _gui() -> Any:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from coprod_me.gui.portfolio_view import PortfolioFilter, PortfolioModel

    app = QApplication.instance() or QApplication([])
    model = PortfolioModel()
    proxy = PortfolioFilter()
    proxy.setSourceModel(model)
    return app, (model, proxy)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--programmes", type=int, default=200)
    ap.add_argument("--observations", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-gui", action="store_true", help="time the service call only")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from bench_flags import _portfolio  # type: ignore[import-not-found]

    from coprod_me.services import Services

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "portfolio.sqlite"
        t = time.perf_counter()
        written = _portfolio(db, args.programmes, args.observations)
        n_flags = _flags(db)
        built = time.perf_counter() - t
        app_and_gui = None if args.no_gui else _gui()
        gui = None if app_and_gui is None else app_and_gui[1]
        services = Services.open(db)
        _ours(services, gui)  # warm: imports, the statement cache, the file in the page cache
        _floor(db)
        ours, service, floor = [], [], []
        rows = 0
        for _ in range(args.repeat):
            seconds, service_s, rows = _ours(services, gui)
            ours.append(seconds)
            service.append(service_s)
            floor.append(_floor(db))
        services.close()
    best_ours, best_floor = min(ours), min(floor)
    ratio = best_ours / best_floor
    result = {"programmes": rows, "observations": written, "flags": n_flags,
              "quarter": QUARTER, "gui_model": gui is not None, "repeat": args.repeat,
              "ours_s": round(best_ours, 3), "service_s": round(min(service), 3),
              "floor_s": round(best_floor, 3), "ratio": round(ratio, 2), "target": TARGET,
              "ours_runs_s": [round(x, 3) for x in ours],
              "floor_runs_s": [round(x, 3) for x in floor], "built_s": round(built, 1)}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"portfolio of {rows} programmes, {written:,} observations, {n_flags:,} flags, "
              f"{QUARTER}; best of {args.repeat}, ours and floor alternated "
              f"(built in {built:.0f} s, not timed)")
        what = "service call + table model filled and sorted" if gui else "service call"
        print(f"  ours ({what})  {best_ours:7.3f} s   (service {min(service):.3f} s); "
              f"runs {', '.join(f'{x:.3f}' for x in ours)}")
        print(f"  floor (one GROUP BY pass over the observations)   {best_floor:7.3f} s; "
              f"runs {', '.join(f'{x:.3f}' for x in floor)}")
        print(f"  ratio {ratio:.2f} (target <= {TARGET}); spread ours "
              f"{max(ours) - best_ours:.3f} s, floor {max(floor) - best_floor:.3f} s")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
