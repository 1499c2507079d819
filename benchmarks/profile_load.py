"""Profile one programme-workbook load (to find where bench_load's time goes).

    .venv/bin/python benchmarks/profile_load.py [--observations N] [--pyinstrument] [--top K]

Generates the synthetic workbook (not profiled), opens a fresh store (not profiled) and
profiles ``WorkbookService.load`` alone, with cProfile (default; it inflates Python-heavy
code, so read proportions, not seconds) or pyinstrument (sampling; ``pip install
pyinstrument`` into the venv). Also prints the wall time of each load phase without a
profiler, and the peak RSS.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _timed(obj: Any, name: str, label: str, times: dict[str, float]) -> None:
    f = getattr(obj, name)

    def wrapper(*a: Any, **k: Any) -> Any:
        t = time.perf_counter()
        try:
            return f(*a, **k)
        finally:
            times[label] = times.get(label, 0.0) + time.perf_counter() - t

    setattr(obj, name, wrapper)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--observations", "-n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pyinstrument", action="store_true")
    ap.add_argument("--phases", action="store_true",
                    help="only the phase timings, no profiler")
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--file", type=Path, help="profile this workbook instead of generating one")
    args = ap.parse_args(argv)

    sys.path.insert(0, str(HERE))
    from generate import generate

    from coprod_me.services import workbooks as W
    from coprod_me.store.database import open_store

    with tempfile.TemporaryDirectory(prefix="coprod-prof-") as tmp:
        file = args.file or generate(Path(tmp) / "syn.xlsx", args.observations, args.seed)
        service = W.WorkbookService(open_store(Path(tmp) / "prof.sqlite"))
        if args.phases:
            times: dict[str, float] = {}
            _timed(W, "read_workbook", "read_workbook (calamine + cell parsing)", times)
            _timed(W, "snapshot", "snapshot (existing rows)", times)
            _timed(W.WorkbookService, "_check_and_plan", "check and plan", times)
            _timed(W.WorkbookService, "_write", "write (inserts, before commit)", times)
            t0 = time.perf_counter()
            service.load(file)
            total = time.perf_counter() - t0
            for label, s in times.items():
                print(f"  {label:42s}{s:8.2f} s")
            print(f"  {'other (sha256, commit, ...)':42s}{total - sum(times.values()):8.2f} s")
            print(f"  {'total load':42s}{total:8.2f} s")
        elif args.pyinstrument:
            from pyinstrument import Profiler

            prof = Profiler(interval=0.001)
            prof.start()
            service.load(file)
            prof.stop()
            print(prof.output_text(unicode=False, color=False))
        else:
            cp = cProfile.Profile()
            cp.enable()
            service.load(file)
            cp.disable()
            stats = pstats.Stats(cp)
            stats.sort_stats("cumulative").print_stats(args.top)
            stats.sort_stats("tottime").print_stats(args.top)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak RSS {rss / (1024 * 1024) if sys.platform == 'darwin' else rss / 1024:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
