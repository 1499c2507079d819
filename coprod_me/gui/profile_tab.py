"""The programme profile: every classification field, explained, edited through the undo stack."""

from __future__ import annotations

import html
from enum import StrEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from coprod_me.gui.errors import report_exception
from coprod_me.gui.programme_view import ProgrammeView
from coprod_me.gui.table_models import words
from coprod_me.gui.undo_commands import apply_edit
from coprod_me.model import enums as E
from coprod_me.model.errors import DomainError
from coprod_me.model.glossary import GLOSSARY, explain
from coprod_me.services import Services
from coprod_me.services.programmes import ProgrammePeople

# (field, label, enum) in the order of the domain brief §1.1
CLASSIFICATION: tuple[tuple[str, str, type[StrEnum]], ...] = (
    ("os_level", "O&S level", E.OsLevel),
    ("ors_type", "ORS type", E.OrsType),
    ("interaction_mode", "Interaction mode", E.InteractionMode),
    ("intended_outcome", "Intended outcome", E.IntendedOutcome),
    ("moon_type", "Moon type (ICT only)", E.MoonType),
    ("institutional_status", "Institutional status", E.InstitutionalStatus),
    ("clientelism_context", "Clientelism context", E.ClientelismContext),
    ("kekez_mode", "Kekez mode (assessment)", E.KekezMode),
    ("policy_domain", "Policy domain", E.PolicyDomain),
    ("jurisdiction_level", "Jurisdiction level", E.JurisdictionLevel),
    ("status", "Status", E.ProgrammeStatus),
)
TEXT_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "Name"),
    ("jurisdiction_country", "Countries (ISO codes)"),
    ("currency", "Currency"),
    ("lead_person", "Lead person"),
)

#: (field, label, what to write) for what an IATI activity needs beyond the fields above
IATI_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("iati_identifier", "IATI identifier",
     "The reporting organisation's ref, a hyphen, then this activity's own id, e.g. "
     "XM-DAC-41114-PROJ-0042; never changed once published"),
    ("reporting_org_ref", "Reporting organisation ref",
     "The IATI organisation identifier of whoever publishes the file, e.g. XM-DAC-41114"),
    ("reporting_org_name", "Reporting organisation name", "Its name as published"),
    ("reporting_org_type", "Reporting organisation type",
     "IATI OrganisationType code: 10 government, 15 other public sector, 21 international "
     "NGO, 22 national NGO, 40 multilateral, 60 foundation, 70 private sector, 80 academic"),
    ("activity_status", "Activity status",
     "IATI ActivityStatus code: 1 pipeline, 2 implementation, 3 finalisation, 4 closed, "
     "5 cancelled, 6 suspended"),
    ("sector_code", "Sector (DAC 5-digit)",
     "OECD DAC purpose code, e.g. 14032 basic sanitation, 12220 basic health care"),
    ("default_language", "Language of the texts", "ISO 639-1 code, e.g. en, fr, es"),
)


def _people_html(people: ProgrammePeople) -> str:
    e = html.escape
    parts = ["<b>Actors</b><ul>"]
    for a in people.actors:
        extra = ", ".join(x for x in (words(a.actor_class), a.alford_role and
                                      f"Alford: {a.alford_role}", a.phase and words(a.phase),
                                      a.seats) if x)
        pep = " <span style='color:#b3261e'>politically exposed</span>" if a.politically_exposed \
            else ""
        parts.append(f"<li>{e(a.name)} — {e(words(a.role))} ({e(extra)}){pep}</li>")
    parts.append("</ul><b>Sponsors</b><ul>")
    for s in people.sponsors:
        term = f"term ends {s.term_end_date}" if s.term_end_date else "term end not known"
        nxt = f", next election {s.next_election_date}" if s.next_election_date else ""
        beyond = "commitment beyond term" if s.commitment_beyond_term else \
            "no commitment beyond term"
        parts.append(f"<li>{e(s.office_title or s.code)}: {term}{nxt}; {beyond}</li>")
    if not people.sponsors:
        parts.append("<li>none recorded</li>")
    parts.append("</ul><b>Funding</b><ul>")
    for f in people.funding:
        amount = f"{f.committed_amount:,.0f}" if f.committed_amount is not None else "?"
        period = f"{f.period_start or '?'} to {f.period_end or '?'}"
        parts.append(f"<li>{e(f.name or f.code)} ({words(f.type)}): {amount} "
                     f"{e(people.currency or '')}, {period}</li>")
    if not people.funding:
        parts.append("<li>none recorded</li>")
    parts.append("</ul>")
    return "".join(parts)


