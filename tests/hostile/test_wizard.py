"""Every hostile file opened through the import wizard, as a user would: the file page lists
the sheets, the mapping page reads the chosen one on a worker thread. The app stays alive and
the one warning it shows says what is wrong with the file (the same line the command prints).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from coprod_me.gui.errors import ExceptionDialog
from coprod_me.gui.import_wizard import ImportWizard
from coprod_me.services import Services
from tests.hostile.corpus import CASES, Case, rewritten


@pytest.fixture(scope="module")
def loaded(loaded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    db = tmp_path_factory.mktemp("wizard") / "coprod.sqlite"
    shutil.copyfile(loaded_db, db)
    services = Services.open(db)
    yield services
    services.close()


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_wizard_says_why_and_the_app_lives_on(qtbot, loaded: Services,
                                                  corpus: dict[str, Path], case: Case,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    monkeypatch.setattr(ExceptionDialog, "exec",
                        lambda dialog: pytest.fail(f"unexpected error:\n{dialog.details}"))
    path = corpus[case.file]
    w = ImportWizard(loaded, "T-01", path)
    qtbot.addWidget(w)
    w.show()
    with rewritten(path) if case.changing else nullcontext():
        w.next()  # the file page lists the sheets (a link, a folder: Next is greyed; forced)
        if w.currentId() == ImportWizard.PAGE_SHEET:
            w.next()  # the mapping page reads the sheet on a worker
        qtbot.waitUntil(lambda: bool(shown), timeout=60_000)
    assert len(shown) == 1 and re.fullmatch(case.message, shown[0]), shown
    assert not w.busy and w.currentId() in (ImportWizard.PAGE_FILE, ImportWizard.PAGE_MAPPING)
    alive: list[bool] = []
    QTimer.singleShot(0, lambda: alive.append(True))  # the event loop still turns
    qtbot.waitUntil(lambda: bool(alive))
    assert w.isVisible()
