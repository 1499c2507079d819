"""The sub-commands of ``coprod-me``, one module per family; ``coprod_me.cli`` runs them.

Every module defines:

- ``COMMANDS``: each sub-command it runs, and the database it needs: ``DATABASE`` (opened for
  work: created when missing, upgraded when old), ``EXISTING`` (opened read-only as it is:
  never created, upgraded or written) or ``NONE``;
- ``add_parsers(sub, common)``: its sub-parsers, with ``common`` (the global options ``--db``,
  ``--create``, ``--wait``, ``--json``, which count before or after the command) as parent;
- ``run(args, services) -> int``: the exit status; ``services`` is None for ``NONE``.

Modules stay cheap to import (no Qt, no openpyxl at module level): every ``coprod-me``
invocation imports them all to build the parser.
"""

DATABASE, EXISTING, NONE = "database", "existing database", "none"

#: the modules, in the order their commands are listed in ``coprod-me --help``
MODULES = ("programmes", "database", "flags", "portfolio", "imports", "report", "export")
