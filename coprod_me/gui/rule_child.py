"""The window's quiet risk-rule run, in a child process.

Why a process: the rules are pure Python. On a thread of the window they hold the GIL half
the time, and a chart drawn meanwhile takes half as long again (benchmarks/bench_charts.py);
in a child they run on their own interpreter, and the window's worker thread only waits for
the answer (waiting releases the GIL). The child opens the same database as the same user
(from the environment), runs every rule on each programme asked, saving the flags as the
window's own run would (``RiskRunService.run``), and writes back the run summaries
(pickled). One child serves the window's runs, one at a time. Cancel kills it: a run writes
in one transaction at its end, so a killed run saves nothing.

No Qt here: the child imports the services only (``python -P -c``, as the spreadsheet reader
does: spawn would import the app's main module again).
"""

from __future__ import annotations

import pickle
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

from coprod_me.model.errors import Cancelled

_ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding coprod_me
_BOOT = ("import sys; sys.path.insert(0, sys.argv[1]); "
         "from coprod_me.gui.rule_child import main; main()")
_SIZE = struct.Struct("!Q")  # each message: its length, then the pickle


class ChildRuleRun(Exception):
    """The child ended without an answer (it crashed, or was stopped)."""


class RuleProcess:
    """One child process that runs the rules, started on first use and kept (its imports
    take a second; a run on a sample programme a tenth of that). ``stop`` kills it; the
    next run starts another."""

    def __init__(self) -> None:
        self._child: subprocess.Popen[bytes] | None = None
        self._stopped = threading.Event()

    def run(self, path: Path, codes: list[str]) -> list[Any]:
        """Every rule on each programme of ``codes`` in the database at ``path``: the
        ``RunSummary`` of each, in order (called from one worker thread at a time). Raises
        what the run raised (a ``DomainError`` the user can act on), or ``Cancelled`` when
        ``stop`` was called meanwhile."""
        self._stopped.clear()
        child = self._child
        if child is None or child.poll() is not None:
            child = self._child = subprocess.Popen(
                [sys.executable, "-P", "-c", _BOOT, _ROOT], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert child.stdin is not None and child.stdout is not None
        try:
            _send(child.stdin, (str(path), codes))
            status, value = _receive(child.stdout)
        except (OSError, EOFError, pickle.UnpicklingError) as exc:
            self._child = None
            if self._stopped.is_set():
                raise Cancelled("risk check cancelled") from None
            raise ChildRuleRun(f"the risk check stopped (exit {child.poll()}): {exc}") from exc
        if status == "error":
            raise value
        summaries: list[Any] = value
        return summaries

    def stop(self) -> None:
        """Kill the child (a run under way saves nothing); the waiting run raises
        ``Cancelled``."""
        self._stopped.set()
        child, self._child = self._child, None
        if child is not None and child.poll() is None:
            child.kill()
            child.wait()


def _send(pipe: IO[bytes], value: object) -> None:
    data = pickle.dumps(value)
    pipe.write(_SIZE.pack(len(data)) + data)
    pipe.flush()


def _receive(pipe: IO[bytes]) -> Any:
    head = pipe.read(_SIZE.size)
    if len(head) < _SIZE.size:
        raise EOFError("no answer")
    (size,) = _SIZE.unpack(head)
    data = pipe.read(size)
    if len(data) < size:
        raise EOFError("a part of an answer")
    return pickle.loads(data)  # our own child's answer, or the window's request


def main() -> None:
    """The child: runs what the window asks on stdin until it closes, answering on stdout."""
    from coprod_me.services import Services

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    opened: dict[str, Services] = {}
    while True:
        try:
            path, codes = _receive(stdin)
        except EOFError:
            return  # the window closed
        answer: tuple[str, Any]
        try:
            if path not in opened:  # another database: let go of the one before
                for services in opened.values():
                    services.close()
                opened = {path: Services.open(path, create=False)}
            answer = ("done", [opened[path].risk_runs.run(code) for code in codes])
        except Exception as exc:  # handed to the window, which reports it as its own run would
            answer = ("error", exc)
        try:
            _send(stdout, answer)
        except (pickle.PicklingError, TypeError, AttributeError):
            _send(stdout, ("error", ChildRuleRun(f"{type(answer[1]).__name__}: {answer[1]}")))
