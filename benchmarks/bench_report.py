"""The quarterly report of a large programme, against a bare dump of the same cells.

    .venv/bin/python benchmarks/bench_report.py [--repeat R] [--json]

A generated programme (30 indicators, 12 quarters, 2 strands, 6 disaggregation dimensions,
participation and funding records) is loaded into a fresh database (not timed). Then, in one
process:

- ours: ``ReportService.write`` end to end: reading the database, building the sheets,
  tables, conditional formats and native charts, saving to a temporary file and renaming;
- floor: openpyxl's write-only mode dumping exactly the cell values of that report (read
  back from our file beforehand, not timed) with no styles, tables, formats or charts.

Ours and the floor alternate; best of R for each, printed with every run (the spread) and
the ratio (target: at most 2).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PROGRAMME = "BENCH-01"
QUARTERS = tuple(f"{y}Q{q}" for y in (2022, 2023, 2024) for q in (1, 2, 3, 4))
STRANDS = ("NORTH", "SOUTH")
DIMENSIONS = {
    "sex": ("female", "male", "other"),
    "age_band": ("15-24", "25-44", "45-64", "65-74", "75+"),
    "disability_wgss": ("none_some", "a_lot_cannot"),
    "digital_access": ("no_access", "access_no_skills", "basic_user", "full_user"),
    "income_quintile": ("Q1", "Q2", "Q3", "Q4", "Q5"),
    "locality": ("urban", "peri_urban", "rural"),
}
PHASES = ("co_design", "co_delivery")


def programme_rows(seed: int = 1) -> dict[str, list[dict[str, Any]]]:
    rng = random.Random(seed)
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in (
        "Programmes", "Strands", "Indicators", "Targets", "ResultLinks", "Observations",
        "Participation", "PopulationReferences", "FundingSources", "SpendRecords",
        "ReportingPeriods", "Notes")}
    rows["Programmes"].append({
        "code": PROGRAMME, "name": "Benchmark programme", "policy_domain": "health",
        "institutional_status": "time_limited_project", "os_level": "participative",
        "ors_type": "co_design", "interaction_mode": "hybrid", "currency": "EUR"})
    for s in STRANDS:
        rows["Strands"].append({"programme_code": PROGRAMME, "code": s, "name": f"{s} site",
                                "type": "site"})
    for q in QUARTERS:
        rows["ReportingPeriods"].append({"programme_code": PROGRAMME, "quarter": q,
                                         "status": "open"})
    dims = ",".join(DIMENSIONS)
    for i in range(1, 31):
        outcome = i <= 15
        code = f"B-{'O' if outcome else 'P'}{i:02d}"
        unit = "percent" if outcome else "count"
        rows["Indicators"].append({
            "programme_code": PROGRAMME, "code": code,
            "name": f"{'Share of people better off' if outcome else 'Sessions held'} #{i}",
            "result_level": "outcome_short" if outcome else "output",
            "rba_quadrant": "better_off" if outcome else "how_much",
            "better_off_type": "behaviour" if outcome else None, "unit": unit,
            "numerator_def": "people better off" if outcome else None,
            "denominator_def": "people surveyed" if outcome else None,
            "direction": "increase", "baseline_value": 40.0 if outcome else 0.0,
            "baseline_period": "2022Q1", "amber_at": 35.0 if outcome else None,
            "red_at": 30.0 if outcome else None, "disaggregation_required": dims,
            "verification_type": "independent_survey"})
        rows["Targets"].append({"programme_code": PROGRAMME, "indicator_code": code,
                                "period": "2024Q4", "value": 70.0 if outcome else 5000.0})
        if not outcome:
            rows["ResultLinks"].append({
                "programme_code": PROGRAMME, "from_indicator_code": code,
                "to_indicator_code": f"B-O{i - 15:02d}",
                "assumption_text": "sessions change what people do"})
        for s in STRANDS:
            level = 40.0 if outcome else 100.0
            for q in QUARTERS:
                level += rng.uniform(-1, 3) if outcome else rng.uniform(50, 150)
                n = rng.randint(300, 600)
                total = {"programme_code": PROGRAMME, "indicator_code": code,
                         "strand_code": s, "period": q,
                         "value": round(level, 1) if outcome else float(round(level)),
                         "n_sample": n if outcome else None}
                rows["Observations"].append(total)
                for dim, cats in DIMENSIONS.items():
                    for c in cats:
                        small = rng.random() < 0.03  # a few cells under the threshold
                        cn = rng.randint(1, 4) if small else n // len(cats)
                        value = round(min(100.0, max(0.0, level + rng.uniform(-8, 8))), 1) \
                            if outcome else float(round(level / len(cats)))
                        rows["Observations"].append({
                            **total, "value": value, "n_sample": cn if outcome else None,
                            f"dim:{dim}": c})
    for s in STRANDS:
        for ph in PHASES:
            active = 500
            for q in QUARTERS:
                new = rng.randint(20, 80)
                cont = int(active * rng.uniform(0.7, 0.9))
                active = cont + new
                rows["Participation"].append({
                    "programme_code": PROGRAMME, "strand_code": s, "period": q, "phase": ph,
                    "registered": active + 50, "active": active, "new": new,
                    "continuing_active": cont, "exited": rng.randint(10, 50)})
                for c in DIMENSIONS["sex"]:
                    rows["Participation"].append({
                        "programme_code": PROGRAMME, "strand_code": s, "period": q,
                        "phase": ph, "group_dimension": "sex", "group_category": c,
                        "active": active // 3})
        rows["PopulationReferences"].append({"programme_code": PROGRAMME, "strand_code": s,
                                             "population_count": 90000, "year": 2022})
        for c in DIMENSIONS["sex"]:
            rows["PopulationReferences"].append({
                "programme_code": PROGRAMME, "strand_code": s, "group_dimension": "sex",
                "group_category": c, "population_count": 30000, "year": 2022})
        for y in (2022, 2023, 2024):
            rows["FundingSources"].append({
                "programme_code": PROGRAMME, "code": f"{s}-{y}", "strand_code": s,
                "type": "project_grant", "committed_amount": 400000.0,
                "period_start": f"{y}-01-01", "period_end": f"{y}-12-31"})
        for q in QUARTERS:
            rows["SpendRecords"].append({"programme_code": PROGRAMME, "strand_code": s,
                                         "period": q, "amount": 100000.0})
    return rows


def cell_values(path: Path) -> dict[str, list[list[Any]]]:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    return {n: wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names}


def bare_dump(values: dict[str, list[list[Any]]], path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for name, rows in values.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append([None if v == "" else v for v in r])
    wb.save(path)


def best(fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from coprod_me.services import Services
    from coprod_me.spreadsheets.programme_workbook import write_workbook

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows = programme_rows()
        book = write_workbook(folder / "bench.xlsx", rows)
        services = Services.open(folder / "bench.sqlite")
        services.workbooks.load(book)
        out = folder / "report.xlsx"

        def ours() -> None:
            services.reports.write([PROGRAMME], QUARTERS[-1], out)

        ours()  # warm imports and caches; also the cells the floor dumps
        values = cell_values(out)
        cells = sum(len(r) for rows_ in values.values() for r in rows_)
        # ours and the floor alternate, so a shared machine's load falls on both alike
        runs_ours, runs_floor = [], []
        for _ in range(args.repeat):
            runs_ours.append(best(ours, 1))
            runs_floor.append(best(lambda: bare_dump(values, folder / "bare.xlsx"), 1))
        t_ours, t_floor = min(runs_ours), min(runs_floor)
        services.close()
    result = {"observations": len(rows["Observations"]), "cells": cells,
              "ours_s": round(t_ours, 3), "floor_s": round(t_floor, 3),
              "ratio": round(t_ours / t_floor, 2), "target": 2.0}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"quarterly report, 30 indicators x 12 quarters x 2 strands x 6 dimensions "
              f"({result['observations']} observations in the database, {cells} cells in "
              f"the report)")
        print(f"  ours (ReportService.write)     {t_ours:7.3f} s   (runs: "
              f"{', '.join(f'{t:.2f}' for t in runs_ours)})")
        print(f"  floor (bare write-only dump)   {t_floor:7.3f} s   (runs: "
              f"{', '.join(f'{t:.2f}' for t in runs_floor)})")
        print(f"  ratio                          {t_ours / t_floor:7.2f}  (target <= 2)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
