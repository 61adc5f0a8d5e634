"""Primary keys drawn from a table's sequence before its rows are written, so that a COPY needs no RETURNING."""

import numpy as np
from django.db import connection


def allocate_ids(model, count: int) -> list[int]:
    """`count` new primary keys of `model`'s table, in order (PostgreSQL)."""
    if not count:
        return []
    with connection.cursor() as cursor:
        # The sequence is looked up once: pg_get_serial_sequence inside the series would cost a catalog lookup
        # per ID. The IDs come back packed in one value (8 bytes each), not as a row apiece.
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, model._meta.pk.column])
        sequence = cursor.fetchone()[0]
        cursor.execute(
            "SELECT string_agg(int8send(nextval(%s::regclass)), ''::bytea) FROM generate_series(1, %s)",
            [sequence, count],
        )
        return np.frombuffer(cursor.fetchone()[0], dtype=">i8").tolist()
