"""The rule kit: what the rule modules share, and the one-way imports that keep it a kit."""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

from coprod_me.model import entities as M
from coprod_me.risks.definitions import load_rules
from coprod_me.risks.kit import RuleContext, checklist_answer, where
from tests.risks.programmes import snapshot

RISKS = Path(__file__).resolve().parents[2] / "coprod_me" / "risks"
RULE_MODULES = ("clientelism", "co_destruction", "data_integrity", "equity", "sustainability")


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out |= {f"{node.module}.{a.name}" for a in node.names}
    return out


def test_rule_modules_use_the_kit_and_never_the_runner_or_each_other() -> None:
    for name in RULE_MODULES:
        imported = _imports(RISKS / f"{name}.py")
        assert "coprod_me.risks.kit" in imported, name
        assert "coprod_me.risks.engine" not in imported, name
        others = {f"coprod_me.risks.{o}" for o in RULE_MODULES if o != name}
        assert not imported & others, (name, imported & others)
    # the kit stands on the rule definitions and the read model only
    kit = {m.split(".")[2] for m in _imports(RISKS / "kit.py") if m.startswith("coprod_me.risks.")}
    assert kit <= {"definitions", "snapshot"}, kit


def _answer(period: str, answer: str, strand_id: int | None = None) -> M.ChecklistResponse:
    return M.ChecklistResponse(programme_id=1, strand_id=strand_id, period=period,
                               item_code="CLQ-5", answer=answer)


def test_the_checklist_answer_is_the_latest_up_to_the_quarter_the_strands_own_first() -> None:
    snap = replace(snapshot(checklist=(
        _answer("2023Q2", "yes"), _answer("2023Q3", "partly", 7), _answer("2023Q3", "no"),
        _answer("2023Q4", "unknown", 8), _answer("2024Q1", "no", 7))),
        strand_code={7: "A", 8: "B"})
    ctx = RuleContext(snap, load_rules(), {})
    assert checklist_answer(ctx, "CLQ-5", "2023Q1", "A") is None
    assert checklist_answer(ctx, "CLQ-5", "2023Q2", "A") == "yes"  # the programme's
    assert checklist_answer(ctx, "CLQ-5", "2023Q3", "A") == "partly"  # the strand's own
    assert checklist_answer(ctx, "CLQ-5", "2023Q3", None) == "no"
    assert checklist_answer(ctx, "CLQ-5", "2023Q4", "A") == "partly"  # B's is not A's
    assert checklist_answer(ctx, "CLQ-5", "2024Q2", "A") == "no"
    assert checklist_answer(ctx, "CDQ-2", "2024Q2", "A") is None


def test_where_names_a_strand_and_says_nothing_for_the_programme() -> None:
    assert where("BD-UPZ") == " in BD-UPZ"
    assert where(None) == ""
