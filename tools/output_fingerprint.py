"""What the five sample programmes produce, as digests: a before/after check for refactors.

    python tools/output_fingerprint.py OUTDIR         # the outputs and OUTDIR/digests.json
    python tools/output_fingerprint.py --compare A B  # every output that differs

Everything runs through the ``coprod-me`` command line on a fresh database (``demo``), so the
check does not depend on internal APIs that a refactor moves: every programme's flags (all
quarters, JSON), its quarterly report for its latest quarter and for 2024Q2, a portfolio
report of all five, each programme's workbook export, and the round trip (the export loaded
into a second fresh database and exported again). Workbooks are compared member by member
with the times that legitimately change between runs (the README's generation time, flag
and audit timestamps, database paths) masked.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

SAMPLES = ("HL-01", "HR-01", "KR-01", "RS-01", "ULL-01")
COMMON_QUARTER = "2024Q2"
# ISO date-times (with or without T, seconds, fraction, zone) and the README's "generated" line
_TIMES = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")
# an Excel date-time serial with a time of day (import batches' times in the report)
_SERIALS = re.compile(r"<v>4\d{4}\.\d{5,}</v>")


def _cli(db: Path, *args: str) -> str:
    exe = Path(sys.executable).with_name("coprod-me")
    done = subprocess.run([str(exe), *args, "--db", str(db)], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"coprod-me {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def _mask(text: str, *paths: Path) -> str:
    for p in paths:
        text = text.replace(str(p), "<PATH>")
    return _SERIALS.sub("<v>SERIAL</v>", _TIMES.sub("<TIME>", text))


def _digest_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _digest_workbook(path: Path, *paths: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {name: _digest_text(_mask(z.read(name).decode("utf-8", "replace"), *paths))
                for name in sorted(z.namelist())}


def _flags(db: Path, out: Path) -> dict[str, str]:
    digests = {}
    for code in SAMPLES:
        rows = json.loads(_cli(db, "flags", "--programme", code, "--all-quarters",
                               "--format", "json", "--no-run"))
        for r in rows:
            r.pop("id", None)  # ids follow insertion order; what a flag says is what counts
        text = _mask(json.dumps(rows, indent=1, ensure_ascii=False, sort_keys=True), db)
        (out / f"flags-{code}.json").write_text(text)
        digests[f"flags-{code}.json"] = _digest_text(text)
    return digests


def _latest_quarter(out: Path, code: str) -> str:
    rows = json.loads((out / f"flags-{code}.json").read_text())
    return max((r["quarter"] for r in rows), default=COMMON_QUARTER)


def write(outdir: Path) -> dict[str, object]:
    outdir.mkdir(parents=True, exist_ok=True)
    db = outdir / "samples.sqlite"
    db.unlink(missing_ok=True)
    _cli(db, "demo")
    _cli(db, "flags", "--format", "json")
    digests: dict[str, object] = dict(_flags(db, outdir))
    for code in SAMPLES:
        for quarter in sorted({COMMON_QUARTER, _latest_quarter(outdir, code)}):
            f = outdir / f"report-{code}-{quarter}.xlsx"
            _cli(db, "report", "--programme", code, "--quarter", quarter, "-o", str(f))
            digests[f.name] = _digest_workbook(f, db, outdir)
    f = outdir / f"report-portfolio-{COMMON_QUARTER}.xlsx"
    _cli(db, "report", "--programme", ",".join(SAMPLES), "--quarter", COMMON_QUARTER,
         "-o", str(f))
    digests[f.name] = _digest_workbook(f, db, outdir)
    for code in SAMPLES:
        f = outdir / f"programme-{code}.xlsx"
        _cli(db, "export-programme", code, "-o", str(f))
        digests[f.name] = _digest_workbook(f, db, outdir)
        again = outdir / f"roundtrip-{code}.sqlite"
        again.unlink(missing_ok=True)
        _cli(again, "load", str(f))
        back = outdir / f"programme-{code}-roundtrip.xlsx"
        _cli(again, "export-programme", code, "-o", str(back))
        digests[back.name] = _digest_workbook(back, again, outdir)
    (outdir / "digests.json").write_text(json.dumps(digests, indent=1, sort_keys=True))
    return digests


def compare(a: Path, b: Path) -> int:
    da = json.loads((a / "digests.json").read_text())
    db = json.loads((b / "digests.json").read_text())
    differ = 0
    for name in sorted(set(da) | set(db)):
        x, y = da.get(name), db.get(name)
        if x == y:
            print(f"same     {name}")
            continue
        differ += 1
        if isinstance(x, dict) and isinstance(y, dict):
            members = [m for m in sorted(set(x) | set(y)) if x.get(m) != y.get(m)]
            print(f"DIFFERS  {name}: {', '.join(members)}")
        else:
            print(f"DIFFERS  {name}")
    print(f"{len(set(da) | set(db)) - differ} same, {differ} differ")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dirs", nargs="+", type=Path)
    parser.add_argument("--compare", action="store_true")
    args = parser.parse_args()
    if args.compare:
        return compare(*args.dirs[:2])
    write(args.dirs[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
