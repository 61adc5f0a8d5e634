"""Rows of one bigint key and float columns written in one go: a binary COPY built by numpy on PostgreSQL.

Formatting a million rows of numbers as text would cost Python more than the server's work on them; PostgreSQL's
binary COPY format is fixed-width for such rows, so one numpy structured array lays them all out in one buffer.
Other databases get one executemany.
"""

import struct

import numpy as np
from django.db import connection

COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)  # header: signature, flags, no extension
COPY_TRAILER = struct.pack(">h", -1)
INT8_BYTES = FLOAT8_BYTES = 8


def copy_keyed_floats(table: str, keys: np.ndarray, values: np.ndarray) -> None:
    """Insert (key, values[i, 0], values[i, 1], …) rows into `table`, whose columns are a bigint then
    `values.shape[1]` double precision columns, in that order."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(binary_copy_payload(keys, values))
        else:
            placeholders = ", ".join(["%s"] * (1 + values.shape[1]))
            cursor.executemany(
                f"INSERT INTO {table} VALUES ({placeholders})",
                [(int(key), *map(float, row)) for key, row in zip(keys, values)],
            )


def binary_copy_payload(keys: np.ndarray, values: np.ndarray) -> bytes:
    """PostgreSQL binary COPY data for (int8, n × float8) tuples, laid out by one numpy structured array: per
    tuple its field count, then each field's length and big-endian value."""
    fields = [("n", ">i2"), ("l0", ">i4"), ("key", ">i8")]
    for index in range(values.shape[1]):
        fields += [(f"l{index + 1}", ">i4"), (f"v{index}", ">f8")]
    tuples = np.empty(len(keys), dtype=np.dtype(fields))
    tuples["n"] = 1 + values.shape[1]
    tuples["l0"] = INT8_BYTES
    tuples["key"] = keys
    for index in range(values.shape[1]):
        tuples[f"l{index + 1}"] = FLOAT8_BYTES
        tuples[f"v{index}"] = values[:, index]
    return COPY_SIGNATURE + tuples.tobytes() + COPY_TRAILER
