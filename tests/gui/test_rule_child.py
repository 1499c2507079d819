"""The window's quiet risk-rule run in a child process (issue 14: a chart drawn meanwhile must
not share the interpreter with the rules)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from coprod_me.gui.main_window import MainWindow
from coprod_me.gui.rule_child import RuleProcess
from coprod_me.model.errors import Cancelled, NotFound
from coprod_me.services import Services
from coprod_me.services.database import load_samples


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    path = tmp_path / "samples.sqlite"
    services = Services.open(path)
    load_samples(services.store)
    services.close()
    return path


def test_the_child_runs_the_rules_as_the_service_would_and_is_kept(samples: Path):
    child = RuleProcess()
    try:
        (summary,) = child.run(samples, ["RS-01"])
        assert summary.programmes == 1 and summary.flags > 0
        first = child._child
        assert child.run(samples, ["HL-01"])[0].programmes == 1
        assert child._child is first, "one child serves the runs"
        with pytest.raises(NotFound, match="NOPE"):  # the run's own error, as it was raised
            child.run(samples, ["NOPE"])
    finally:
        child.stop()
    services = Services.open(samples)
    assert services.risk_runs.last_run("RS-01") is not None  # saved by the child
    assert services.risk_runs.last_run("HL-01") is not None
    services.close()


def test_stop_kills_a_run_under_way_and_the_next_run_starts_another(samples: Path):
    child = RuleProcess()
    threading.Timer(0.3, child.stop).start()
    with pytest.raises(Cancelled):
        child.run(samples, ["RS-01"] * 500)
    assert child._child is None
    assert child.run(samples, ["KR-01"])[0].programmes == 1
    child.stop()


def test_the_windows_quiet_run_is_not_in_its_process(qtbot, samples: Path, tmp_path: Path,
                                                     monkeypatch):
    services = Services.open(samples)
    window = MainWindow(services, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)

    def in_process(*_args, **_kwargs):
        raise AssertionError("the window's quiet run ran in the window's process")
    monkeypatch.setattr(services.risk_runs, "run", in_process)
    runs: dict[str, object] = {}
    window.risk_checks.checked.connect(
        lambda codes, summaries: runs.update(zip(codes, summaries, strict=True)))
    window.risk_checks.debounce.setInterval(0)
    window.risk_checks.schedule(["RS-01"])
    qtbot.waitUntil(lambda: "RS-01" in runs, timeout=60000)
    assert runs["RS-01"].programmes == 1  # type: ignore[attr-defined]
    assert window.risk_checks.cancel(5.0)
    services.close()
