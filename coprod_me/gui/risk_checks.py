"""The risk rules, run again by the window: quietly after every edit, load or import, and on
demand with a progress dialog and Cancel.

One per window. The views that edit ask for a check (``schedule``); the Risks tab shows what
the checks are doing and their results; the window cancels them before it closes or switches
the database. Quiet checks are debounced, so a burst of edits costs one run, and run off the
GUI thread with no dialog: nobody asked for them. The window's run them in a child process
(``isolated``, gui/rule_child.py), so they do not hold the GUI thread's interpreter either: a
chart drawn meanwhile is not slowed down.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from coprod_me.gui.errors import report_exception
from coprod_me.gui.rule_child import RuleProcess
from coprod_me.gui.workers import BackgroundTask, QuietTask
from coprod_me.model.errors import Cancelled, DomainError
from coprod_me.services import Services

#: a quiet check starts this long after the last edit that asked for it
QUIET_DELAY_MS = 1000


class RiskChecks(QObject):
    #: a run ended, quiet or asked for: (the programmes it checked, their RunSummary list)
    checked = Signal(object, object)
    #: what the quiet checks are doing, for a status label ("" when idle)
    status = Signal(str)
    #: a quiet check failed with a problem the user can fix (no dialog: nobody asked)
    failed = Signal(str)

    def __init__(self, services: Services, parent: QWidget, *, isolated: bool = False) -> None:
        """``isolated``: the quiet runs in a child process on the database's file (the
        window's); else on the worker thread itself (the run's steps observable in-process)."""
        super().__init__(parent)
        self.services = services
        self.child = RuleProcess() if isolated else None
        self._window = parent  # where a run asked for shows its progress dialog
        self.task: BackgroundTask | None = None
        self._queued: set[str] = set()  # asked for, waiting for the delay or a run
        self._running: list[str] = []  # what the quiet run under way checks
        self._checked_unasked: set[str] = set()  # by schedule_once, on this database
        self.quiet = QuietTask(self)
        self.quiet.done.connect(self._quiet_done)
        self.quiet.error.connect(self._quiet_failed)
        self.quiet.progress.connect(self._quiet_progress)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(QUIET_DELAY_MS)
        self.debounce.timeout.connect(self._start_quiet_run)

    @property
    def busy(self) -> bool:
        """A run is going or waiting to start (the window asks before closing)."""
        return (self.quiet.running or self.debounce.isActive()
                or (self.task is not None and self.task.running))

    def schedule(self, codes: Iterable[str]) -> None:
        """Check these programmes quietly a moment from now (after imports and edits).

        Calls within the delay are merged into one run; a call during a run queues one more.
        """
        targets = {c for c in codes if c}
        if not targets:
            return
        self._queued |= targets
        self.status.emit("checking risks…")
        self.debounce.start()  # (re)starts the delay

    def schedule_once(self, code: str) -> None:
        """Check ``code`` quietly unless this was already asked on this database: a
        programme shown whose rules never ran (a failing check must not retry for ever; F9
        still runs it on demand)."""
        if code not in self._checked_unasked:
            self._checked_unasked.add(code)
            self.schedule([code])

    def run_now(self, code: str) -> BackgroundTask | None:
        """Run every rule on ``code`` now with a progress dialog and Cancel; None when a run
        is already going (the caller says so). The task's ``done`` carries the summaries."""
        if self.quiet.running or (self.task is not None and self.task.running):
            return None
        self.debounce.stop()
        self._queued.discard(code)  # this run covers it; others wait their turn
        if not self._queued:
            self.status.emit("")
        runs = self.services.risk_runs

        def job(progress: Any, cancelled: Any) -> list[Any]:
            return [runs.run(code, progress=progress, cancelled=cancelled)]

        task = BackgroundTask(self._window, f"Running the risk rules on {code}", job)
        self.task = task
        task.done.connect(lambda result: self._asked_run_ended([code], result))
        task.error.connect(lambda _exc: self._asked_run_ended([code], None))
        return task.start()

    def cancel(self, wait: float = 5.0) -> bool:
        """Stop any run and forget queued ones, before closing the window or the database.

        A cancelled run saves nothing. Waits up to ``wait`` seconds for a quiet run's thread
        to let go of the database; returns False if it still holds it.
        """
        self.debounce.stop()
        self._queued.clear()
        self.quiet.cancel()
        if self.child is not None:
            self.child.stop()
        if self.task is not None:
            self.task.cancel_event.set()
        self.status.emit("")
        return self.quiet.wait(wait)

    def set_services(self, services: Services) -> None:
        """Another database: cancel what runs on the old one first (``cancel``)."""
        self.services = services
        self._checked_unasked.clear()

    # ------------------------------------------------------------------------ the runs

    def _asked_run_ended(self, codes: list[str], result: object) -> None:
        self.task = None
        if self._queued and not self.debounce.isActive():
            self.debounce.start()
        if result is not None:
            self.checked.emit(codes, result)

    def _start_quiet_run(self) -> None:
        if self.quiet.running or (self.task is not None and self.task.running):
            return  # started again when the running one ends
        codes = sorted(self._queued)
        self._queued.clear()
        if not codes:
            self.status.emit("")
            return
        runs, path, child = self.services.risk_runs, self.services.path, self.child

        def job(progress: Any, cancelled: Any) -> list[Any]:
            if child is not None and path is not None:
                return child.run(path, codes)  # the thread only waits for the answer
            out = []
            for code in codes:
                if cancelled():
                    raise Cancelled("risk check cancelled")
                out.append(runs.run(code, cancelled=cancelled))
            return out

        self._running = codes
        self.status.emit("checking risks…")
        self.quiet.submit(job)

    def _quiet_progress(self, done: int, total: int, _message: str) -> None:
        if total > 0:
            self.status.emit(f"checking risks… {100 * done // total} %")

    def _quiet_ended(self) -> None:
        if self._queued:
            if not self.debounce.isActive():
                self.debounce.start()
        else:
            self.status.emit("")

    def _quiet_done(self, result: object) -> None:
        self._quiet_ended()
        self.checked.emit(self._running, result)

    def _quiet_failed(self, exc: object) -> None:
        self._quiet_ended()
        if isinstance(exc, Cancelled):
            return
        if isinstance(exc, DomainError):
            self.status.emit("risk check failed")
            self.failed.emit(f"Risk check: {exc}")
        elif isinstance(exc, BaseException):
            report_exception(exc, self._window)
