"""The judgement checklists (domain §1.7): their items, and a programme's answers by quarter.

An answer is recorded per programme (or strand) and quarter; the next rules run turns a risk
answer into a judgement flag (``risks.engine.checklist_findings``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session

from coprod_me.model import entities as M
from coprod_me.model.enums import ChecklistAnswer
from coprod_me.model.errors import NotFound, ValidationFailed
from coprod_me.model.quarter import Quarter
from coprod_me.queries.checklists import (
    checklist_answer,
    checklist_answers,
    checklist_evidence_links,
)
from coprod_me.queries.programmes import get_programme
from coprod_me.queries.risk_flags import strand_codes
from coprod_me.risks.definitions import ChecklistItem, load_checklist_items
from coprod_me.store.session import Store, current_user


@dataclass(frozen=True)
class ChecklistItemView:
    code: str
    category: str
    question: str
    help: str
    risk_answer: str
    severity_if_risk: str
    evidence_required: bool
    citations: list[str]
    severity_if_partly: str | None = None  # only CDQ-1: partly -> medium


@dataclass(frozen=True)
class ChecklistAnswerView(ChecklistItemView):
    answer: str | None = None
    comment: str | None = None
    evidence: str | None = None
    respondent: str | None = None
    strand: str | None = None
    # evidence records attached to this answer (EvidenceLinks of the programme workbook)
    linked_evidence: tuple[str, ...] = ()


def _item_view(i: ChecklistItem) -> ChecklistItemView:
    return ChecklistItemView(i.code, i.category, i.question, i.help, i.risk_answer,
                             i.severity_if_risk, i.evidence_required, list(i.citations),
                             i.severity_if_partly)


def _strand_id(s: Session, programme_id: int | None, strand: str | None) -> int | None:
    """The id of the programme's strand with this code (None: the programme itself)."""
    if strand is None:
        return None
    for i, c in strand_codes(s, programme_id).items():
        if c == strand:
            return i
    raise NotFound(f"no strand '{strand}' in this programme")


def _linked_evidence(s: Session, programme_id: int | None, quarter: str,
                     strand: str | None) -> dict[str, list[str]]:
    """The evidence codes linked to each item's answer of the quarter and strand."""
    linked: dict[str, list[str]] = defaultdict(list)
    for ev_code, key in checklist_evidence_links(s, programme_id):
        parts = key.split("|")
        where, period, item_code = (["", *parts] if len(parts) == 2 else parts)[:3]
        if period == quarter and (where or None) == strand:
            linked[item_code].append(ev_code)
    return linked


class ChecklistService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def checklist_items(self, category: str | None = None) -> list[ChecklistItemView]:
        """Every checklist item (of one risk category when given)."""
        return [_item_view(i) for i in load_checklist_items().values()
                if category is None or i.category == category]

    def checklist(self, code: str, quarter: str, *,
                  strand: str | None = None) -> list[ChecklistAnswerView]:
        """Every item with the programme's (or strand's) answer of the quarter, if any."""
        q = str(Quarter.parse(quarter))
        with self.store.read() as s:
            prog = get_programme(s, code)
            sid = _strand_id(s, prog.id, strand)
            answers = {r.item_code: r for r in checklist_answers(s, prog.id, q, sid)}
            linked = _linked_evidence(s, prog.id, q, strand)
        out = []
        for item in load_checklist_items().values():
            r = answers.get(item.code)
            base = _item_view(item)
            out.append(ChecklistAnswerView(
                **{k: getattr(base, k) for k in base.__dataclass_fields__},
                answer=r.answer if r else None, comment=r.comment if r else None,
                evidence=r.evidence if r else None, respondent=r.respondent if r else None,
                strand=strand, linked_evidence=tuple(sorted(linked.get(item.code, ())))))
        return out

    def answer(self, code: str, quarter: str, item_code: str, answer: str | None, *,
               comment: str | None = None, evidence: str | None = None,
               strand: str | None = None) -> None:
        """Record (or, with None, remove) an answer; run the rules to see its flag."""
        q = str(Quarter.parse(quarter))
        if item_code not in load_checklist_items():
            raise NotFound(f"no checklist item '{item_code}'")
        if answer is not None and answer not in {a.value for a in ChecklistAnswer}:
            raise ValidationFailed([f"'{answer}' is not an answer; use yes, partly, no, "
                                    "unknown or n/a"])
        with self.store.session(reason=f"checklist {item_code} {q}") as s:
            prog = get_programme(s, code)
            assert prog.id is not None
            sid = _strand_id(s, prog.id, strand)
            row = checklist_answer(s, prog.id, q, sid, item_code)
            if answer is None:
                if row is not None:
                    s.delete(row)
                return
            if row is None:
                s.add(M.ChecklistResponse(programme_id=prog.id, strand_id=sid, period=q,
                                          item_code=item_code, answer=answer, comment=comment,
                                          evidence=evidence,
                                          respondent=s.info.get("user") or current_user()))
            else:
                row.answer, row.comment, row.evidence = answer, comment, evidence
                row.respondent = s.info.get("user") or current_user()
