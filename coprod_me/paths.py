"""Where things live: the default database, and packaged resources."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "coprod-me"
PACKAGE_DIR = Path(__file__).resolve().parent
RESOURCES_DIR = PACKAGE_DIR / "resources"
SAMPLES_DIR_NAME = "sample_programmes"


def data_dir() -> Path:
    override = os.environ.get("COPROD_ME_DATA_DIR")
    return Path(override) if override else Path(user_data_dir(APP_NAME, appauthor=False))


def default_database_path() -> Path:
    """``COPROD_ME_DB`` if set, else ``coprod-me.sqlite`` in the user's data directory."""
    env = os.environ.get("COPROD_ME_DB")
    if env:
        return Path(env).expanduser()
    return data_dir() / "coprod-me.sqlite"


def is_app_folder(database: Path) -> bool:
    """Whether ``database`` lies in coprod-me's own data folder: that folder is made on first
    use without asking, any other only when the user asks (``--create``)."""
    return database.expanduser().absolute().parent == data_dir().expanduser().absolute()


def resource(*parts: str) -> Path:
    return RESOURCES_DIR.joinpath(*parts)


def sample_programmes_dir() -> Path:
    """The shipped sample workbooks: beside the package in a checkout, inside it when installed."""
    for candidate in (PACKAGE_DIR.parent / SAMPLES_DIR_NAME, PACKAGE_DIR / SAMPLES_DIR_NAME):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"the {SAMPLES_DIR_NAME} folder was not found next to {PACKAGE_DIR}; reinstall coprod-me")
