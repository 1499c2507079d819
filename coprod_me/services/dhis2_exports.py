"""A programme's quarter as a DHIS2 data value set (the Web API's ``dataValueSets`` shape, in
JSON or in DHIS2's CSV import columns), and the mapping that names its indicators, strands and
breakdowns in the DHIS2 instance.

Every value of the quarter must map: its indicator to a data element, its strand (or the
programme as a whole) to an organisation unit, its breakdown (or the total) to a category
option combo. ``check`` lists each value that cannot and why; ``write`` refuses while any
cannot, so a ministry never receives a quietly partial set. Disaggregated cells with counts
under the report's suppression threshold are withheld, as the report withholds them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from coprod_me.model import entities as M
from coprod_me.model.errors import DomainError
from coprod_me.model.quarter import Quarter
from coprod_me.queries import dhis2 as Q
from coprod_me.queries.indicators import indicators_of
from coprod_me.queries.observations import observations_of
from coprod_me.queries.programmes import get_programme, strands_of
from coprod_me.reports.quarterly_figures import identifies
from coprod_me.reports.quarterly_model import DEFAULT_SUPPRESSION_THRESHOLD
from coprod_me.reports.sheet_content import unit_format
from coprod_me.store.partial_files import check_output, partial_file
from coprod_me.store.session import Store

DATA_SET = "data_set"
DATA_ELEMENT = "data_element"
ORG_UNIT = "org_unit"
CATEGORY_OPTION_COMBO = "category_option_combo"
ATTRIBUTE_OPTION_COMBO = "attribute_option_combo"
#: what can be mapped, and what its source is, in the words the dialog and problems use
KINDS = {DATA_SET: "the data set", DATA_ELEMENT: "indicator",
         ORG_UNIT: "strand", CATEGORY_OPTION_COMBO: "breakdown",
         ATTRIBUTE_OPTION_COMBO: "the attribute option combo"}
FORMATS = ("json", "csv")
ID_SCHEMES = ("code", "uid")
#: DHIS2's CSV import columns, in its order (the first row is a header DHIS2 skips)
CSV_COLUMNS = ("dataelement", "period", "orgunit", "categoryoptioncombo",
               "attributeoptioncombo", "value", "storedby", "lastupdated", "comment",
               "followup")
#: a DHIS2 UID: eleven letters and digits, the first a letter
UID = re.compile(r"^[A-Za-z][A-Za-z0-9]{10}$")
#: distinct reasons named before pointing to ``--check`` when the export refuses
FIRST_REASONS = 3


@dataclass(frozen=True)
class Dhis2Value:
    """One data value of the set, already in DHIS2's names."""

    data_element: str
    period: str
    org_unit: str
    category_option_combo: str
    attribute_option_combo: str | None
    value: str
    comment: str | None = None

    def as_json(self) -> dict[str, str]:
        out = {"dataElement": self.data_element, "period": self.period,
               "orgUnit": self.org_unit, "categoryOptionCombo": self.category_option_combo}
        if self.attribute_option_combo:
            out["attributeOptionCombo"] = self.attribute_option_combo
        out["value"] = self.value
        if self.comment:
            out["comment"] = self.comment
        return out

    def as_csv_row(self) -> list[str]:
        return [self.data_element, self.period, self.org_unit, self.category_option_combo,
                self.attribute_option_combo or "", self.value, "", "", self.comment or "",
                "false"]


@dataclass
class Dhis2ValueSet:
    """A quarter's values in DHIS2's names, and every value that could not be named."""

    programme: str
    period: str
    data_set: str | None
    attribute_option_combo: str | None
    values: list[Dhis2Value] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: each distinct reason once, in the order met (what the refusal names first)
    reasons: list[str] = field(default_factory=list)
    unmapped: int = 0  # values that cannot be named
    withheld: int = 0  # disaggregated cells under the suppression threshold
    empty: int = 0  # observations without a value (nothing to send)

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {"dataSet": self.data_set, "period": self.period}
        if self.attribute_option_combo:
            out["attributeOptionCombo"] = self.attribute_option_combo
        out["dataValues"] = [v.as_json() for v in self.values]
        return out

    def text(self, fmt: str) -> str:
        if fmt == "json":
            return json.dumps(self.as_json(), indent=2, ensure_ascii=False) + "\n"
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(CSV_COLUMNS)
        w.writerows(v.as_csv_row() for v in self.values)
        return buf.getvalue()


