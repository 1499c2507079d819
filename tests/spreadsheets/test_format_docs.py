from pathlib import Path

from coprod_me.spreadsheets.programme_workbook import column_reference_markdown
from coprod_me.spreadsheets.workbook_format import SHEETS

DOC = Path(__file__).resolve().parents[2] / "docs" / "workbook-format.md"


def test_the_format_document_matches_the_model():
    assert DOC.read_text(encoding="utf-8").strip() == column_reference_markdown().strip(), (
        "docs/workbook-format.md is out of date: run 'make docs'")


def test_every_enumerated_column_documents_its_allowed_values():
    text = column_reference_markdown()
    for spec in SHEETS:
        for col in spec.columns:
            if col.kind == "enum":
                assert all(f"`{v}`" in text for v in col.allowed), col.header
