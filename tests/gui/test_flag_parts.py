"""The parts the Risks tab is built from, each on its own: the filter bar, the actions offered
for a flag as it stands, the flag's history and the detail pane (no database needed)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from coprod_me.gui.flag_actions import FlagActions
from coprod_me.gui.flag_detail import FlagDetailPane, flag_html, history_html, number_rows
from coprod_me.gui.flag_table import ACTIVE, FlagFilter, FlagFilterBar, FlagTableModel
from coprod_me.gui.flag_words import PROGRAMME_TOTAL
from coprod_me.model.enums import FlagStatus
from coprod_me.services.database import AuditEntry
from coprod_me.services.flag_register import FlagView

FLAG = FlagView(
    id=1, rule_id="CD-1", rule_title="Output-outcome divergence", category="co_destruction",
    programme="RS-01", strand="IN-BLK", subject="", quarter="2024Q2", severity="high",
    computed_severity="high", status="open", why="Outputs rose while outcomes fell",
    metrics={"outcome_change": -0.2},
    thresholds=[{"name": "output_rise_rel", "label": "output rise", "value": 0.1,
                 "observed": 0.3, "tag": "CONV"}],
    citations=["SSH18"], first_raised_period="2024Q1", consecutive_periods=2,
    mitigation=None, owner=None, due_date=None, override_severity=None, override_reason=None,
    evaluator_judgement=None)


def _values(combo) -> list[object]:
    return [combo.itemData(i) for i in range(combo.count())]


def test_the_filter_bar_starts_on_the_latest_quarter_and_keeps_a_choice_across_reloads(qtbot):
    bar = FlagFilterBar()
    qtbot.addWidget(bar)
    changes: list[None] = []
    bar.changed.connect(lambda: changes.append(None))
    bar.offer(["2024Q2", "2024Q1"], ["IN-BLK", PROGRAMME_TOTAL])
    assert bar.quarter.currentData() == "2024Q2", "the first fill shows the latest quarter"
    assert _values(bar.strand) == [None, "IN-BLK", PROGRAMME_TOTAL]
    assert changes == [], "filling the choices is not the user choosing"

    bar.quarter.setCurrentIndex(bar.quarter.findData("2024Q1"))
    bar.strand.setCurrentIndex(bar.strand.findData("IN-BLK"))
    assert len(changes) == 2
    bar.offer(["2024Q3", "2024Q2", "2024Q1"], ["IN-BLK"])  # after a run: a new quarter
    assert (bar.quarter.currentData(), bar.strand.currentData()) == ("2024Q1", "IN-BLK")

    bar.forget_choices()  # another programme
    assert _values(bar.quarter) == [None] and _values(bar.strand) == [None]
    bar.offer(["2023Q4"], [])
    assert bar.quarter.currentData() == "2023Q4"


def test_the_filter_bar_s_criteria_are_what_the_register_s_filter_takes(qtbot):
    bar = FlagFilterBar()
    qtbot.addWidget(bar)
    model = FlagTableModel()
    model.set_rows([FLAG, replace(FLAG, id=2, status="closed_resolved", strand=None),
                    replace(FLAG, id=3, severity="low", computed_severity="low")])
    proxy = FlagFilter()
    proxy.setSourceModel(model)
    bar.offer(["2024Q2"], ["IN-BLK", PROGRAMME_TOTAL])
    bar.status.setCurrentIndex(bar.status.findData(ACTIVE))
    bar.severity.setCurrentIndex(bar.severity.findData("medium"))
    proxy.set(**bar.criteria())
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["CD-1"]
    assert proxy.mapToSource(proxy.index(0, 0)).row() == 0
    bar.status.setCurrentIndex(0)
    bar.strand.setCurrentIndex(bar.strand.findData(PROGRAMME_TOTAL))
    proxy.set(**bar.criteria())
    assert proxy.rowCount() == 1 and proxy.mapToSource(proxy.index(0, 0)).row() == 1


@pytest.mark.parametrize(("status", "offered"), [
    (None, ""),
    (FlagStatus.OPEN.value, "amco"),
    (FlagStatus.ACKNOWLEDGED.value, "mco"),
    (FlagStatus.MITIGATING.value, "mco"),
    (FlagStatus.CLOSED_RESOLVED.value, ""),
    (FlagStatus.CLOSED_FALSE_POSITIVE.value, ""),
    (FlagStatus.SUPPRESSED_INSUFFICIENT_DATA.value, "c"),
])
def test_the_actions_offered_follow_the_flag_s_status(qtbot, status: str | None, offered: str):
    actions = FlagActions(QUndoStack(), lambda: None, lambda: None)
    qtbot.addWidget(actions)
    actions.enable_for(None if status is None else replace(FLAG, status=status))
    enabled = "".join(letter for letter, b in zip("amco", actions.buttons, strict=True)
                      if b.isEnabled())
    assert enabled == offered


def test_the_history_groups_one_change_leaves_out_the_rules_runs_and_keeps_the_latest():
    def entry(at: str, field: str, old: str | None, new: str, reason: str | None,
              action: str = "update") -> AuditEntry:
        return AuditEntry(at, "ana", action, "risk_flag", 1, field, old, new, reason)

    entries = [  # newest first, as the audit trail gives them
        entry("2025-01-03T10:00:00", "status", "acknowledged", "closed_false_positive",
              "survey under way"),
        entry("2025-01-03T10:00:00", "evaluator_judgement", None, "survey under way",
              "survey under way"),
        entry("2025-01-02T09:00:00", "severity", "medium", "high", "risk rules run"),
        entry("2025-01-01T08:00:00", "status", "open", "acknowledged", None),
        entry("2025-01-01T07:00:00", "why", "a", "b", None),  # not a field worth showing
        entry("2024-12-31T07:00:00", "status", None, "open", None, action="insert"),
    ]
    text = history_html(entries)
    assert text.count("<li>") == 2
    assert ("2025-01-03 10:00 ana: status acknowledged → closed false positive; "
            "evaluator&#x27;s note: survey under way</li>") in text, "one change, one line"
    assert "risk rules run" not in text and "why" not in text
    assert "2025-01-01 08:00 ana: status open → acknowledged</li>" in text
    assert history_html(entries, limit=1).count("<li>") == 1
    assert history_html([]) == ""


def test_the_detail_pane_shows_a_flag_s_numbers_and_clears_them_without_a_flag(qtbot):
    pane = FlagDetailPane(FlagActions(QUndoStack(), lambda: None, lambda: None))
    qtbot.addWidget(pane)
    pane.show_flag(FLAG, "Busy is not better", "")
    text = pane.explanation.toPlainText()
    assert "Outputs rose while outcomes fell" in text and "Busy is not better" in text
    rows = [(pane.numbers.index(r, 0).data(), pane.numbers.index(r, 3).data())
            for r in range(pane.numbers.rowCount())]
    assert rows == [("output rise", "CONV"), ("outcome change", "measured")]
    pane.show_no_flag("<p>No flag selected.</p>")
    assert pane.explanation.toPlainText() == "No flag selected."
    assert pane.numbers.rowCount() == 0


def test_the_detail_says_why_this_level_where_each_number_comes_from_and_what_to_do(qtbot):
    """Severity reason, next step, each provenance tag in words ("measured" included), the
    sources in full, and thresholds in their unit (a relative change as a percentage)."""
    f = replace(FLAG, severity_reason="medium: output rises while the outcome is flat; "
                                      "raised from medium to high: flagged 2 quarters running.",
                next_step="Check the outcome survey's sample before acting.",
                sources=["Sorrentino, M., Sicilia, M. & Howlett, M. (2018). Understanding "
                         "co-production as a new public governance tool."],
                thresholds=[{**FLAG.thresholds[0], "unit": "relative",
                             "provenance": "CONV: a convention"}])
    text = flag_html(f, None)
    assert "Why high:</b> medium: output rises" in text
    assert "flagged 2 quarters running" in text
    assert "Next step:</b> Check the outcome survey" in text
    assert "Sorrentino, M., Sicilia, M. &amp; Howlett, M. (2018)" in text
    assert "convention chosen by coprod-me" in text and "measured: a number the rule" in text
    assert "docs/rules.md" in text
    pane = FlagDetailPane(FlagActions(QUndoStack(), lambda: None, lambda: None))
    qtbot.addWidget(pane)
    pane.show_flag(f, None, "")
    rows = number_rows(f)
    assert rows[0].unit == "relative"
    cells = [pane.numbers.index(0, c).data() for c in range(4)]
    assert cells == ["output rise", "30 %", "10 %", "CONV"]
    assert "convention" in pane.numbers.index(0, 3).data(Qt.ItemDataRole.ToolTipRole)
    measured = [r for r in rows if r.tag == "measured"]
    assert measured and "no threshold" in pane.numbers.index(len(rows) - 1, 3).data(
        Qt.ItemDataRole.ToolTipRole)


def test_a_flag_stored_without_a_severity_reason_shows_no_empty_heading(qtbot):
    text = flag_html(FLAG, None)
    assert "Why high" not in text and "Next step" not in text
    assert "Sources:" in text and "SSH18" in text  # the keys, when no full reference came


def test_the_level_is_said_once_before_its_reason(qtbot):
    """A rule starts its reason with the level it gives; under "Why high:" it is not repeated
    (a reason whose arm was lower than the escalated level keeps its own level)."""
    f = replace(FLAG, severity_reason="high: the fall is past the 2-point threshold")
    assert f.computed_severity == "high"
    text = flag_html(f, None)
    assert "Why high:</b> the fall is past the 2-point threshold" in text
    assert "high: high:" not in text and "Why high:</b> high:" not in text


def test_each_number_is_listed_once_and_units_are_not_numbers():
    """A metric that is also a threshold (the survey's margin in CD-1) has one row, the
    threshold's; a metric naming a unit ('outcome_change_unit': 'points') has none."""
    f = replace(FLAG, thresholds=[{"name": "mde_points", "label": "survey margin",
                                   "value": 5.4, "tag": "measured", "unit": "points"}],
                metrics={"mde_points": 5.4, "outcome_change_unit": "points",
                         "outcome_change": -1.0})
    assert [r.name for r in number_rows(f)] == ["survey margin", "outcome_change"]
