"""The IATI fields on the Profile tab and File › Export IATI results."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from lxml import etree
from PySide6.QtWidgets import QFileDialog, QMessageBox

from coprod_me.gui.iati_export import ProgrammeChoice
from coprod_me.gui.main_window import MainWindow
from coprod_me.gui.profile_tab import IATI_FIELDS
from coprod_me.services.iati_exports import schema

IATI = {"iati_identifier": "XI-TEST-1-WS-02", "reporting_org_ref": "XI-TEST-1",
        "reporting_org_name": "Test reporter", "reporting_org_type": "22",
        "activity_status": "2", "sector_code": "14030", "default_language": "en"}


def test_the_profile_edits_the_seven_iati_fields_audited_and_undoable(qtbot,
                                                                      window: MainWindow):
    window.services.programmes.create("WS-02", "Water kiosks")
    window.refresh()
    window.select("WS-02")
    tab = window.view(window.profile_tab)
    assert [f for f, _label, _tip in IATI_FIELDS] == list(IATI)
    edit = tab.edits["sector_code"]
    edit.setText("14030")
    edit.editingFinished.emit()
    assert window.services.programmes.get("WS-02").sector_code == "14030"
    trail = window.services.database.audit_trail("programme")
    assert any(e.field == "sector_code" and e.new == "14030" for e in trail)
    window.undo_stack.undo()
    assert window.services.programmes.get("WS-02").sector_code is None
    assert tab.edits["sector_code"].text() == ""


def test_the_file_menu_exports_a_valid_iati_file_and_offers_to_show_it(
        qtbot, window: MainWindow, tmp_path: Path, monkeypatch):
    programmes = window.services.programmes
    programmes.create("WS-02", "Water kiosks", description="Kiosks run by residents.",
                      jurisdiction_country="KE", currency="KES",
                      start_date=date(2024, 1, 1))
    programmes.update("WS-02", dict(IATI))
    assert window.iati_action.text() == "Export I&ATI results…"
    out = tmp_path / "ws"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    monkeypatch.setattr(ProgrammeChoice, "exec", lambda self: ProgrammeChoice.DialogCode.Accepted)
    monkeypatch.setattr(ProgrammeChoice, "codes", lambda self: ["WS-02"])
    # no actors yet: refused, saying what is missing, and nothing written
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    window.iati_action.trigger()
    qtbot.waitUntil(lambda: not window.tasks, timeout=10000)
    assert shown and "participating-org" in shown[0] and "Actor roles" in shown[0]
    assert not out.with_suffix(".xml").exists()

    window.services.actors.create({"code": "WS-02-CITY", "name": "City water office",
                                   "actor_class": "state_direct",
                                   "org_type": "government_unit"})
    window.services.records.create("actors", "WS-02", {"role": "commissioner"},
                                   actor_code="WS-02-CITY")
    window.iati_action.trigger()
    qtbot.waitUntil(lambda: not window.tasks, timeout=10000)
    written = out.with_suffix(".xml")
    assert len(shown) == 1, shown
    assert schema().validate(etree.parse(str(written)))
    box = window.written
    assert box is not None and box.isVisible()
    assert box.text() == f"The IATI file was written to {written}."
    assert "valid IATI 2.03" in box.informativeText()
    assert {b.text().replace("&", "") for b in box.buttons()} >= {"Open", "Show in folder"}
    box.close()
