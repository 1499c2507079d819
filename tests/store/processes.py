"""Other processes for the tests: one holding a database's write lock, one killed mid-write.

Each talks to the test through its stdin and stdout (a line when it has done its part),
never through the clock.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parents[2]

_HOLD = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")  # SQLite's write lock, as a writer mid-transaction holds it
print("holding", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
print("released", flush=True)
sys.stdin.readline()
"""


def python(code: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", code, *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, cwd=ROOT)


def expect(process: subprocess.Popen[str], line: str) -> None:
    assert process.stdout is not None
    got = process.stdout.readline().strip()
    if got != line:
        process.kill()
        _out, err = process.communicate()
        raise AssertionError(f"expected {line!r} from pid {process.pid}, got {got!r}: {err}")


class WriteLockHolder:
    """Another process in the middle of a write transaction on ``path`` until ``release``."""

    def __init__(self, path: Path) -> None:
        self.process = python(_HOLD, str(path))
        expect(self.process, "holding")
        self.pid = self.process.pid

    def release(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("release\n")
        self.process.stdin.flush()
        expect(self.process, "released")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()

    def __enter__(self) -> WriteLockHolder:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


# The child writes for real, through the code under test, and stops just before the partial
# file would be renamed into place: the moment a kill leaves an orphan behind.
_STOP_BEFORE_RENAME = """
import os, sys
def stop(src, dst):
    print("written", flush=True)
    sys.stdin.readline()
os.replace = stop
"""


class StoppedBeforeRename:
    """A child that ran ``code`` up to the rename of its partial file, and waits there
    (alive, the partial open) until killed: what a kill at that moment leaves behind."""

    def __init__(self, code: str, *args: str) -> None:
        self.process = python(_STOP_BEFORE_RENAME + code, *args)
        expect(self.process, "written")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.communicate()
