"""Set-based writes, batch after batch, inside the caller's transaction.

`Writer` creates and updates model rows in batches of BATCH (`update_by_pk`: each row its own changes, its
`updated_at` stamped) and reports each batch to its `on_batch(count)` callback (an import's progress, say). On
PostgreSQL, large inserts go through COPY (`Writer.copy`): primary keys are drawn from the table's sequence first
(backend/db/sequences.py), so the caller knows them without RETURNING; elsewhere they go through bulk_create.
The server's work on a COPY can overlap Python's: the body of `Writer.copying` runs while the server stores the
rows, and `Writer.formatted` prepares the COPY text of later rows there, for `Writer.send` to write after.
"""

import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import repeat

from django.db import connection
from django.utils import timezone
from psycopg.copy import QueuedLibpqWriter

from backend.db import copy_text
from backend.db.copy_text import Same
from backend.db.sequences import allocate_ids

BATCH = 1000
COPY_ROWS = 10 * BATCH  # rows of COPY text formatted and sent at a time

Columns = dict[str, Sequence | Same]  # attribute name (such as `site_id`) → one value per row, or Same(value)


def chunks(items: Sequence, size: int = BATCH) -> Iterable[Sequence]:
    """`items` in consecutive slices of at most `size`."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class CopyBlock:
    """A block of rows as COPY text."""

    rows: int
    text: bytes


@dataclass
class Formatted:
    """Rows ready for `Writer.send`: COPY text in blocks (PostgreSQL), or the columns themselves (elsewhere)."""

    model: type
    columns: Columns
    count: int
    blocks: list[CopyBlock] = field(default_factory=list)
    statement: str = ""


class Writer:
    """Batched writes; `on_batch(count)` hears of every batch written (its rows), `written` counts them all."""

    def __init__(self, on_batch: Callable[[int], None] | None = None) -> None:
        self.on_batch = on_batch
        self.written = 0

    def create(self, model, objects: list) -> list:
        """bulk_create in batches; the objects get their primary keys (PostgreSQL and SQLite ≥ 3.35)."""
        for chunk in chunks(objects):
            model.objects.bulk_create(chunk)
            self._batch_done(len(chunk))
        return objects

    def create_ignoring_conflicts(self, model, objects: list) -> None:
        """bulk_create in batches, skipping rows that would break a unique constraint."""
        for chunk in chunks(objects):
            model.objects.bulk_create(chunk, ignore_conflicts=True)
            self._batch_done(len(chunk))

    def update(self, model, objects: list, fields: Sequence[str]) -> None:
        """bulk_update of `fields` in batches."""
        for chunk in chunks(objects):
            model.objects.bulk_update(chunk, fields)
            self._batch_done(len(chunk))

    def update_by_pk(self, model, changes: dict[int, dict], now: datetime.datetime | None = None) -> None:
        """Update rows by primary key, each with its own changes (field name → value). The model's auto_now fields
        (`updated_at`) are set to `now` (by default the present time) on every row updated: bulk_update runs no
        pre_save, which is what stamps them on save."""
        if not changes:
            return
        stamped = [f.attname for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
        now = now or timezone.now()
        objects = list(model._base_manager.filter(pk__in=list(changes)))
        for obj in objects:
            for name, value in changes[obj.pk].items():
                setattr(obj, name, value)
            for name in stamped:
                setattr(obj, name, now)
        self.update(model, objects, sorted({name for change in changes.values() for name in change} | set(stamped)))

    def copy(self, model, columns: Columns) -> list[int]:
        """Insert rows given column by column (attribute names such as `site_id`, each a sequence of values or
        Same(value) for every row) and return their new primary keys, in order."""
        with self.copying(model, columns) as ids:
            return ids

    @contextmanager
    def copying(self, model, columns: Columns) -> Iterator[list[int]]:
        """`copy`, whose body runs while the server is still storing the rows: the new primary keys are known
        at once, and Python work that needs no database (fingerprints, say) overlaps the server's. The body
        must not use the database. PostgreSQL: IDs drawn from the sequence, then one COPY whose data a
        thread of psycopg's sends; elsewhere bulk_create, before the body."""
        count = _row_count(columns)
        if not count:
            yield []
            return
        if connection.vendor != "postgresql":
            objects = self._create_as_given(model, columns, count)
            yield [obj.pk for obj in objects]
            return
        ids = allocate_ids(model, count)
        values = [ids, *columns.values()]
        # One COPY for all rows: the server stores rows while later ones are still being formatted and sent
        # (by the queued writer's thread), and while the body runs; leaving the block waits for the server.
        statement = _copy_statement(model, [model._meta.pk.name, *columns])
        with connection.cursor() as cursor, _copy(cursor, statement, QueuedLibpqWriter(cursor.cursor)) as out:
            for block in _blocks(values, count):
                out.write(block.text)
                self._batch_done(block.rows)
            yield ids

    def formatted(self, model, columns: Columns) -> Formatted:
        """Rows whose IDs nobody needs, formatted for COPY now, as `copy` takes them: this uses no database, so it
        can run inside `copying` while the server is busy; `send` writes them (the table numbers them itself)."""
        count = _row_count(columns)
        if connection.vendor != "postgresql" or not count:
            return Formatted(model, columns, count)
        return Formatted(model, columns, count, list(_blocks(list(columns.values()), count)),
                         _copy_statement(model, columns))

    def send(self, rows: Formatted) -> None:
        """Write rows made by `formatted`."""
        if not rows.count:
            return
        if not rows.statement:
            self.copy(rows.model, rows.columns)
            return
        with connection.cursor() as cursor, _copy(cursor, rows.statement) as out:
            for block in rows.blocks:
                out.write(block.text)
                self._batch_done(block.rows)

    def _create_as_given(self, model, columns: Columns, count: int) -> list:
        """The fallback of `copying` without COPY. bulk_create stamps auto_now(_add) fields with the present time,
        whatever they were given, where COPY stores what is given (an imported grievance's date of receipt): such
        columns are written again as given."""
        rows = list(zip(*(repeat(v.value, count) if isinstance(v, Same) else v for v in columns.values())))
        objects = [model(**dict(zip(columns, row))) for row in rows]
        self.create(model, objects)
        stamped = [f.attname for f in model._meta.concrete_fields
                   if (getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)) and f.attname in columns]
        if stamped:
            positions = [list(columns).index(name) for name in stamped]
            for obj, row in zip(objects, rows):
                for name, position in zip(stamped, positions):
                    setattr(obj, name, row[position])
            model._base_manager.bulk_update(objects, stamped, batch_size=BATCH)
        return objects

    def _batch_done(self, count: int) -> None:
        self.written += count
        if self.on_batch is not None:
            self.on_batch(count)


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


def _row_count(columns: Columns) -> int:
    return next((len(values) for values in columns.values() if not isinstance(values, Same)), 0)


def _blocks(values: list[Sequence | Same], count: int) -> Iterator[CopyBlock]:
    """The rows' COPY text, COPY_ROWS rows at a time."""
    for start in range(0, count, COPY_ROWS):
        stop = min(start + COPY_ROWS, count)
        yield CopyBlock(stop - start, copy_text.block(values, start, stop).encode())
