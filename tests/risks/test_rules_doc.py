"""The method annex (docs/rules.md) and the sources registry stay true to the rule data."""

from __future__ import annotations

import importlib.util
import json
from importlib import resources
from pathlib import Path

from coprod_me.risks.definitions import (
    TAGS,
    load_checklist_items,
    load_rules,
    load_sources,
    param_unit,
    value_text,
)

ROOT = Path(__file__).resolve().parents[2]


def _generator():
    spec = importlib.util.spec_from_file_location("make_rules_doc",
                                                  ROOT / "tools" / "make_rules_doc.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_citation_key_the_rule_data_uses_has_a_full_reference():
    rules_dir = resources.files("coprod_me").joinpath("resources", "rules")
    used: set[str] = set()
    for path in rules_dir.iterdir():
        if not path.name.endswith(".json") or path.name == "sources.json":
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        for entry in [*data.get("rules", ()), *data.get("items", ())]:
            used |= set(entry.get("citations", ()))
    sources = load_sources()
    assert used, "the rule data cites its sources"
    assert sorted(used - set(sources)) == [], "citation keys without a reference in sources.json"
    for key in used:
        ref = sources[key]
        assert ref != key and len(ref) > 30, f"{key}: {ref!r} is no full reference"
    # a rule's sources are the full references, in its order
    cd1 = load_rules()["CD-1"]
    assert cd1.sources == tuple(sources[c] for c in cd1.citations)
    assert cd1.sources[0].startswith("Sorrentino, M., Sicilia, M. & Howlett, M. (2018)")


def test_docs_rules_md_is_what_the_generator_writes_from_the_rule_data():
    text = _generator().render()
    doc = ROOT / "docs" / "rules.md"
    assert doc.is_file() and doc.read_text(encoding="utf-8") == text, (
        "docs/rules.md is stale: run 'make docs' (tools/make_rules_doc.py)")


def test_the_annex_has_every_rule_and_checklist_item_with_thresholds_and_sources():
    text = _generator().render()
    for rule in load_rules().values():
        assert f"### {rule.rule_id} {rule.title}" in text
        for p in rule.params.values():
            assert f"| {p.label.replace('|', chr(92) + '|')} (`{p.name}`) | {p.text} | {p.tag} |" \
                in text
        for source in rule.sources:
            assert f"- {source}" in text
    for item in load_checklist_items().values():
        assert f"### {item.code}" in text and item.question in text
    for tag in TAGS:
        assert f"- **{tag}**:" in text
    assert "domain §" not in text and "the brief" not in text


def test_a_parameter_s_unit_is_read_from_its_name_and_label():
    assert param_unit("runway_high_pct", "runway floor, high (%)", 50) == "percent"
    assert param_unit("adverse_pp", "outcome adverse by (points)", 2.0) == "pp"
    assert param_unit("drop_points", "satisfaction drop (points, QoQ)", 10) == "points"
    assert param_unit("output_rise_rel", "output rise (relative)", 0.1) == "relative"
    assert param_unit("hhi_high", "HHI highly concentrated (DOJ/FTC 2010)", 2500) == "index"
    assert param_unit("rr_medium", "representation ratio (four-fifths)", 0.8) == "ratio"
    assert param_unit("min_points", "values needed", 4) == "count"
    assert value_text(0.1, "relative") == "0.1 relative change (10 %)"
    assert value_text(2500, "index") == "2,500 HHI points"
    assert value_text(25, "percent") == "25 %"
    assert value_text(2.0, "pp") == "2 percentage points"
