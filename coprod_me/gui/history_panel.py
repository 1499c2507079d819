"""The audit trail of a record (or of the whole database): who, when, old, new, why."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from coprod_me.gui.table_models import SORT_ROLE, Column, RowTableModel
from coprod_me.services import Services
from coprod_me.services.database import AuditEntry

AUDIT_COLUMNS: list[Column[AuditEntry]] = [
    Column("When (UTC)", lambda a: a.at.replace("T", " ")[:19]),
    Column("Who", lambda a: a.user),
    Column("Action", lambda a: a.action),
    Column("Record", lambda a: f"{a.entity} {a.entity_id}" if a.entity_id else a.entity),
    Column("Field", lambda a: a.field),
    Column("Old", lambda a: a.old),
    Column("New", lambda a: a.new),
    Column("Why", lambda a: a.reason),
]


class HistoryPanel(QWidget):
    """Shows the audit rows of one record, or the latest changes when none is chosen."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.entity: str | None = None
        self.entity_id: int | None = None
        self.model: RowTableModel[AuditEntry] = RowTableModel(AUDIT_COLUMNS, self)
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self.model)
        proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(proxy)
        self.table.setSortingEnabled(True)
        self.table.setAccessibleName("Audit trail")
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        # column widths from the first rows: measuring 500 rows of old and new values took
        # a seventh of a second
        self.table.horizontalHeader().setResizeContentsPrecision(40)
        self._stale = False
        self.title = QLabel()
        self.all_button = QPushButton("Show &all recent changes")
        self.all_button.clicked.connect(lambda: self.show_record(None, None))
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.all_button)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table)
        self._stale = True  # filled when first shown (or refreshed)

    def show_record(self, entity: str | None, entity_id: int | None) -> None:
        self.entity, self.entity_id = entity, entity_id
        self.refresh()

    def refresh(self, *_args: Any) -> None:
        if self.window().isVisible() and not self.isVisible():
            self._stale = True  # a tab not in front: filled when it is shown (every edit
            return              # moves the undo stack, which asks for a refresh)
        self._stale = False
        rows = self.services.database.audit_trail(self.entity, self.entity_id)
        self.model.set_rows(rows)
        if self.entity:
            self.title.setText(f"History of {self.entity} {self.entity_id}: {len(rows)} change(s)")
        else:
            self.title.setText(f"Latest {len(rows)} change(s) in this database")
        self.table.resizeColumnsToContents()
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()
