"""A new record of any kind: every field, the required ones marked, and a way to add the
actor it names when that actor is not in the list yet."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from coprod_me.gui.table_models import words
from coprod_me.services.records import FieldInfo


class NewRecordDialog(QDialog):
    """Every field of a new record, required ones marked; the service checks the values."""

    def __init__(self, kind_label: str, fields: Sequence[FieldInfo], strands: Sequence[str],
                 actors: Sequence[tuple[str, str]] | None, actor_required: bool,
                 parent: QWidget | None = None, *,
                 new_actor: Callable[[QWidget], tuple[str, str] | None] | None = None) -> None:
        """``new_actor(dialog)`` adds an actor (asking for its fields) and returns its
        (code, name), or None when cancelled; without it the New actor button is off."""
        super().__init__(parent)
        self._new_actor = new_actor
        self.setWindowTitle(f"New {kind_label.lower()} record")
        form = QFormLayout()
        self.strand = QComboBox()
        self.strand.setAccessibleName("Strand")
        self.strand.addItem("— programme as a whole —", None)
        for code in strands:
            self.strand.addItem(code, code)
        form.addRow("&Strand:", self.strand)
        self.actor: QComboBox | None = None
        self.new_actor_button: QPushButton | None = None
        if actors is not None:
            self.actor = QComboBox()
            self.actor.setAccessibleName("Actor")
            if not actor_required:
                self.actor.addItem("— none —", None)
            for code, name in actors:
                self.actor.addItem(f"{code} — {name}", code)
            self.new_actor_button = QPushButton("&New actor…")
            self.new_actor_button.setToolTip(
                "Add an actor that is not in the list yet; it is saved at once and Ctrl+Z "
                "takes it back (all actors: Records, Actors (all programmes))")
            self.new_actor_button.setEnabled(new_actor is not None)
            self.new_actor_button.clicked.connect(self._add_actor)
            actor_label = QLabel("&Actor:" + (" *" if actor_required else ""))
            actor_label.setBuddy(self.actor)
            actor_row = QHBoxLayout()
            actor_row.addWidget(self.actor, 1)
            actor_row.addWidget(self.new_actor_button)
            form.addRow(actor_label, actor_row)
        self.inputs: dict[str, QComboBox | QLineEdit] = {}
        for f in fields:
            widget: QComboBox | QLineEdit
            if f.kind in ("enum", "bool"):
                widget = QComboBox()
                widget.addItem("", None)
                for value in (f.allowed if f.kind == "enum" else ("yes", "no")):
                    widget.addItem(words(value), value)
            else:
                widget = QLineEdit()
                widget.setPlaceholderText({"int": "whole number", "float": "number",
                                           "date": "YYYY-MM-DD", "quarter": "e.g. 2024Q2"}
                                          .get(f.kind, ""))
            widget.setAccessibleName(f.label)
            widget.setToolTip(f.description)
            self.inputs[f.name] = widget
            form.addRow(f.label + (" *" if f.required else "") + ":", widget)
        inner = QWidget()
        inner.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("Fields marked * are required."))
        lay.addWidget(scroll, 1)
        lay.addWidget(self.message)
        lay.addWidget(buttons)
        self.resize(520, 560)
        if self.actor is not None and self.actor.count() == 0:
            self.message.setText("There are no actors yet: add one with New actor… (Alt+N).")

    def _add_actor(self) -> None:
        if self._new_actor is None or self.actor is None:
            return
        added = self._new_actor(self)
        if added is None:
            return
        code, name = added
        self.actor.addItem(f"{code} — {name}", code)
        self.actor.setCurrentIndex(self.actor.count() - 1)
        self.message.setText(f"Added actor {code} (saved; Edit > Undo takes it back).")

    def values(self) -> dict[str, Any]:
        """The fields the user filled in (blank ones are left to their defaults)."""
        out: dict[str, Any] = {}
        for name, w in self.inputs.items():
            value = w.currentData() if isinstance(w, QComboBox) else w.text().strip()
            if value not in (None, ""):
                out[name] = value
        return out

    def strand_code(self) -> str | None:
        return self.strand.currentData()

    def actor_code(self) -> str | None:
        return self.actor.currentData() if self.actor is not None else None
