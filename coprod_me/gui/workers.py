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
