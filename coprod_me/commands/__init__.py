"""Sub-commands of ``coprod-me`` beyond the core ones in ``coprod_me.cli``, one module each.

``coprod_me.cli`` discovers every module here; see ``cli.command_modules`` for the contract.
"""
