"""``coprod-me`` starts the desktop app; ``coprod-me <command>`` runs the same services headless."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from coprod_me.cli import build_parser, execute


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        from coprod_me.gui.app import run_gui  # Qt is imported only for the GUI

        return run_gui(args.db, create_folder=args.create)
    return execute(args)


if __name__ == "__main__":
    sys.exit(main())
