"""RAG badges: one per risk category, said in words as well as colours."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from coprod_me.gui.rag_badges import (
    CATEGORY_WORDS,
    NO_OPEN_FLAG,
    NOT_CHECKED,
    SEVERITY_COLOURS,
    RagBadges,
)
from coprod_me.model.enums import RiskCategory
from coprod_me.services import Services
from coprod_me.services.database import load_samples


@pytest.fixture
def loaded(services: Services) -> Services:
    load_samples(services.store)
    services.risk_runs.run("RS-01")
    return services


def test_each_category_badge_says_its_level_in_words_and_colour(qtbot, loaded: Services):
    badges = RagBadges(loaded)
    qtbot.addWidget(badges)
    badges.show()
    badges.set_programme("RS-01")
    levels = loaded.flag_register.rag("RS-01")
    assert set(badges.badges) == {c.value for c in RiskCategory}
    for category, badge in badges.badges.items():
        level = levels.get(category)
        text = f"{CATEGORY_WORDS[category]}: {level or NO_OPEN_FLAG}"
        assert badge.text() == text
        assert badge.accessibleName() == text
        assert SEVERITY_COLOURS[level][0] in badge.styleSheet()
        assert badge.isVisible()
    flagged = [c for c, level in levels.items() if level is not None]
    assert flagged, "RS-01 raises flags (domain §3.1)"
    tip = badges.badges[flagged[0]].toolTip()
    open_ids = {f.rule_id for f in loaded.flag_register.register("RS-01", category=flagged[0])
                if f.is_open}
    assert any(rule_id in tip for rule_id in open_ids)


def test_activating_a_badge_by_keyboard_names_its_category(qtbot, loaded: Services):
    badges = RagBadges(loaded)
    qtbot.addWidget(badges)
    badges.show()
    badges.set_programme("RS-01")
    badge = badges.badges[RiskCategory.EQUITY.value]
    badge.setFocus()
    with qtbot.waitSignal(badges.category_activated) as blocker:
        qtbot.keyClick(badge, Qt.Key.Key_Return)
    assert blocker.args == [RiskCategory.EQUITY.value]


def test_without_a_programme_no_badge_is_shown(qtbot, loaded: Services):
    badges = RagBadges(loaded)
    qtbot.addWidget(badges)
    badges.show()
    badges.set_programme(None)
    assert not any(b.isVisible() for b in badges.badges.values())
    assert "no programme" in badges.title.text()


def test_badges_take_more_rows_in_a_narrow_pane_instead_of_widening_it(qtbot, loaded: Services):
    badges = RagBadges(loaded)
    qtbot.addWidget(badges)
    badges.set_programme("RS-01")
    badges.show()
    badges.resize(2000, 40)
    qtbot.waitUntil(lambda: badges.columns == len(badges.badges))
    badges.resize(badges.minimumSizeHint().width(), 200)
    qtbot.waitUntil(lambda: badges.columns == 1)
    assert badges.minimumSizeHint().width() < 400


def test_a_programme_never_checked_says_so_instead_of_clear(qtbot, loaded: Services):
    """No open flag means "clear" only after the rules ran; before that the badges say
    "not checked yet", in neutral grey, and ask the window for a check."""
    badges = RagBadges(loaded)
    qtbot.addWidget(badges)
    badges.show()
    assert loaded.risk_runs.last_run("HR-01") is None
    with qtbot.waitSignal(badges.unchecked) as blocker:
        badges.set_programme("HR-01")
    assert blocker.args == ["HR-01"]
    for category, badge in badges.badges.items():
        assert badge.text() == f"{CATEGORY_WORDS[category]}: {NOT_CHECKED}"
        assert SEVERITY_COLOURS[None][0] not in badge.styleSheet()
        assert "F9" in badge.toolTip()
    assert "not run" in badges.title.text()

    loaded.risk_runs.run("HR-01")
    run = loaded.risk_runs.last_run("HR-01")
    assert run is not None and run.flags > 0
    with qtbot.assertNotEmitted(badges.unchecked):
        badges.refresh()
    assert badges.text_of("clientelism") == "Clientelism: critical"  # CL-X, domain §3.3


def test_a_badge_says_how_many_of_its_flags_are_in_hand(qtbot, loaded: Services):
    """A mitigation does not lower the level (the flag is still open) but the badge says it
    is being dealt with: "Co-destruction: high · 1 mitigating"."""
    badges = RagBadges(loaded)
    qtbot.addWidget(badges)
    badges.show()
    badges.set_programme("RS-01")
    level = loaded.flag_register.rag("RS-01")["co_destruction"]
    assert level is not None
    assert badges.text_of("co_destruction") == f"Co-destruction: {level}"
    flags = [f for f in loaded.flag_register.register(
        "RS-01", quarter=badges.shown_quarter, category="co_destruction") if f.is_open]
    assert flags, "RS-01 raises CD-1"
    loaded.flag_register.mitigate(flags[0].id, mitigation="household visits in the block",
                                  owner="district coordinator")
    badges.refresh()
    assert badges.text_of("co_destruction") == f"Co-destruction: {level} · 1 mitigating"
    badge = badges.badges["co_destruction"]
    assert badge.text() == badge.accessibleName() == f"Co-destruction: {level} · 1 mitigating"
    # a category with nothing in hand says its level alone, until someone acknowledges one
    others = {c: lv for c, lv in loaded.flag_register.rag("RS-01").items()
              if lv is not None and c != "co_destruction"}
    assert others, "RS-01 raises flags in more than one category"
    for c in others:
        assert "·" not in badges.text_of(c)
    category, other_level = next(iter(others.items()))
    (first, *_) = [f for f in loaded.flag_register.register(
        "RS-01", quarter=badges.shown_quarter, category=category) if f.is_open]
    loaded.flag_register.acknowledge(first.id, note="seen; waiting for the survey")
    badges.refresh()
    assert badges.text_of(category) == \
        f"{CATEGORY_WORDS[category]}: {other_level} · 1 acknowledged"
