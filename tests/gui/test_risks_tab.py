"""The Risks tab driven as a user would, on the real risk service and the sample programmes."""

from __future__ import annotations

import threading

from coprod_me.gui.workers import QuietTask


def test_a_quiet_task_runs_one_job_at_a_time_and_keeps_only_the_latest_request(qtbot):
    task = QuietTask()
    gate = threading.Event()
    ran: list[str] = []

    def job(name: str, wait: bool = False):
        def run(_progress, _cancelled):
            if wait:
                gate.wait(5)
            ran.append(name)
            return name
        return run

    results: list[object] = []
    task.done.connect(results.append)
    task.submit(job("first", wait=True))
    assert task.running
    task.submit(job("second"))
    task.submit(job("third"))  # replaces the queued second: it would see the same data
    assert task.queued
    gate.set()
    qtbot.waitUntil(lambda: results == ["first", "third"], timeout=5000)
    assert ran == ["first", "third"]
    qtbot.waitUntil(lambda: not task.running)


def test_a_cancelled_quiet_task_reports_the_error_and_drops_the_queue(qtbot):
    task = QuietTask()
    gate = threading.Event()

    def slow(_progress, cancelled):
        gate.wait(5)
        if cancelled():
            raise RuntimeError("stopped")
        return "finished"

    task.submit(slow)
    task.submit(lambda _p, _c: "queued")
    with qtbot.waitSignal(task.error, timeout=5000) as blocker:
        task.cancel()
        gate.set()
    assert str(blocker.args[0]) == "stopped"
    assert not task.queued
    qtbot.waitUntil(lambda: not task.running)
