"""Risk flags: rules shipped as data, evaluated by pure functions over read-model snapshots.

Nothing here opens a session or imports Qt; the store builds the snapshots
(``queries.risk_snapshot``) and the services persist what the rules find.
"""
