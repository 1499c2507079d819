"""The corpus, made once per session, and a database holding one programme to import into."""

from __future__ import annotations

from pathlib import Path

import pytest

from coprod_me.services import Services
from tests.builders import small_programme_rows, write
from tests.hostile.corpus import make_all


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_all(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="session")
def loaded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with programme T-01, closed (nothing left in a write-ahead log)."""
    folder = tmp_path_factory.mktemp("database")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COPROD_ME_DATA_DIR", str(folder / "data"))
        mp.setenv("XDG_CONFIG_HOME", str(folder / "config"))
        services = Services.open(folder / "coprod.sqlite")
        services.workbooks.load(write(folder / "programme.xlsx", small_programme_rows()))
        services.close()
    return folder / "coprod.sqlite"
