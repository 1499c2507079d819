"""Checklist answers (``ChecklistResponse``) and the evidence linked to them."""

from __future__ import annotations

from sqlmodel import Session, col, select

from coprod_me.model import entities as M


def checklist_answers(session: Session, programme_id: int | None, quarter: str,
                      strand_id: int | None) -> list[M.ChecklistResponse]:
    """A programme's answers of a quarter, for a strand (None: the programme's own)."""
    return list(session.scalars(select(M.ChecklistResponse).where(
        M.ChecklistResponse.programme_id == programme_id, M.ChecklistResponse.period == quarter,
        M.ChecklistResponse.strand_id == strand_id)))


def checklist_answer(session: Session, programme_id: int | None, quarter: str,
                     strand_id: int | None, item_code: str) -> M.ChecklistResponse | None:
    """One item's answer of a quarter, for a strand (None: the programme's own)."""
    return session.scalars(select(M.ChecklistResponse).where(
        M.ChecklistResponse.programme_id == programme_id, M.ChecklistResponse.period == quarter,
        M.ChecklistResponse.strand_id == strand_id,
        M.ChecklistResponse.item_code == item_code)).first()


def checklist_evidence_links(session: Session, programme_id: int | None
                             ) -> list[tuple[str, str]]:
    """(evidence code, linked answer key) of the programme's evidence linked to checklist
    answers; the key is "STRAND|QUARTER|ITEM" ("|QUARTER|ITEM" or "QUARTER|ITEM" without a
    strand)."""
    return [(code, key) for code, key in session.execute(
        select(M.Evidence.code, M.EvidenceLink.entity_key)
        .join(M.Evidence, col(M.Evidence.id) == col(M.EvidenceLink.evidence_id))
        .where(M.Evidence.programme_id == programme_id,
               M.EvidenceLink.entity == "checklist_response"))]
