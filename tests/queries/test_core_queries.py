"""The read floor's programme, indicator, observation, actor and workbook queries, and the
bulk inserts of the store, on the small test programme."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import inspect

from coprod_me.model import entities as M
from coprod_me.queries.actors import programme_ids_by_actor, reference_counts
from coprod_me.queries.audit import audit_entries
from coprod_me.queries.indicators import dependents_of, get_indicator, link_pairs
from coprod_me.queries.observations import (
    locked_quarters,
    observation_at,
    observations_of,
    quarters_of,
)
from coprod_me.queries.programme_index import GateRows, gate_rows
from coprod_me.queries.programmes import get_programme, get_strand, strands_of
from coprod_me.queries.workbooks import programme_ids_with_codes, rows_of_programmes
from coprod_me.services import Services
from coprod_me.services.database import audit_trail
from coprod_me.store.bulk_inserts import bind_processors, insert_columns
from tests.builders import small_programme_rows, write


@pytest.fixture
def loaded(services: Services, tmp_path: Path) -> Services:
    services.workbooks.load(write(tmp_path / "p.xlsx", small_programme_rows()))
    return services


def test_gate_rows_are_what_the_programme_gates_judge(loaded: Services):
    """The gates' plain rows hold the entities' values, through SQLAlchemy and through a
    bare read-only sqlite3 connection alike."""
    with loaded.store.read() as s:
        p = get_programme(s, "T-01")
        assert p.id is not None
        facts = gate_rows(s.connection(), p.id)[p.id]
        codes = {i.id: i.code for i in facts.indicators}
        assert sorted(codes.values()) == ["T-O1", "T-O2", "T-P1"]
        assert [(codes[k.from_indicator_id], codes[k.to_indicator_id]) for k in facts.links] \
            == [("T-P1", "T-O1")]
        assert facts.phases == {"co_delivery"}
        assert link_pairs(s, list(codes)) == [(k.from_indicator_id, k.to_indicator_id)
                                              for k in facts.links]
        for row in facts.indicators:
            entity = s.get(M.Indicator, row.id)
            assert entity is not None
            assert {f: getattr(row, f) for f in row.__dataclass_fields__} == {
                f: getattr(entity, f) for f in row.__dataclass_fields__}
    assert loaded.path is not None
    with closing(sqlite3.connect(f"file:{loaded.path}?mode=ro", uri=True)) as plain:
        assert gate_rows(plain) == gate_rows_through_sqlalchemy(loaded)


def gate_rows_through_sqlalchemy(services: Services) -> dict[int, GateRows]:
    with services.store.read() as s:
        return gate_rows(s.connection())


def test_an_indicators_dependents_are_its_targets_then_its_links(loaded: Services):
    with loaded.store.read() as s:
        p = get_programme(s, "T-01")
        outcome = dependents_of(s, get_indicator(s, p, "T-O1").id)
        output = dependents_of(s, get_indicator(s, p, "T-P1").id)
    assert [type(r).__name__ for r in outcome] == ["Target", "ResultLink"]
    assert [type(r).__name__ for r in output] == ["ResultLink"]


def test_observations_of_a_programme_filter_and_come_in_cell_order(loaded: Services):
    with loaded.store.read() as s:
        p = get_programme(s, "T-01")
        o1 = get_indicator(s, p, "T-O1")
        north = get_strand(s, p, "NORTH")
        rows = observations_of(s, p.id, indicator_id=o1.id, period="2023Q2")
        assert [(r.strand_id, r.dims_key) for r in rows] == [(north, ""), (north, "sex=female")]
        assert len(observations_of(s, p.id)) == 4
        assert observation_at(s, o1.id, "2023Q2", north, "sex=female") is rows[1]
        assert observation_at(s, o1.id, "2023Q2", None, "") is None
        assert quarters_of(s, p.id) == {"2023Q1", "2023Q2"}
        assert locked_quarters(s, p.id) == {"2023Q1"}


def test_actor_references_count_roles_and_the_lead_agency(loaded: Services):
    with loaded.store.read() as s:
        pid = get_programme(s, "T-01").id
        actors = {r.code: r for r in loaded.actors.rows()}
        agency, ngo = actors["T-AGENCY"], actors["T-NGO"]
        assert reference_counts(s, agency.id) == [("programme", pid, 1)]
        assert reference_counts(s, ngo.id) == [("programme_actor", pid, 1)]
        assert sorted(programme_ids_by_actor(s)) == sorted([(agency.id, pid), (ngo.id, pid)])
        assert programme_ids_by_actor(s, ngo.id) == [(ngo.id, pid)]


def test_rows_of_programmes_follow_a_parent_foreign_key(loaded: Services):
    with loaded.store.read() as s:
        ids = programme_ids_with_codes(s, {"T-01", "NOPE"})
        assert len(ids) == 1
        targets = rows_of_programmes(s, M.table_of(M.Target), ids,
                                     through=("indicator_id", M.table_of(M.Indicator)))
        assert [r["value"] for r in targets] == [85.0]
        assert rows_of_programmes(s, M.table_of(M.Target), [],
                                  through=("indicator_id", M.table_of(M.Indicator))) == []
        assert [r["code"] for r in rows_of_programmes(s, M.table_of(M.Programme), ids)] \
            == ["T-01"]


def test_bulk_inserts_number_new_rows_after_the_last_id(loaded: Services):
    table = M.table_of(M.Strand)
    with loaded.store.session(reason="test") as s:
        pid = get_programme(s, "T-01").id
        last = max(st.id or 0 for st in strands_of(s, pid))
        procs = bind_processors(s, table)
        assert set(procs) == {c.name for c in table.c}
        names = ["programme_id", "code", "name", "type"]
        new = insert_columns(s, table, names, [[pid, pid], ["EAST", "WEST"],
                                               ["East block", "West block"], ["site", "site"]])
        assert new == [last + 1, last + 2]
        dims = M.table_of(M.ObservationDim)
        assert insert_columns(s, dims, ["observation_id", "dimension", "category"],
                              [[], [], []]) == []
    assert [st.code for st in loaded.programmes.strands("T-01")] == ["EAST", "NORTH", "SOUTH",
                                                                     "WEST"]


def test_the_database_service_is_the_guis_door_to_the_audit_trail(loaded: Services):
    loaded.programmes.update("T-01", {"name": "Renamed"}, reason="a clearer name")
    trail = loaded.database.audit_trail("programme", limit=5)
    assert trail == audit_trail(loaded.store, "programme", limit=5)
    assert trail[0].field == "name" and trail[0].new == "Renamed"
    assert trail[0].reason == "a clearer name"
    with loaded.store.read() as s:
        assert [a.id for a in audit_entries(s, limit=3)] == sorted(
            (a.id for a in audit_entries(s, limit=3)), reverse=True)


def test_prepare_builds_the_mappers_and_backup_goes_through_the_service(loaded: Services,
                                                                         tmp_path: Path):
    Services.prepare()
    assert inspect(M.Indicator).configured
    out = loaded.database.backup(tmp_path / "copy.sqlite")
    assert out.exists() and out.stat().st_size > 0
