"""Every hostile file through the real command line, in a process of its own: `coprod-me
import` (and `coprod-me load` where the danger is in what a reader opens) exits 1 with one
line that says what is wrong, no traceback, under 1 GB of memory (the reader's child process
included) and 60 seconds, and leaves the database byte for byte as it was.

The runs are made up front, two at a time, each in a process forked from a command server
that imported the app once (``forked_cli``: a fresh interpreter would spend a second on
imports for each of some fifty runs); one more test runs a fresh ``python -m coprod_me`` to
show it refuses alike. Each test reads its own run.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.hostile.corpus import CASES, Case, rewritten
from tests.hostile.forked_cli import CommandServer, Finished

GB = 10**9
RUNS = [(case, command) for case in CASES for command in ("import", "load")
        if command == "import" or case.load]


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    peak_bytes: int  # the largest resident set of the command and the processes it waited for
    seconds: float
    database_before: str
    database_after: str


def _digest(db: Path) -> str:
    h = hashlib.sha256(db.read_bytes())
    for extra in (Path(f"{db}-wal"), Path(f"{db}-journal")):  # what is not yet in the file
        if extra.exists():
            h.update(extra.read_bytes())
    return h.hexdigest()


# Between this process and a fresh command, so that the command's peak memory is its own:
# a child's ru_maxrss counts what its parent held when it was forked (and pytest holds a lot).
_MEASURED = ("import resource, subprocess, sys; code = subprocess.call(sys.argv[2:]); "
             "open(sys.argv[1], 'w').write(str(resource.getrusage("
             "resource.RUSAGE_CHILDREN).ru_maxrss)); sys.exit(code)")


def run_fresh(args: list[str], env: dict[str, str], folder: Path, timeout: float = 60
              ) -> Finished:
    """``python -m coprod_me ARGS`` in a fresh interpreter."""
    peak = folder / "peak-kb"
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", _MEASURED, str(peak), sys.executable, "-m",
                           "coprod_me", *args], capture_output=True, env=env, timeout=timeout)
    return Finished(proc.returncode, proc.stdout.decode("utf-8", "replace"),
                    proc.stderr.decode("utf-8", "replace"), int(peak.read_text()) * 1024,
                    time.monotonic() - start)


def _environment(folder: Path) -> dict[str, str]:
    env = dict(os.environ, COPROD_ME_DATA_DIR=str(folder / "data"),
               XDG_CONFIG_HOME=str(folder / "config"), COPROD_ME_USER="tester")
    env.pop("COPROD_ME_DB", None)
    return env


def _run(run: Callable[[list[str], dict[str, str], Path], Finished], case: Case,
         command: str, path: Path, loaded_db: Path, folder: Path) -> Run:
    folder.mkdir(parents=True)
    db = folder / "coprod.sqlite"
    shutil.copyfile(loaded_db, db)
    args = [command, str(path), "--db", str(db)]
    if command == "import":
        args += ["--programme", "T-01"]
    before = _digest(db)
    with rewritten(path) if case.changing else nullcontext():
        done = run(args, _environment(folder), folder)
    return Run(done.code, done.stdout, done.stderr, done.peak_bytes, done.seconds, before,
               _digest(db))


@pytest.fixture(scope="module")
def runs(corpus: dict[str, Path], loaded_db: Path, tmp_path_factory: pytest.TempPathFactory
         ) -> dict[tuple[str, str], Run]:
    """Every run, two at a time: each worker has its command server."""
    base = tmp_path_factory.mktemp("runs")
    out: dict[tuple[str, str], Run] = {}

    def work(share: list[tuple[int, tuple[Case, str]]]) -> None:
        server = CommandServer(_environment(base))
        try:
            for i, (case, command) in share:
                out[(case.file, command)] = _run(server.run, case, command,
                                                 corpus[case.file], loaded_db,
                                                 base / f"{i}-{command}")
        finally:
            server.close()

    numbered = list(enumerate(RUNS))
    with ThreadPoolExecutor(max_workers=2) as pool:
        for f in [pool.submit(work, numbered[k::2]) for k in range(2)]:
            f.result()
    return out


@pytest.mark.parametrize(("case", "command"), RUNS, ids=[f"{c.file}-{cmd}" for c, cmd in RUNS])
def test_a_hostile_file_is_refused_in_one_line(runs: dict[tuple[str, str], Run], case: Case,
                                               command: str) -> None:
    run = runs[(case.file, command)]
    assert "Traceback" not in run.stderr, run.stderr
    assert run.code == 1, (run.code, run.stderr)
    assert run.stderr.endswith("\n") and run.stderr.count("\n") == 1, run.stderr
    message = run.stderr.removeprefix("coprod-me: ").rstrip("\n")
    assert re.fullmatch(case.message, message), message
    assert run.peak_bytes < GB, f"{run.peak_bytes / 2**20:.0f} MB"
    assert run.seconds < 60
    assert run.database_after == run.database_before


def test_a_fresh_coprod_me_process_refuses_alike(corpus: dict[str, Path], loaded_db: Path,
                                                 tmp_path: Path) -> None:
    """The command servers' forks behave as the installed command does: the far cell once
    more, through ``python -m coprod_me`` started afresh."""
    case = next(c for c in CASES if c.file == "far-cell.xlsx")
    for command in ("import", "load"):
        run = _run(run_fresh, case, command, corpus[case.file], loaded_db, tmp_path / command)
        assert (run.code, run.stderr.count("\n")) == (1, 1), run.stderr
        assert re.fullmatch(case.message, run.stderr.removeprefix("coprod-me: ").rstrip())
        assert run.peak_bytes < GB and run.seconds < 60
        assert run.database_after == run.database_before
