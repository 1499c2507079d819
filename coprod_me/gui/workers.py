"""Long work off the GUI thread: progress dialog, Cancel, result or error back on the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

Job = Callable[[Callable[[int, int, str], None], Callable[[], bool]], Any]


class _Signals(QObject):
    # Signals live on a QObject of their own: QRunnable cannot carry them.
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, job: Job, cancel: threading.Event) -> None:
        super().__init__()
        self.job = job
        self.cancel = cancel
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.job(self.signals.progress.emit, self.cancel.is_set)
        except BaseException as exc:  # delivered to the GUI thread, never swallowed
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


class BackgroundTask(QObject):
    """Runs ``job(progress, cancelled)`` on the thread pool with a cancellable progress dialog."""

    done = Signal(object)
    error = Signal(object)

    def __init__(self, parent: QWidget, title: str, job: Job) -> None:
        super().__init__(parent)
        self.cancel_event = threading.Event()
        self.dialog = QProgressDialog(title, "Cancel", 0, 100, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(400)  # quick jobs do not flash a dialog
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel_event.set)
        self.runnable = _Runnable(job, self.cancel_event)
        self.runnable.setAutoDelete(False)
        sig = self.runnable.signals
        sig.progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        sig.finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        sig.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self.running = False

    def start(self) -> BackgroundTask:
        self.running = True
        QThreadPool.globalInstance().start(self.runnable)
        return self

    def _on_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))
        self.dialog.setLabelText(message)

    def _close(self) -> None:
        self.running = False
        self.dialog.reset()
        self.dialog.hide()

    def _on_finished(self, result: object) -> None:
        self._close()
        self.done.emit(result)

    def _on_failed(self, exc: object) -> None:
        self._close()
        self.error.emit(exc)


class QuietTask(QObject):
    """Runs ``job(progress, cancelled)`` off the GUI thread with no dialog, one job at a time.

    For checks the user did not ask for (risk rules after an edit): nothing modal appears and
    the GUI thread never waits. A job submitted while one runs is kept (only the latest) and
    started when the running one ends, because the next run sees every change made meanwhile.
    """

    started = Signal()
    progress = Signal(int, int, str)
    done = Signal(object)
    error = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runnable: _Runnable | None = None
        # the finished runnable stays referenced: its signal object is still delivering
        self._previous: _Runnable | None = None
        self._cancel = threading.Event()
        self._returned = threading.Event()  # set when the running job's function returns
        self._returned.set()
        self._pending: Job | None = None

    @property
    def running(self) -> bool:
        return self._runnable is not None

    @property
    def queued(self) -> bool:
        return self._pending is not None

    def submit(self, job: Job) -> None:
        if self.running:
            self._pending = job
            return
        self._start(job)

    def cancel(self) -> None:
        """Ask the running job to stop and forget the queued one."""
        self._pending = None
        self._cancel.set()

    def wait(self, timeout: float) -> bool:
        """Block until the running job returns (after ``cancel``, before closing its database);
        False if it is still running after ``timeout`` seconds."""
        return self._returned.wait(timeout)

    def _start(self, job: Job) -> None:
        self._cancel = threading.Event()
        returned = self._returned = threading.Event()

        def tracked(progress: Callable[[int, int, str], None], cancelled: Callable[[], bool]
                    ) -> Any:
            try:
                return job(progress, cancelled)
            finally:
                returned.set()

        runnable = _Runnable(tracked, self._cancel)
        runnable.setAutoDelete(False)
        sig = runnable.signals
        sig.progress.connect(self.progress, Qt.ConnectionType.QueuedConnection)
        sig.finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        sig.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self._runnable = runnable
        self.started.emit()
        QThreadPool.globalInstance().start(runnable)

    def _next(self) -> None:
        # a slot of done/error may have submitted (and so started) a job already
        if self._pending is not None and not self.running:
            job, self._pending = self._pending, None
            self._start(job)

    def _on_finished(self, result: object) -> None:
        self._previous, self._runnable = self._runnable, None
        self.done.emit(result)
        self._next()

    def _on_failed(self, exc: object) -> None:
        self._previous, self._runnable = self._runnable, None
        self.error.emit(exc)
        self._next()
