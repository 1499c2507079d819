"""A programme's own values for rule parameters (``RuleParameterOverride``)."""

from __future__ import annotations

import json

from sqlmodel import Session, col, select

from coprod_me.model import entities as M


def parameter_overrides(session: Session, programme_ids: list[int]
                        ) -> list[M.RuleParameterOverride]:
    """Every parameter override of these programmes."""
    return list(session.scalars(select(M.RuleParameterOverride).where(
        col(M.RuleParameterOverride.programme_id).in_(programme_ids))))


def parameter_override(session: Session, programme_id: int | None, rule_id: str,
                       param: str) -> M.RuleParameterOverride | None:
    """The programme's override of one rule parameter; None when it keeps the default."""
    return session.scalars(select(M.RuleParameterOverride).where(
        M.RuleParameterOverride.programme_id == programme_id,
        M.RuleParameterOverride.rule_id == rule_id,
        M.RuleParameterOverride.param == param)).first()


def min_n_overrides(session: Session, rule_id: str) -> dict[str, int]:
    """The programmes that override a rule's minimum n: programme code -> their n."""
    return {code: int(json.loads(v)) for code, v in session.execute(
        select(M.Programme.code, M.RuleParameterOverride.value_json)
        .join(M.Programme, col(M.Programme.id) == col(M.RuleParameterOverride.programme_id))
        .where(M.RuleParameterOverride.rule_id == rule_id,
               M.RuleParameterOverride.param == "min_n"))}
