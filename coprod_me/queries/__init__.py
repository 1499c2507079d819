"""The read floor: typed query functions that build what the services read.

Every ``select`` and every line of SQL text outside the store lives here: programme and
indicator lookups, the programme index, the import lookups, the rules' snapshots and the
report's read model. A function takes an open session (or connection), runs its statements
and returns entities or small frozen dataclasses; it never commits, writes or audits (the
services do, through ``Store.session``). SQL that differs between database engines is
written here and nowhere else.
"""