@dataclass(frozen=True)
class MappingNeed:
    """One thing of the programme that DHIS2 needs a name for, and the name it has."""

    kind: str
    source: str
    target: str  # '' while unmapped
    required: bool  # the export cannot do without it
    name: str = ""  # the indicator's or strand's name, for a reader who knows names


def dhis2_number(value: float, unit: str) -> str:
    """A value as DHIS2 takes it: rounded to the decimals the report shows for its unit, no
    thousands separator, no trailing zeros ('1250', '47.5')."""
    decimals = _decimals(unit_format(unit))
    text = f"{round(value, decimals):.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _decimals(number_format: str) -> int:
    """The decimals an Excel number format shows ('0.0#' -> 2, '#,##0' -> 0)."""
    if "." not in number_format:
        return 0
    tail = number_format.split(".", 1)[1]
    return len(tail) - len(tail.lstrip("0#"))


def _breakdown(dims_key: str) -> str:
    return f"breakdown '{dims_key}'" if dims_key else "the total"


class Dhis2ExportService:
    """DHIS2 data value sets of a programme's quarter, and the mapping they are named by."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # ----------------------------------------------------------------------- value set

    def value_set(self, code: str, quarter: str, *, id_scheme: str = "code",
                  threshold: int = DEFAULT_SUPPRESSION_THRESHOLD) -> Dhis2ValueSet:
        """The quarter's values in DHIS2's names; ``problems`` says what cannot be named."""
        if id_scheme not in ID_SCHEMES:
            raise DomainError(f"unknown id scheme '{id_scheme}'; use code or uid")
        if threshold < 0:
            raise DomainError("the suppression threshold cannot be negative (0 turns it off)")
        q = str(Quarter.parse(quarter))
        with self.store.read() as s:
            p = get_programme(s, code)
            names = {(m.kind, m.source): m.target for m in Q.mappings_of(s, p.id)}
            indicators = {i.id: i for i in indicators_of(s, p.id)}
            strands = {st.id: st.code for st in strands_of(s, p.id)}
            observations = observations_of(s, p.id, period=q)
        if not observations:
            raise DomainError(f"{code} has no observations in {q}; nothing to send")
        out = Dhis2ValueSet(code, q, names.get((DATA_SET, "")),
                            names.get((ATTRIBUTE_OPTION_COMBO, "")) or None)
        if not out.data_set:
            out.problems.append("no data set: give the DHIS2 data set the values belong to")
            out.reasons.append("no data set")
        for o in observations:
            ind = indicators[o.indicator_id]
            if o.value is None:
                out.empty += 1
                continue
            if identifies(bool(o.dims_key), o.n_sample, o.numerator, o.denominator, o.value,
                          ind.unit, threshold):
                out.withheld += 1
                continue
            strand = strands.get(o.strand_id) if o.strand_id else ""
            value = self._named(out, names, ind, strand or "", o)
            if value is not None:
                out.values.append(value)
        if id_scheme == "uid":
            out.problems.extend(_not_uids(names))
            out.reasons.extend(_not_uids(names))
        return out

    @staticmethod
    def _named(out: Dhis2ValueSet, names: dict[tuple[str, str], str], ind: M.Indicator,
               strand: str, o: M.Observation) -> Dhis2Value | None:
        """One observation in DHIS2's names, or None with each missing name in problems."""
        where = f"{ind.code} {strand or 'programme total'} {_breakdown(o.dims_key)}"
        de = names.get((DATA_ELEMENT, ind.code))
        ou = names.get((ORG_UNIT, strand))
        coc = names.get((CATEGORY_OPTION_COMBO, o.dims_key))
        reasons = []
        if not de:
            reasons.append(f"no data element for indicator {ind.code}")
        if not ou:
            reasons.append(f"strand {strand} has no org unit" if strand
                           else "the programme as a whole has no org unit")
        if not coc:
            reasons.append(f"breakdown '{o.dims_key}' has no category option combo"
                           if o.dims_key else "the total has no category option combo")
        if reasons:
            out.problems.append(f"{where}: " + "; ".join(reasons))
            out.reasons.extend(r for r in reasons if r not in out.reasons)
            out.unmapped += 1
            return None
        assert de and ou and coc  # narrowed by the reasons above
        return Dhis2Value(de, out.period, ou, coc, out.attribute_option_combo,
                          dhis2_number(float(o.value or 0), ind.unit), o.comment or None)

    def write(self, code: str, quarter: str, output: Path | str, fmt: str, *,
              id_scheme: str = "code",
              threshold: int = DEFAULT_SUPPRESSION_THRESHOLD) -> Dhis2ValueSet:
        """Write the value set whole or not at all; refuses while any value cannot map."""
        if fmt not in FORMATS:
            raise DomainError(f"unknown format '{fmt}'; use json or csv")
        output = check_output(output, None, "")
        result = self.value_set(code, quarter, id_scheme=id_scheme, threshold=threshold)
        if result.problems:
            first = "; ".join(result.reasons[:FIRST_REASONS])
            more = "; …" if len(result.reasons) > FIRST_REASONS else ""
            total = result.unmapped + len(result.values)
            raise DomainError(
                f"{result.unmapped} of {total} value(s) of {code} {result.period} cannot be "
                f"mapped to DHIS2 ({first}{more}); nothing was written. "
                f"'coprod-me export dhis2 --check' lists them all")
        try:
            with partial_file(output) as tmp:
                tmp.write_text(result.text(fmt), encoding="utf-8")
        except OSError as exc:
            raise DomainError(f"cannot write {output}: {exc.strerror or exc}") from None
        return result

    # ------------------------------------------------------------------------- mapping

    def mapping(self, code: str) -> list[MappingNeed]:
        """Everything the programme's export may need a DHIS2 name for, mapped or not:
        the data set, each indicator, the programme (required when it has values of its
        own) and each strand, each breakdown its observations use, the attribute option
        combo (optional); then any other mapped row."""
        with self.store.read() as s:
            p = get_programme(s, code)
            names = {(m.kind, m.source): m.target for m in Q.mappings_of(s, p.id)}
            indicators, strands = indicators_of(s, p.id), strands_of(s, p.id)
            called = {(DATA_ELEMENT, i.code): i.name for i in indicators}
            called |= {(ORG_UNIT, st.code): st.name.split(": ", 1)[0] for st in strands}
            wanted = [(DATA_SET, "", True)]
            wanted += [(DATA_ELEMENT, i.code, True) for i in indicators]
            wanted += [(ORG_UNIT, "", Q.has_programme_totals(s, p.id))]
            wanted += [(ORG_UNIT, st.code, True) for st in strands]
            wanted += [(CATEGORY_OPTION_COMBO, k, True) for k in Q.breakdowns_of(s, p.id)]
            wanted += [(ATTRIBUTE_OPTION_COMBO, "", False)]
        seen = {(k, src) for k, src, _ in wanted}
        rows = [MappingNeed(k, src, names.get((k, src), ""), req, called.get((k, src), ""))
                for k, src, req in wanted]
        rows += [MappingNeed(k, src, t, False) for (k, src), t in sorted(names.items())
                 if (k, src) not in seen]
        return rows

    def set_target(self, code: str, kind: str, source: str, target: str, *,
                   reason: str | None = None) -> str:
        """Name one thing in DHIS2 (``target`` '' removes the name); returns the old name."""
        if kind not in KINDS:
            raise DomainError(f"unknown DHIS2 mapping kind '{kind}'; use one of "
                              + ", ".join(KINDS))
        target = target.strip()
        if len(target) > 200:
            raise DomainError("a DHIS2 code or UID has at most 200 characters")
        with self.store.session(
                reason=reason or f"DHIS2 mapping {kind} {source or '(all)'}") as s:
            p = get_programme(s, code)
            row = Q.find_mapping(s, p.id, kind, source)
            old = row.target if row is not None else ""
            if row is not None and not target:
                s.delete(row)
            elif row is not None:
                row.target = target
            elif target:
                s.add(M.Dhis2Mapping(programme_id=int(p.id or 0), kind=kind, source=source,
                                     target=target))
        return old


def _not_uids(names: dict[tuple[str, str], str]) -> list[str]:
    return [f"{KINDS[k]} {src or ''} is mapped to '{t}', which is not a DHIS2 UID "
            "(11 letters and digits, the first a letter)".replace("  ", " ")
            for (k, src), t in sorted(names.items()) if t and not UID.match(t)]


def unmapped(rows: Sequence[MappingNeed]) -> list[MappingNeed]:
    """The required things still without a DHIS2 name."""
    return [r for r in rows if r.required and not r.target]
