"""``coprod-me portfolio``: every programme in one quarter, one row each, the table the GUI's
Portfolio view and the report's Portfolio sheet show."""

from __future__ import annotations

import argparse
from typing import Any

from coprod_me.commands import DATABASE
from coprod_me.commands.output import emit, progress_printer

COMMANDS = {"portfolio": DATABASE}


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "portfolio", parents=[common],
        help="every programme in a quarter: risks, outcomes, completeness, gates",
        description="One row per programme for a quarter: each risk category as the "
                    "programme's Overview badge says it ('high · 1 mitigating'), its outcomes "
                    "on track, at risk, off track and without data, its data completeness "
                    "(the share of the totals expected this quarter, every indicator at every "
                    "strand, that has a value) and the outcome gates it does not meet. "
                    "'needs attention' marks a category amber or red, an outcome off track "
                    "or a gate unmet.")
    p.add_argument("--quarter", "-q", metavar="QUARTER",
                   help="e.g. 2024Q2 (default: the latest quarter with a value)")
    p.add_argument("--programme", "-p", metavar="CODE", action="append", dest="codes",
                   help="only this programme (repeat for several; default: all)")
    p.add_argument("--attention", action="store_true",
                   help="only the programmes that need attention")


def _row(r: Any) -> dict[str, Any]:
    return {
        "programme": r.code, "name": r.name, "quarter": r.quarter,
        "categories": {c.category: {"status": c.words, "level": c.level, "rag": c.rag,
                                    "acknowledged": c.acknowledged,
                                    "mitigating": c.mitigating, "checked": c.checked}
                       for c in r.categories},
        "outcomes": {"on_track": r.on_track, "at_risk": r.at_risk, "off_track": r.off_track,
                     "no_data": r.no_data},
        "completeness": {"expected": r.expected_totals, "reported": r.reported_totals,
                         "percent": None if r.completeness is None
                         else round(r.completeness, 1)},
        "gates_unmet": list(r.gates_unmet), "needs_attention": r.needs_attention}


def _table(rows: list[Any], columns: Any) -> str:
    cells = [[c.header for c in columns] + [""]]
    cells += [[c.text(r) for c in columns] + ["needs attention" if r.needs_attention else ""]
              for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    # the name is the one long free text: cut it so a row fits a wide terminal
    widths[1] = min(widths[1], 28)
    lines = []
    for row in cells:
        parts = [(t if len(t) <= w else t[:w - 1] + "…").rjust(w) if c.number else
                 (t if len(t) <= w else t[:w - 1] + "…").ljust(w)
                 for t, w, c in zip(row, widths, [*columns, columns[0]], strict=True)]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def run(args: argparse.Namespace, services: Any) -> int:
    from coprod_me.services.portfolio import COLUMNS

    portfolio = services.portfolio.portfolio(args.quarter, args.codes,
                                             progress=progress_printer(args))
    rows = [r for r in portfolio.rows if r.needs_attention or not args.attention]
    if portfolio.quarter is None:
        text = "no programme has reported a value yet"
    elif not rows:
        text = f"{portfolio.quarter}: no programme" + (
            " needs attention" if args.attention else "")
    else:
        text = f"Portfolio, {portfolio.quarter}\n" + _table(rows, COLUMNS)
    emit(args, {"quarter": portfolio.quarter, "quarters": portfolio.quarters,
                "programmes": [_row(r) for r in rows]}, text)
    return 0
