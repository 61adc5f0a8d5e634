"""Rows of a bigint and floats, written by binary COPY (PostgreSQL) or executemany (elsewhere), read back as given."""

import struct

import numpy as np
import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from backend.db.binary_copy import COPY_SIGNATURE, COPY_TRAILER, binary_copy_payload, copy_arrays

pytestmark = pytest.mark.django_db


def round_trip(keys: np.ndarray, values: np.ndarray) -> list[tuple]:
    floats = ", ".join(f"v{index} double precision" for index in range(values.shape[1]))
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE staged (key bigint, {floats})")
        try:
            copy_arrays("staged", np.asarray(keys, dtype=np.int64), np.asarray(values, dtype=np.float64))
            cursor.execute("SELECT * FROM staged ORDER BY key")
            return [tuple(row) for row in cursor.fetchall()]
        finally:
            cursor.execute("DROP TABLE staged")


def test_rows_read_back_as_given_extremes_included():
    keys = np.array([3, -(2**63), 2**63 - 1, 0], dtype=np.int64)
    values = np.array([[0.5, -1e308], [5e-324, 0.0], [-0.0, 1 / 3], [np.inf, -np.inf]])
    assert round_trip(keys, values) == sorted(
        (int(key), *map(float, row)) for key, row in zip(keys, values)
    )


@settings(max_examples=30, deadline=None)
@given(
    hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=40),
               elements=st.floats(allow_nan=False, width=64)),
)
def test_any_finite_floats_read_back_unchanged(values):
    keys = np.arange(len(values), dtype=np.int64)
    assert round_trip(keys, values) == [(int(key), *map(float, row)) for key, row in zip(keys, values)]


def test_the_payload_is_header_fixed_width_tuples_and_trailer():
    keys, values = np.array([7, 8]), np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    payload = binary_copy_payload(keys, values)
    assert payload.startswith(COPY_SIGNATURE) and payload.endswith(COPY_TRAILER)
    first = payload[len(COPY_SIGNATURE):][: 2 + 4 + 8 + 3 * (4 + 8)]
    assert struct.unpack(">hiq" + "id" * 3, first) == (4, 8, 7, 8, 1.0, 8, 2.0, 8, 3.0)
    assert len(payload) == len(COPY_SIGNATURE) + 2 * len(first) + len(COPY_TRAILER)
