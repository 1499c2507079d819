import ast
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


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):  # lazy imports inside functions included
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_the_format_facts_live_in_the_format_module_so_reader_and_writer_do_not_circle():
    folder = Path(__file__).resolve().parents[2] / "coprod_me" / "spreadsheets"
    writer = _imported_modules(folder / "workbook_writer.py")
    fmt = _imported_modules(folder / "workbook_format.py")
    assert "coprod_me.spreadsheets.programme_workbook" not in writer
    assert not {m for m in fmt if m.startswith("coprod_me.spreadsheets.")}
