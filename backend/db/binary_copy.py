"""Rows of fixed-width values written in one go: a binary COPY built by numpy on PostgreSQL.

Formatting a million rows of numbers as text would cost Python more than the server's work on them; PostgreSQL's
binary COPY format is fixed-width for such rows, so one numpy structured array lays them all out in one buffer.
COPY also stores its rows a page at a time (one write-ahead log record per page, not per row as INSERT …
SELECT does): a third less log for a million history rows. Other databases get one executemany.
"""

import struct

import numpy as np
from django.db import connection

COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)  # header: signature, flags, no extension
COPY_TRAILER = struct.pack(">h", -1)
INT8_BYTES = FLOAT8_BYTES = 8
POSTGRES_EPOCH = np.datetime64("2000-01-01T00:00:00", "us")  # binary timestamps count microseconds from it

# The big-endian binary form of each numpy dtype, as PostgreSQL reads it.
WIRE_TYPES = {np.dtype(np.bool_): "?", np.dtype(np.int16): ">i2", np.dtype(np.int32): ">i4",
              np.dtype(np.int64): ">i8", np.dtype(np.float64): ">f8", np.dtype("datetime64[us]"): ">i8"}


def copy_arrays(table: str, *arrays: np.ndarray, columns: tuple[str, ...] | None = None) -> None:
    """Insert rows into `table`'s `columns` (default: all, in order), given by the arrays: a 1-D array is one
    column, a 2-D array one column per array column. Types follow the dtypes: bool → boolean, int16 →
    smallint, int32 → integer, int64 → bigint, float64 → double precision, datetime64[us] (UTC) → timestamp
    with time zone, bytes S<k> → text (UTF-8, up to k bytes, no NUL)."""
    values = split_columns(arrays)
    target = f"{table} ({', '.join(columns)})" if columns else table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {target} FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(binary_copy_payload(*arrays))
        else:
            placeholders = ", ".join(["%s"] * len(values))
            rows = zip(*(python_values(column) for column in values))
            cursor.executemany(f"INSERT INTO {target} VALUES ({placeholders})", rows)


def python_values(column: np.ndarray) -> list:
    """A column as the Python values a DB-API driver takes (bytes as text)."""
    if column.dtype.kind == "S":
        return [value.decode() for value in column.tolist()]
    return column.tolist()


def split_columns(arrays) -> list[np.ndarray]:
    """The arrays as a list of 1-D columns of equal length, each of a dtype the binary format is given here."""
    columns = [column for array in arrays for column in (list(array.T) if array.ndim == 2 else [array])]
    for position, column in enumerate(columns):
        if column.dtype not in WIRE_TYPES and column.dtype.kind != "S":
            raise TypeError(f"column {position} has dtype {column.dtype}, which binary COPY is not given here")
        if len(column) != len(columns[0]):
            raise ValueError(f"column {position} has {len(column)} rows, column 0 has {len(columns[0])}")
    return columns


def wire_values(column: np.ndarray) -> np.ndarray:
    """The column's values as its binary COPY field holds them (timestamps as microseconds from 2000)."""
    if column.dtype == np.dtype("datetime64[us]"):
        return (column - POSTGRES_EPOCH).astype(np.int64)
    return column


def binary_copy_payload(*arrays: np.ndarray) -> bytes:
    """PostgreSQL binary COPY data for rows whose columns are the arrays' (as `copy_arrays`), laid out by one
    numpy structured array: per tuple its field count, then each field's length and big-endian value.

    A text column is laid out at its widest; where a value is shorter, the padding numpy leaves after it is
    then cut out of every tuple at once (one boolean mask over the tuples' bytes), so rows stay in the order
    given, whatever their widths."""
    columns = split_columns(arrays)
    fields = [("n", ">i2")]
    for index, column in enumerate(columns):
        fields += [(f"l{index}", ">i4"), (f"v{index}", WIRE_TYPES.get(column.dtype, column.dtype))]
    layout = np.dtype(fields)
    tuples = np.empty(len(columns[0]) if columns else 0, dtype=layout)
    tuples["n"] = len(columns)
    keep = None
    for index, column in enumerate(columns):
        width = layout[f"v{index}"].itemsize
        tuples[f"v{index}"] = wire_values(column)
        if column.dtype.kind != "S":
            tuples[f"l{index}"] = width
            continue
        text = np.ascontiguousarray(column).view(np.uint8).reshape(len(column), width) != 0  # NUL: padding
        tuples[f"l{index}"] = text.sum(axis=1)
        if not text.all():
            if keep is None:
                keep = np.ones((len(tuples), layout.itemsize), dtype=bool)
            start = layout.fields[f"v{index}"][1]
            keep[:, start:start + width] = text
    packed = tuples.tobytes() if keep is None else tuples.view(np.uint8).reshape(keep.shape)[keep].tobytes()
    return COPY_SIGNATURE + packed + COPY_TRAILER
