"""The IATI export use case: programmes' results as one IATI 2.03 activities file.

The programmes are read once (``queries.iati``); a programme whose profile lacks what an
activity needs stops the export with the fields to fill and where. The document is built
(``reports.iati_activity``), checked against the IATI 2.03 schemas shipped in
``resources/iati`` and the ruleset items that matter for results, and only then written:
to a partial file beside the target, renamed into place, so a failed check, a Cancel or a
crash leaves nothing where the user expects the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

from coprod_me.model.amounts import UNIT_DECIMALS
from coprod_me.model.errors import Cancelled, DomainError
from coprod_me.model.progress import IsCancelled, Progress, never, no_progress
from coprod_me.paths import RESOURCES_DIR
from coprod_me.queries.iati import iati_programme
from coprod_me.reports import iati_activity as X
from coprod_me.reports.iati_model import IatiProgramme
from coprod_me.reports.quarterly_model import DEFAULT_SUPPRESSION_THRESHOLD
from coprod_me.store.partial_files import check_output, partial_file
from coprod_me.store.session import Store

SCHEMA_DIR = RESOURCES_DIR / "iati"
#: the fields the Profile tab edits; every field is a same-named Programmes sheet column
ON_PROFILE_TAB = frozenset({"iati_identifier", "reporting_org_ref", "reporting_org_name",
                            "reporting_org_type", "activity_status", "sector_code",
                            "default_language", "jurisdiction_country", "currency"})
SHEET = "the same-named columns of the Programmes sheet of the programme workbook"


class MissingProfile(DomainError):
    """Programmes whose profile lacks fields every IATI activity must have."""

    def __init__(self, missing: dict[str, list[tuple[str, str]]]) -> None:
        self.missing = missing
        parts = []
        named_fields = {f for fields in missing.values() for f, _e in fields} - {"actors"}
        where = (f"set them on the programme's Profile tab (IATI group) or in {SHEET}"
                 if named_fields <= ON_PROFILE_TAB else
                 f"set them in {SHEET} (those it shows, also on the Profile tab)")
        for code, fields in missing.items():
            named = ", ".join(f"{f} ({element})" for f, element in fields if f != "actors")
            if any(f == "actors" for f, _e in fields):
                named += ("; " if named else "") + (
                    "an actor with a role (participating-org), added under Records › Actor "
                    "roles or in the programme workbook")
            parts.append(f"{code} lacks {named}")
        super().__init__("cannot write IATI: " + "; ".join(parts)
                         + (f"; {where}" if named_fields else ""))


@dataclass
class IatiExportResult:
    file: Path
    programmes: list[str]
    results: int
    indicators: int
    periods: int
    suppressed_cells: int
    suppression_threshold: int
    left_out: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"file": str(self.file), "programmes": self.programmes,
                "results": self.results, "indicators": self.indicators,
                "periods": self.periods, "suppressed_cells": self.suppressed_cells,
                "suppression_threshold": self.suppression_threshold,
                "indicators_left_out": self.left_out}


@cache
def schema() -> etree.XMLSchema:
    """The IATI 2.03 activity schema shipped with the package, parsed once."""
    return X.load_schema(SCHEMA_DIR)


class IatiExportService:
    """Programmes' results in IATI 2.03 for funders (issue 18)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def read(self, codes: Sequence[str]) -> list[IatiProgramme]:
        if not codes:
            raise DomainError("choose at least one programme to export")
        with self.store.read() as s:
            return [iati_programme(s, code) for code in dict.fromkeys(codes)]

    def document(self, programmes: Sequence[IatiProgramme], *,
                 suppression_threshold: int = DEFAULT_SUPPRESSION_THRESHOLD,
                 generated_at: datetime | None = None,
                 notes: X.BuildNotes | None = None) -> bytes:
        """The checked file's bytes; ``MissingProfile`` or ``IatiProblems`` if it cannot be."""
        if suppression_threshold < 0:
            raise DomainError("the suppression threshold cannot be negative")
        missing = {p.code: m for p in programmes if (m := X.missing_fields(p))}
        if missing:
            raise MissingProfile(missing)
        root = X.build(programmes, threshold=suppression_threshold, decimals=UNIT_DECIMALS,
                       generated_at=generated_at or datetime.now(UTC), notes=notes)
        X.check(root, schema())
        return X.to_bytes(root)

    def write(self, codes: Sequence[str], output: Path | str, *,
              suppression_threshold: int = DEFAULT_SUPPRESSION_THRESHOLD,
              progress: Progress = no_progress, cancelled: IsCancelled = never,
              generated_at: datetime | None = None) -> IatiExportResult:
        output = check_output(output, ".xml", "an IATI file is XML")
        progress(0, 100, "Reading the programmes")
        programmes = self.read(codes)
        if cancelled():
            raise Cancelled("IATI export cancelled")
        progress(40, 100, "Building and checking the IATI activities")
        notes = X.BuildNotes()
        data = self.document(programmes, suppression_threshold=suppression_threshold,
                             generated_at=generated_at, notes=notes)
        if cancelled():
            raise Cancelled("IATI export cancelled")
        progress(80, 100, f"Writing {output.name}")
        try:
            with partial_file(output) as tmp:
                tmp.write_bytes(data)
        except OSError as exc:
            raise DomainError(f"cannot write {output}: {exc.strerror or exc}") from None
        progress(100, 100, f"Wrote {output.name}")
        root = etree.fromstring(data)
        return IatiExportResult(
            output, [p.code for p in programmes], len(root.findall(".//result")),
            len(root.findall(".//indicator")), len(root.findall(".//period")),
            notes.suppressed_cells, suppression_threshold, notes.indicators_left_out)
