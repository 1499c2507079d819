from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any Qt import
os.environ.setdefault("COPROD_ME_USER", "tester")

from pathlib import Path

import pytest

from coprod_me.services import Services


@pytest.fixture(autouse=True)
def _isolated_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the user's real database or settings."""
    monkeypatch.setenv("COPROD_ME_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("COPROD_ME_DB", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.sqlite"


@pytest.fixture
def services(db_path: Path) -> Services:
    """A fresh database built by the real migrations."""
    s = Services.open(db_path)
    yield s
    s.close()
