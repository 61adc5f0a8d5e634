"""Writing an import set-based, batch after batch, inside the one transaction of the commit.

`Writer` creates and updates model rows in batches of BATCH and reports each batch to the job's progress.
On PostgreSQL, large inserts go through COPY (`Writer.copy`): primary keys are drawn from the table's
sequence first, so the caller knows them without RETURNING; elsewhere they go through bulk_create. The server's
work on a COPY can overlap Python's: the body of `Writer.copying` runs while the server stores the rows, and
`Writer.formatted` prepares the COPY text of later rows there, for `Writer.send` to write after.

Test hook: when the environment variable TRIBUTARY_TEST_IMPORT_PAUSE holds a number of seconds, the writer
sleeps that long after every batch, so that a test can kill a worker in the middle of a commit.
"""

import os
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import repeat

import numpy as np
from django.db import connection
from psycopg.copy import QueuedLibpqWriter

from imports.services import copy_text
from imports.services.copy_text import Same

BATCH = 1000
COPY_ROWS = 10 * BATCH  # rows of COPY text formatted and sent at a time
PAUSE_ENV = "TRIBUTARY_TEST_IMPORT_PAUSE"


def chunks(items: Sequence, size: int = BATCH) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Writer:
    """Batched, progress-reporting writes for `job` (or None); `progress` is the job's Progress (or None)."""

    def __init__(self, progress=None, job=None) -> None:
        self.progress = progress
        self.job = job
        self.pause = float(os.environ.get(PAUSE_ENV) or 0)
        self.written = 0

    def create(self, model, objects: list) -> list:
        """bulk_create in batches; the objects get their primary keys (PostgreSQL and SQLite ≥ 3.35)."""
        for chunk in chunks(objects):
            model.objects.bulk_create(chunk)
            self._batch_done(len(chunk))
        return objects

    def create_ignoring_conflicts(self, model, objects: list) -> None:
        for chunk in chunks(objects):
            model.objects.bulk_create(chunk, ignore_conflicts=True)
            self._batch_done(len(chunk))

    def update(self, model, objects: list, fields: Sequence[str]) -> None:
        for chunk in chunks(objects):
            model.objects.bulk_update(chunk, fields)
            self._batch_done(len(chunk))

    def copy(self, model, columns: dict[str, Sequence | Same]) -> list[int]:
        """Insert rows given column by column (attribute names such as `site_id`, each a sequence of values or
        Same(value) for every row) and return their new primary keys, in order."""
        with self.copying(model, columns) as ids:
            return ids

    @contextmanager
    def copying(self, model, columns: dict[str, Sequence | Same]) -> Iterator[list[int]]:
        """`copy`, whose body runs while the server is still storing the rows: the new primary keys are known
        at once, and Python work that needs no database (fingerprints, say) overlaps the server's. The body
        must not use the database. PostgreSQL: IDs drawn from the sequence, then one COPY whose data a
        thread of psycopg's sends; elsewhere bulk_create, before the body."""
        count = _row_count(columns)
        if not count:
            yield []
            return
        if connection.vendor != "postgresql":
            rows = zip(*(repeat(v.value, count) if isinstance(v, Same) else v for v in columns.values()))
            objects = [model(**dict(zip(columns, row))) for row in rows]
            self.create(model, objects)
            yield [obj.pk for obj in objects]
            return
        with connection.cursor() as cursor:
            # The sequence is looked up once: pg_get_serial_sequence inside the series would cost a catalog lookup
            # per ID. The IDs come back packed in one value (8 bytes each), not as a row apiece.
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, model._meta.pk.column])
            sequence = cursor.fetchone()[0]
            cursor.execute(
                "SELECT string_agg(int8send(nextval(%s::regclass)), ''::bytea) FROM generate_series(1, %s)",
                [sequence, count],
            )
            ids = np.frombuffer(cursor.fetchone()[0], dtype=">i8").tolist()
            values = [ids, *columns.values()]
            # One COPY for all rows: the server stores rows while later ones are still being formatted and sent
            # (by the queued writer's thread), and while the body runs; leaving the block waits for the server.
            statement = _copy_statement(model, [model._meta.pk.name, *columns])
            with _copy(cursor, statement, QueuedLibpqWriter(cursor.cursor)) as out:
                for rows, text in _blocks(values, count):
                    out.write(text)
                    self._batch_done(rows)
                yield ids

    def formatted(self, model, columns: dict[str, Sequence | Same]) -> "Formatted":
        """Rows whose IDs nobody needs, formatted for COPY now, as `copy` takes them: this uses no database, so it
        can run inside `copying` while the server is busy; `send` writes them (the table numbers them itself)."""
        count = _row_count(columns)
        if connection.vendor != "postgresql" or not count:
            return Formatted(model, columns, count, [])
        return Formatted(model, columns, count, list(_blocks(list(columns.values()), count)),
                         _copy_statement(model, columns))

    def send(self, rows: "Formatted") -> None:
        """Write rows made by `formatted`."""
        if not rows.count:
            return
        if not rows.statement:
            self.copy(rows.model, rows.columns)
            return
        with connection.cursor() as cursor, _copy(cursor, rows.statement) as out:
            for count, text in rows.blocks:
                out.write(text)
                self._batch_done(count)

    def _batch_done(self, count: int) -> None:
        self.written += count
        if self.progress is not None:
            self.progress.advance(count)
        if self.pause:
            time.sleep(self.pause)


