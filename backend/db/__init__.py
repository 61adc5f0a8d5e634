"""The bulk writer: the speed tricks every app's set-based writes share, each in one module with its own tests.

- `copy_text`: PostgreSQL COPY text, formatted a column at a time;
- `sequences`: primary keys drawn from a table's sequence in one round trip, so COPY needs no RETURNING;
- `writer`: `Writer`, batched creates and updates, with COPY (queued, overlapping Python's work) on PostgreSQL;
- `binary_copy`: numeric rows laid out by numpy as one binary COPY buffer (the risk store's staging).

Nothing here knows the apps: callers hand in models and columns, and learn of progress through a callback.
Other databases (SQLite, for a quick local run) get the same results through the ORM.
"""
