"""Loading rejects what the rules would silently skip: a checklist answer to an item that
does not exist and a group dimension nobody declared, each one problem saying what is
allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from coprod_me.model.errors import DomainError
from coprod_me.services import Services
from tests.builders import small_programme_rows, write


def _answer(code: str) -> dict[str, object]:
    return {"programme_code": "T-01", "period": "2023Q2", "item_code": code, "answer": "no"}


def _participation(dimension: str) -> dict[str, object]:
    return {"programme_code": "T-01", "period": "2023Q2", "phase": "co_delivery",
            "group_dimension": dimension, "group_category": "x", "active": 10}


def _problems(services: Services, path: Path) -> str:
    with pytest.raises(DomainError) as info:
        services.workbooks.load(path)
    return str(info.value)


def _created(services: Services, path: Path, sheet: str) -> int:
    """How many rows of ``sheet`` the load created (it raises if anything was refused)."""
    return services.workbooks.load(path).counts[sheet].created


def test_an_unknown_checklist_item_is_one_problem_naming_the_items(
        services: Services, tmp_path: Path) -> None:
    rows = small_programme_rows()
    rows["ChecklistResponses"] = [_answer("CDQ-1"), _answer("CDQ-99")]
    text = _problems(services, write(tmp_path / "p.xlsx", rows))
    assert text.count("is not a checklist item") == 1
    assert "'CDQ-99'" in text and "CDQ-1..CDQ-7" in text and "EQQ-1..EQQ-5" in text


def test_known_checklist_items_load(services: Services, tmp_path: Path) -> None:
    rows = small_programme_rows()
    rows["ChecklistResponses"] = [_answer("CDQ-1"), _answer("EQQ-5")]
    assert _created(services, write(tmp_path / "p.xlsx", rows), "ChecklistResponses") == 2


def test_an_undeclared_group_dimension_is_one_problem_saying_what_is_allowed(
        services: Services, tmp_path: Path) -> None:
    rows = small_programme_rows()
    rows["Participation"] = [_participation("favourite colour")]
    text = _problems(services, write(tmp_path / "p.xlsx", rows))
    assert text.count("is not a declared group dimension") == 1
    assert "'favourite colour'" in text and "age_band" in text
    assert "disaggregation_required" in text and "population reference" in text


@pytest.mark.parametrize("dimension", ["age_band", "sex"])
def test_a_standard_or_used_group_dimension_loads(services: Services, tmp_path: Path,
                                                   dimension: str) -> None:
    rows = small_programme_rows()
    rows["Participation"] = [_participation(dimension)]
    assert _created(services, write(tmp_path / "p.xlsx", rows), "Participation") == 1


def test_a_dimension_an_indicator_requires_is_declared(services: Services,
                                                       tmp_path: Path) -> None:
    rows = small_programme_rows()
    rows["Indicators"][0]["disaggregation_required"] = "caste"
    rows["Participation"] = [_participation("caste")]
    assert _created(services, write(tmp_path / "p.xlsx", rows), "Participation") == 1


def _population(dimension: str) -> dict[str, object]:
    return {"programme_code": "T-01", "geo": "area", "group_dimension": dimension,
            "group_category": "x", "population_count": 1000, "year": 2023}


def test_a_population_dimension_in_free_text_is_one_problem(services: Services,
                                                            tmp_path: Path) -> None:
    rows = small_programme_rows()
    rows["PopulationReferences"] = [_population("Disability register")]
    text = _problems(services, write(tmp_path / "p.xlsx", rows))
    assert text.count("is not a dimension code") == 1 and "'Disability register'" in text


def test_a_dimension_of_ones_own_with_a_population_reference_is_declared(
        services: Services, tmp_path: Path) -> None:
    rows = small_programme_rows()
    rows["PopulationReferences"] = [_population("disability_register")]
    rows["Participation"] = [_participation("disability_register")]
    assert _created(services, write(tmp_path / "p.xlsx", rows), "Participation") == 1