def _copy_statement(model, names: Iterable[str]) -> str:
    """COPY … FROM STDIN into the model's table, for the fields `names` (attribute names such as `site_id`)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    return f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"


@contextmanager
def _copy(cursor, statement: str, writer=None) -> Iterator:
    """A COPY on the connection. It holds the connection, so a query meanwhile (from the body of `copying`, or a
    progress update outside a transaction) would wait for it forever: such a query fails instead."""
    with cursor.cursor.copy(statement, writer=writer) as out, connection.execute_wrapper(_no_query_during_copy):
        yield out


def _no_query_during_copy(execute, sql, params, many, context):
    raise RuntimeError("No query may run while a COPY holds the connection (the body of Writer.copying included).")


def _row_count(columns: dict[str, Sequence | Same]) -> int:
    return next((len(values) for values in columns.values() if not isinstance(values, Same)), 0)


def _blocks(values: list[Sequence | Same], count: int) -> Iterator[tuple[int, bytes]]:
    """The rows' COPY text, COPY_ROWS rows at a time: (rows in the block, text)."""
    for start in range(0, count, COPY_ROWS):
        stop = min(start + COPY_ROWS, count)
        yield stop - start, copy_text.block(values, start, stop).encode()


@dataclass
class Formatted:
    """Rows ready for `Writer.send`: COPY text in blocks (PostgreSQL), or the columns themselves (elsewhere)."""

    model: type
    columns: dict
    count: int
    blocks: list[tuple[int, bytes]]  # (rows in the block, COPY text)
    statement: str = ""


CREATED, UPDATED, UNCHANGED, REVIEW = "created", "updated", "unchanged", "review"
_RANK = {UNCHANGED: 0, UPDATED: 1, CREATED: 2, REVIEW: 3}


def no_outcomes() -> dict[str, int]:
    """Row counts by outcome, all zero."""
    return dict.fromkeys(_RANK, 0)


class Plan:
    """What a clean upload would write: built by a kind's `plan()`, shown by the dry run, run by the commit.

    `rows` maps each row number to what happens to what it describes (created, updated, unchanged, or
    review: waiting for a decision on its site); `entities` counts the same by kind of object;
    `records` is the number of rows `write()` will insert or update, for progress.

    A plan made a part of the upload at a time (findings) finishes comparing in `settle()` (the dry run) or
    in `write()` (the commit), so problems can still be found there; every other plan is complete when built.
    """

    def __init__(self) -> None:
        self.rows: dict[int, str] = {}
        self.entities: dict[str, dict[str, int]] = {}
        self.review: list = []  # (UploadedSite, [Candidate]) pairs

    @property
    def records(self) -> int:
        raise NotImplementedError

    def credit(self, row: int, entity: str, outcome: str) -> None:
        """Row `row` creates, updates or leaves unchanged one `entity`."""
        counts = self.entities.setdefault(entity, {CREATED: 0, UPDATED: 0, UNCHANGED: 0})
        if outcome in counts:
            counts[outcome] += 1
        if _RANK[outcome] > _RANK[self.rows.get(row, UNCHANGED)]:
            self.rows[row] = outcome
        else:
            self.rows.setdefault(row, outcome)

    def settle(self) -> None:
        """Finish the comparison with what is stored, without writing."""

    def outcomes(self, bad_rows: set[int]) -> dict[str, int]:
        """How many rows, among those without errors, create, update, leave unchanged or await review."""
        counts = no_outcomes()
        for row, outcome in self.rows.items():
            if row not in bad_rows:
                counts[outcome] += 1
        return counts

    def write(self, writer: Writer) -> None:
        raise NotImplementedError
