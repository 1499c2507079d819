"""A programme's risk status at a glance: one badge per risk category (domain §2.0 roll-up).

Each badge says its status in words ("Clientelism: high"), not by colour alone, and how
much of it is in hand ("high · 1 mitigating"); its
tooltip lists the open flags behind it. Clicking a badge (or Space/Enter on it) asks for the
Risks tab filtered to that category.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QLayout, QPushButton, QWidget

from coprod_me.model.category_status import (
    CATEGORY_WORDS,
    NO_OPEN_FLAG,
    NOT_CHECKED,
    CategoryStatus,
)
from coprod_me.model.enums import RiskCategory, Severity

# the words are the model's (one rule for the badges and the Portfolio); kept importable here
__all__ = [
    "CATEGORY_WORDS",
    "NOT_CHECKED",
    "NO_OPEN_FLAG",
    "SEVERITY_COLOURS",
    "RagBadges",
    "badge_style",
    "severity_rank",
]

#: Fill and text colour per severity; None is a category with no open flag (green).
SEVERITY_COLOURS: dict[str | None, tuple[str, str]] = {
    None: ("#d8efd9", "#1b5e20"),
    Severity.INFO.value: ("#e8eaed", "#3c4043"),
    Severity.LOW.value: ("#e1ecf7", "#174ea6"),
    Severity.MEDIUM.value: ("#fff3cd", "#7a4f01"),
    Severity.HIGH.value: ("#f6d7d2", "#8c1d18"),
    Severity.CRITICAL.value: ("#8c1d18", "#ffffff"),
}
def severity_rank(severity: str | None) -> int:
    """-1 for none, then info 0 … critical 4: sorts and compares by meaning."""
    return -1 if severity is None else Severity(severity).rank


def badge_style(severity: str | None) -> str:
    fill, text = SEVERITY_COLOURS.get(severity, SEVERITY_COLOURS[None])
    # the focus frame must show: keyboard users move between badges with Tab
    return (f"QPushButton {{ background: {fill}; color: {text}; font-weight: bold; "
            f"border: 1px solid {text}; border-radius: 4px; padding: 4px 10px; }}"
            f"QPushButton:focus {{ border: 2px solid palette(highlight); }}")


class RagBadge(QPushButton):
    """A flat button so a badge is reachable by Tab and activated by Space or Enter."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.click()
            return
        super().keyPressEvent(event)


class RagBadges(QWidget):
    """Five badges, one per risk category, for a programme and quarter."""

    #: the category whose badge was activated (a RiskCategory value)
    category_activated = Signal(str)
    #: a programme shown whose rules never ran: the window may check it quietly
    unchecked = Signal(str)

    def __init__(self, services: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.code: str | None = None
        self.quarter: str | None = None
        self.shown_quarter: str | None = None
        self.levels: dict[str, str | None] = {}
        #: category -> its status (level, flags in hand, checked) in the quarter shown
        self.statuses: dict[str, CategoryStatus] = {}
        self.checked = False
        self.title = QLabel("Risks:")
        self.badges: dict[str, RagBadge] = {}
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        # the rows reflow on resize, so the grid must not pin the widget to its current shape
        self.grid.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.grid.addWidget(self.title, 0, 0)
        for category in RiskCategory:
            badge = RagBadge()
            badge.setAutoDefault(False)
            badge.clicked.connect(
                lambda _=False, c=category.value: self.category_activated.emit(c))
            self.badges[category.value] = badge
        self.columns = 0
        self._place(len(self.badges))
        self._show()

    def _place(self, columns: int) -> None:
        """Badges in rows of ``columns``: one row when the pane is wide, more when narrow."""
        if columns == self.columns:
            return
        self.columns = columns
        for badge in self.badges.values():
            self.grid.removeWidget(badge)
        for i, badge in enumerate(self.badges.values()):
            self.grid.addWidget(badge, i // columns, 1 + i % columns)
        for c in range(1, len(self.badges) + 2):
            self.grid.setColumnStretch(c, 0)
        self.grid.setColumnStretch(columns + 1, 1)

    def _columns_for(self, width: int) -> int:
        spacing = max(self.grid.horizontalSpacing(), 0)
        widths = [b.sizeHint().width() + spacing for b in self.badges.values()]
        room = width - self.title.sizeHint().width() - spacing
        for columns in range(len(widths), 1, -1):
            # the widest badges in any row must fit
            if sum(sorted(widths, reverse=True)[:columns]) <= room:
                return columns
        return 1

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._place(self._columns_for(event.size().width()))
        super().resizeEvent(event)

    def minimumSizeHint(self) -> QSize:
        # narrow panes take the badges in more rows instead of forcing the window wider
        widest = max(b.sizeHint().width() for b in self.badges.values())
        return QSize(self.title.sizeHint().width() + widest + 12,
                     super().minimumSizeHint().height())

    def set_programme(self, code: str | None, quarter: str | None = None) -> None:
        self.code, self.quarter = code, quarter
        self.refresh()

    def refresh(self, *_args: Any) -> None:
        self.statuses = {}
        self.shown_quarter = self.quarter
        self.checked = False
        if self.code is not None:
            # the roll-up is of the given quarter, else of the latest quarter with flags; no
            # open flag is only "clear" once the rules have run (``checked`` says which)
            self.shown_quarter, self.statuses = self.services.flag_register.statuses(
                self.code, self.quarter)
            self.checked = all(st.checked for st in self.statuses.values())
        self.levels = {c: st.level for c, st in self.statuses.items()}
        self._show()
        if self.code is not None and not self.checked:
            self.unchecked.emit(self.code)

    def text_of(self, category: str) -> str:
        """What a badge says: 'Clientelism: high', 'Clientelism: high · 1 mitigating' when
        someone is dealing with its flags, '…: no open flag' or '…: not checked yet' (the
        rules never ran for this programme): ``model.category_status``."""
        return self.statuses.get(category, CategoryStatus(category, None)).text

    def _open_flags(self, category: str) -> list[str]:
        if self.code is None:
            return []
        flags = [f for f in self.services.flag_register.register(
                     self.code, quarter=self.shown_quarter, category=category) if f.is_open]
        flags.sort(key=lambda f: -severity_rank(f.severity))
        return [f"{f.rule_id} {f.rule_title}" + (f" ({f.subject})" if f.subject else "")
                + f": {f.severity}" for f in flags]

    def _show(self) -> None:
        known = self.code is not None
        where = f" in {self.shown_quarter}" if self.shown_quarter else ""
        self.title.setText("Risks: no programme selected" if not known else
                           f"Risks{where}:" if self.checked else
                           "Risks (the rules have not run yet; F9 checks now):")
        for category, badge in self.badges.items():
            level = self.levels.get(category)
            badge.setVisible(known)
            badge.setText(self.text_of(category))
            badge.setStyleSheet(badge_style(level) if self.checked or not known
                                else badge_style(Severity.INFO.value))
            badge.setAccessibleName(self.text_of(category))
            lines = self._open_flags(category) if known and level is not None else []
            tip = [self.text_of(category) + (
                " — the highest open severity in this category (three or more open medium "
                "flags count as high)." if self.checked else
                " — the risk rules have not run for this programme, so nothing is known "
                "about this category yet. Check risks now (F9).")]
            tip += lines[:8] + ([f"… and {len(lines) - 8} more"] if len(lines) > 8 else [])
            tip.append("Click or press Enter to see these flags in the Risks tab.")
            badge.setToolTip("\n".join(tip))
