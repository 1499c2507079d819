"""Every flag the five sample programmes raise can be defended line by line: in the JSON of
``coprod-me flags`` each computed flag says why (names, not codes; numbers rounded by their
unit), its thresholds (value, unit, provenance), why it has its severity, its sources in full
and the next step."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest
from sqlmodel import select

from coprod_me.cli import main
from coprod_me.model import entities as M
from coprod_me.model.amounts import UNIT_DECIMALS
from coprod_me.risks.kit import short_name
from coprod_me.services import Services

SAMPLES = ("HL-01", "HR-01", "KR-01", "RS-01", "ULL-01")
FIELDS = ("why", "thresholds", "severity_reason", "sources", "next_step")
# a figure in the text with the unit after it; a bare figure is a ratio or index at most
_NUMBER = re.compile(r"(?<![\w.])(-?\d[\d,]*\.(\d+))(\s*(%|points?|pp|per 1,000|h\b|days))?")
_UNIT_OF_SUFFIX = {"%": "percent", "point": "score_0_100", "points": "score_0_100",
                   "pp": "percent", "per 1,000": "rate_per_1000", "h": "hours", "days": "days"}


@pytest.fixture(scope="module")
def sample_flags(tmp_path_factory: pytest.TempPathFactory
                 ) -> tuple[list[dict], dict[str, dict[str, str]]]:
    """Every flag of every quarter of the five samples, and each programme's codes -> names
    (strands and indicators)."""
    db = str(tmp_path_factory.mktemp("fidelity") / "samples.sqlite")
    assert main(["demo", "--db", db, "--create", "--json"]) == 0
    names: dict[str, dict[str, str]] = {}
    services = Services.open(db)
    try:
        with services.store.read() as s:
            for p in s.scalars(select(M.Programme)):
                codes = {st.code: short_name(st.name) for st in s.scalars(
                    select(M.Strand).where(M.Strand.programme_id == p.id))}
                codes |= {i.code: i.name for i in s.scalars(
                    select(M.Indicator).where(M.Indicator.programme_id == p.id))}
                names[p.code] = codes
    finally:
        services.close()
    rows: list[dict] = []
    for code in SAMPLES:
        out = Path(db).with_suffix(f".{code}.json")
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            assert main(["flags", "--db", db, "--programme", code, "--all-quarters",
                         "--format", "json"]) == 0
        out.write_text(buf.getvalue(), encoding="utf-8")
        rows += json.loads(buf.getvalue())
    return rows, names


def _problems(row: dict, names: dict[str, str]) -> list[str]:
    where = f"{row['programme']} {row['quarter']} {row['rule_id']} {row['strand'] or ''}"
    out = [f"{where}: {field} is empty" for field in FIELDS if not row.get(field)]
    for t in row.get("thresholds") or ():
        for key in ("value", "unit", "provenance"):
            if key not in t or (t[key] in (None, "") and key != "unit"):
                out.append(f"{where}: threshold {t.get('name')} lacks its {key}")
    why = row.get("why") or ""
    for code, name in names.items():
        if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", why) and name not in why:
            out.append(f"{where}: the why names {code} without its name ({name!r})")
    for m in _NUMBER.finditer(why):
        decimals = len(m.group(2))
        unit = _UNIT_OF_SUFFIX.get(m.group(4) or "", "ratio")
        if decimals > UNIT_DECIMALS[unit]:
            out.append(f"{where}: {m.group(0).strip()!r} has {decimals} decimals ({unit} "
                       f"takes {UNIT_DECIMALS[unit]})")
    return out


def test_every_flag_the_samples_raise_is_explained_in_full(sample_flags):
    rows, names = sample_flags
    computed = [r for r in rows if r["rule_type"] != "checklist"
                and r["status"] != "suppressed_insufficient_data"]
    assert len(computed) > 50, "the samples raise flags in every category"
    problems = [p for r in computed for p in _problems(r, names[r["programme"]])]
    assert problems == [], f"{len(problems)} problems, the first: " + "\n".join(problems)


def test_the_samples_flags_carry_the_fields_a_defence_needs(sample_flags):
    """What the core provides whatever the rules write: thresholds with unit and provenance,
    full sources, and the severity reason of checklist flags and escalated flags."""
    rows, _ = sample_flags
    assert rows
    for r in rows:
        for field in (*FIELDS, "citations"):
            assert field in r, f"{r['rule_id']}: no {field} in the JSON"
        for t in r["thresholds"]:
            assert "unit" in t and t["provenance"], f"{r['rule_id']}: {t}"
        # full references, or for a convention with no citation the word that it has none
        assert len(r["sources"]) == max(len(r["citations"]), 1)
        assert all(len(s) > 30 for s in r["sources"]), "sources are full references"
    checklist = [r for r in rows if r["rule_type"] == "checklist"]
    assert checklist and all(r["severity_reason"] for r in checklist)
    escalated = [r for r in rows if "quarters running (since" in r["why"]]
    assert escalated and all(re.search(r"raised from \w+ to \w+: flagged \d+ quarters running",
                                       r["severity_reason"]) for r in escalated)
