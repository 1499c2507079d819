"""What the command line says of itself stands on its own: a user has the program and its
docs/, not the design notes it was built from, so no help text cites them."""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

import coprod_me
from coprod_me.cli import build_parser


def _parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += _parsers(sub)
    return found


def test_no_help_text_cites_the_design_notes() -> None:
    texts = []
    for parser in _parsers(build_parser()):
        texts += [parser.description or "", parser.format_help()]
    assert len(texts) > 20
    cited = [t for t in texts if "§" in t or "domain brief" in t]
    assert not cited, cited[0]


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the string constants that are docstrings (for maintainers, never shown)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def test_no_text_the_program_shows_cites_the_design_notes() -> None:
    """Every string in the program that is not a docstring may reach a user (a tooltip, a
    message, a report cell): none cites a section of the design notes."""
    cited = []
    for path in Path(coprod_me.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        cited += [f"{path.name}:{node.lineno}" for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and id(node) not in skip and "§" in node.value]
    assert not cited