class ProfileTab(ProgrammeView):
    """Edits go to the database at once, each as one undoable step."""

    def __init__(self, services: Services, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, undo_stack, parent)
        self._loading = False
        label_box = self._build_label_box()
        form_box = self._build_classification()
        iati_box = self._build_iati()
        phases_box = self._build_phases()
        people_box = self._build_people()
        inner = QWidget()
        lay = QVBoxLayout(inner)
        top = QHBoxLayout()
        top.addWidget(label_box, 3)
        top.addWidget(phases_box, 2)
        lay.addLayout(top)
        lay.addWidget(form_box)
        lay.addWidget(iati_box)
        lay.addWidget(people_box)
        lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.setEnabled(False)

    # ------------------------------------------------------------------------------- parts

    def _build_label_box(self) -> QGroupBox:
        """The derived traditional / non-traditional label, and the evaluator's override."""
        self.label_text = QLabel()
        self.label_text.setWordWrap(True)
        self.label_text.setTextFormat(Qt.TextFormat.RichText)
        self.override_button = QPushButton("&Override label…")
        self.override_button.clicked.connect(self.override_label)
        self.clear_override_button = QPushButton("&Clear override")
        self.clear_override_button.clicked.connect(self.clear_override)
        label_box = QGroupBox("Traditional / non-traditional")
        lb = QVBoxLayout(label_box)
        lb.addWidget(self.label_text)
        row = QHBoxLayout()
        row.addWidget(self.override_button)
        row.addWidget(self.clear_override_button)
        row.addStretch(1)
        lb.addLayout(row)
        return label_box

    def _build_classification(self) -> QGroupBox:
        """The text fields, a drop-down per classification (each choice explained) and the
        two yes/no commitments."""
        form_box = QGroupBox("Classification")
        form = QFormLayout(form_box)
        self.edits: dict[str, QLineEdit] = {}
        for field, label in TEXT_FIELDS:
            edit = QLineEdit()
            edit.setAccessibleName(label)
            edit.editingFinished.connect(lambda f=field: self._text_edited(f))
            self.edits[field] = edit
            form.addRow(f"{label}:", edit)
        self.combos: dict[str, QComboBox] = {}
        for field, label, enum in CLASSIFICATION:
            combo = QComboBox()
            combo.setAccessibleName(label)
            combo.addItem("— not set —", None)
            for member in enum:
                combo.addItem(words(member.value), member.value)
                tip = explain(field, member.value)
                if tip:
                    combo.setItemData(combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
            combo.activated.connect(lambda _i, f=field: self._combo_changed(f))
            self.combos[field] = combo
            form.addRow(f"{label}:", combo)
        self.checks: dict[str, QCheckBox] = {}
        for field, label in (("transition_plan_approved", "Approved transition or exit plan"),
                             ("lead_has_deputy", "Lead has a deputy or succession plan")):
            box = QCheckBox(label)
            box.toggled.connect(lambda on, f=field: self._check_changed(f, on))
            self.checks[field] = box
            form.addRow("", box)
        self.help = QLabel()
        self.help.setWordWrap(True)
        self.help.setStyleSheet("color: palette(dark);")
        form.addRow("", self.help)
        return form_box

    def _build_iati(self) -> QGroupBox:
        """What an IATI export needs (File › Export IATI results), edited like the fields
        above: each change one undoable, audited step."""
        box = QGroupBox("IATI (for funders)")
        form = QFormLayout(box)
        for field, label, tip in IATI_FIELDS:
            edit = QLineEdit()
            edit.setAccessibleName(label)
            edit.setToolTip(tip)
            edit.setPlaceholderText(tip.split(",")[0].split(":")[0])
            edit.editingFinished.connect(lambda f=field: self._text_edited(f))
            self.edits[field] = edit
            form.addRow(f"{label}:", edit)
        return box

    def _build_phases(self) -> QGroupBox:
        """A check box per phase (rows) and co-production level (columns) covered."""
        phases_box = QGroupBox("Phases × levels covered")
        grid = QGridLayout(phases_box)
        self.phase_boxes: dict[tuple[str, str], QCheckBox] = {}
        for c, level in enumerate(E.CoproductionLevel, start=1):
            grid.addWidget(QLabel(f"<b>{level.value}</b>"), 0, c)
        for r, phase in enumerate(E.Phase, start=1):
            name = QLabel(words(phase.value).replace("co ", "co-"))
            name.setToolTip(GLOSSARY["phase"][phase.value])
            grid.addWidget(name, r, 0)
            for c, level in enumerate(E.CoproductionLevel, start=1):
                box = QCheckBox()
                box.setAccessibleName(f"{phase.value} {level.value}")
                box.setToolTip(f"{GLOSSARY['phase'][phase.value]}\n"
                               f"{GLOSSARY['coproduction_level'][level.value]}")
                box.toggled.connect(lambda on, p=phase.value, lv=level.value:
                                    self._phase_toggled(p, lv, on))
                self.phase_boxes[(phase.value, level.value)] = box
                grid.addWidget(box, r, c, Qt.AlignmentFlag.AlignCenter)
        return phases_box

    def _build_people(self) -> QGroupBox:
        """Actors, sponsors and funding, read-only here, with where to edit them."""
        self.people = QLabel()
        self.people.setWordWrap(True)
        self.people.setTextFormat(Qt.TextFormat.RichText)
        people_box = QGroupBox("Actors, sponsors and funding")
        people_layout = QVBoxLayout(people_box)
        where = QLabel("Edit actors (name, class, organisation type, political exposure) "
                       "under Records (Alt+5) › Actors (all programmes), and their roles in "
                       "this programme under Records › Actor roles.")
        where.setWordWrap(True)
        where.setStyleSheet("color: palette(dark);")
        people_layout.addWidget(where)
        people_layout.addWidget(self.people)
        return people_box

    # ------------------------------------------------------------------------------ loading

    def reload(self) -> None:
        if self.code is None:
            return
        self._loading = True
        try:
            p = self.services.programmes.get(self.code)
            for field, edit in self.edits.items():
                edit.setText(getattr(p, field) or "")
            for field, combo in self.combos.items():
                idx = combo.findData(getattr(p, field))
                combo.setCurrentIndex(max(idx, 0))
            for field, box in self.checks.items():
                box.setChecked(bool(getattr(p, field)))
            covered = {(ph.phase, ph.level) for ph in self.services.programmes.phases(self.code)
                       if ph.strand_id is None}
            for cell, box in self.phase_boxes.items():
                box.setChecked(cell in covered)
            view = self.services.programmes.tradition_label(self.code)
            text = (f"<b>{words(view.effective)}</b>"
                    + (" (evaluator override)" if view.override else " (derived)")
                    + f"<br><i>{view.reasoning}</i>")
            if view.override:
                text += f"<br>Why overridden: {view.override_reason}"
            self.label_text.setText(text)
            self.clear_override_button.setEnabled(bool(view.override))
            self.people.setText(_people_html(self.services.programmes.people(self.code)))
        finally:
            self._loading = False

    # ------------------------------------------------------------------------------- edits

    def _update(self, field: str, old: Any, new: Any, text: str) -> None:
        code = self.code
        assert code is not None
        programmes = self.services.programmes
        try:
            apply_edit(self.undo_stack, text,
                       lambda: programmes.update(code, {field: new}, reason=text),
                       lambda: programmes.update(code, {field: old}, reason=f"undo: {text}"),
                       after=self._after_edit)
        except DomainError as exc:
            self.reload()  # put the field back as stored
            report_exception(exc, self)

    def _after_edit(self) -> None:
        self.reload()
        self.changed.emit()

    def _text_edited(self, field: str) -> None:
        if self._loading or self.code is None:
            return
        old = getattr(self.services.programmes.get(self.code), field)
        new = self.edits[field].text().strip() or None
        if new != old:
            self._update(field, old, new, f"set {field} of {self.code}")

    def _combo_changed(self, field: str) -> None:
        if self._loading or self.code is None:
            return
        combo = self.combos[field]
        new = combo.currentData()
        self.help.setText(explain(field, new))
        old = getattr(self.services.programmes.get(self.code), field)
        if new != old:
            self._update(field, old, new, f"set {field} of {self.code} to {new or 'not set'}")

    def _check_changed(self, field: str, on: bool) -> None:
        if self._loading or self.code is None:
            return
        self._update(field, not on, on, f"set {field} of {self.code} to {on}")

    def _phase_toggled(self, phase: str, level: str, on: bool) -> None:
        if self._loading or self.code is None:
            return
        code = self.code
        programmes = self.services.programmes
        text = f"{'cover' if on else 'uncover'} {phase} ({level}) in {code}"
        try:
            apply_edit(self.undo_stack, text,
                       lambda: programmes.set_phase(code, phase, level, on, reason=text),
                       lambda: programmes.set_phase(code, phase, level, not on,
                                                    reason=f"undo: {text}"),
                       after=self._after_edit)
        except DomainError as exc:
            self.reload()
            report_exception(exc, self)

    def override_label(self) -> None:
        if self.code is None:
            return
        labels = [m.value for m in E.TraditionLabel]
        label, ok = QInputDialog.getItem(self, "Override the derived label",
                                         "Label that fits this programme:", labels, 0, False)
        if not ok:
            return
        reason, ok = QInputDialog.getText(
            self, "Why?", "Why does the derived label not fit? (kept in the audit log)")
        if not ok:
            return
        self._override(label, reason)

    def clear_override(self) -> None:
        self._override(None, "override cleared")

    def _override(self, label: str | None, reason: str) -> None:
        code = self.code
        assert code is not None
        programmes = self.services.programmes
        before = programmes.tradition_label(code)
        old_label, old_reason = before.override, before.override_reason or ""
        text = f"override label of {code} to {label}" if label else f"clear label of {code}"
        try:
            apply_edit(self.undo_stack, text,
                       lambda: programmes.override_tradition_label(code, label, reason),
                       lambda: programmes.override_tradition_label(
                           code, old_label, old_reason or "undo override"),
                       after=self._after_edit)
        except DomainError as exc:
            report_exception(exc, self)
