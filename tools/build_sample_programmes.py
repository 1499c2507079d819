"""Write the five sample programmes to sample_programmes/<CODE>.xlsx.

Run after editing tools/samples/*.py:  .venv/bin/python tools/build_sample_programmes.py
The workbooks are committed: they are the shipped demo data and test fixtures.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coprod_me.spreadsheets.programme_workbook import read_workbook, write_workbook  # noqa: E402

MODULES = {"RS-01": "rs01", "ULL-01": "ull01", "HR-01": "hr01", "HL-01": "hl01", "KR-01": "kr01"}


def main(only: list[str]) -> int:
    out_dir = ROOT / "sample_programmes"
    out_dir.mkdir(exist_ok=True)
    failed = 0
    for code, module in MODULES.items():
        if only and code not in only:
            continue
        try:
            mod = importlib.import_module(f"tools.samples.{module}")
        except ModuleNotFoundError:
            print(f"{code}: tools/samples/{module}.py not written yet, skipped")
            continue
        path = out_dir / f"{code}.xlsx"
        write_workbook(path, mod.rows(), title=f"{code} sample programme (sample data)")
        problems = read_workbook(path).problems
        for p in problems:
            print(p)
        failed += bool(problems)
        print(f"{code}: wrote {path.relative_to(ROOT)}"
              + (f" with {len(problems)} problem(s)" if problems else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
