"""Write tests/fixtures/schema-<rev>.sqlite: a small database at the current schema revision.

Run once per released schema revision and commit the file; the upgrade tests open it.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coprod_me.services import Services  # noqa: E402
from coprod_me.store.database import head_revision  # noqa: E402
from tests.builders import small_programme_rows, write  # noqa: E402


def main() -> None:
    out = ROOT / "tests" / "fixtures" / f"schema-{head_revision()}.sqlite"
    out.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        services = Services.open(out)
        services.workbooks.load(write(Path(tmp) / "small.xlsx", small_programme_rows()))
        services.close()
    with sqlite3.connect(out) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
