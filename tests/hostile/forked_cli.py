"""``coprod-me`` commands run each in a process of its own, forked from a server that has
imported the app once.

A fresh interpreter spends a second importing the app before it looks at the file; the
hostile corpus runs some fifty commands. Here each command is the console script's own entry
(``coprod_me.__main__.main`` with the arguments) in a child forked from a single-threaded
server process, with its output in files and its exit status, peak memory (``wait4``: the
child and every process it waited for, the reader's child among them; what the server held
at the fork counts too, as a fresh ``coprod-me`` holds the same imports) and wall time
reported back. A crash, an uncaught exception or a hang (killed after ``timeout`` seconds)
ends that child only.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

_SERVER = r'''
import json, os, signal, sys, time, traceback
import coprod_me.__main__ as entry
import coprod_me.cli, coprod_me.services  # imported once, before any fork
for line in sys.stdin:
    job = json.loads(line)
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            os.environ.clear()
            os.environ.update(job["env"])
            os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
            for fd, name in ((1, job["out"]), (2, job["err"])):
                os.dup2(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), fd)
            try:
                code = entry.main(job["args"])
            except SystemExit as exc:  # as the interpreter would end
                code = exc.code if isinstance(exc.code, int) else 1
            except BaseException:
                traceback.print_exc()
                code = 1
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)
    signal.signal(signal.SIGALRM, lambda *_: os.kill(pid, signal.SIGKILL))
    signal.setitimer(signal.ITIMER_REAL, job["timeout"])
    _, status, usage = os.wait4(pid, 0)
    signal.setitimer(signal.ITIMER_REAL, 0)
    print(json.dumps({"code": os.waitstatus_to_exitcode(status),
                      "peak_kb": usage.ru_maxrss,
                      "seconds": time.monotonic() - start}), flush=True)
'''


@dataclass(frozen=True)
class Finished:
    code: int
    stdout: str
    stderr: str
    peak_bytes: int
    seconds: float


class CommandServer:
    """One server process; ``run`` one command at a time."""

    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", _SERVER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, env=env)

    def run(self, args: list[str], env: dict[str, str], folder: Path, timeout: float = 60
            ) -> Finished:
        out, err = folder / "stdout", folder / "stderr"
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps({"args": args, "env": env, "out": str(out),
                                          "err": str(err), "timeout": timeout}) + "\n")
        self.proc.stdin.flush()
        done = json.loads(self.proc.stdout.readline())
        return Finished(done["code"], out.read_text("utf-8", "replace"),
                        err.read_text("utf-8", "replace"), done["peak_kb"] * 1024,
                        done["seconds"])

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait()
