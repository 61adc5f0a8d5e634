"""COPY text formatted a column at a time reads back, through PostgreSQL's own COPY, as the values written."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from audits.models import FindingStatus
from backend.db import copy_text
from backend.db.copy_text import Same

pytestmark = pytest.mark.django_db

COLUMNS = "number bigint, label text, flag boolean, day date, moment timestamptz, amount numeric, doc jsonb"


def round_trip(columns: list) -> list[tuple]:
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    count = next(len(values) for values in columns if not isinstance(values, Same))
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE copied (position serial, {COLUMNS})")
        with cursor.cursor.copy("COPY copied (number, label, flag, day, moment, amount, doc) FROM STDIN") as out:
            out.write(copy_text.block(columns, 0, count).encode())
        cursor.execute("SELECT number, label, flag, day, moment, amount, doc FROM copied ORDER BY position")
        rows = [(*row[:-1], None if row[-1] is None else json.loads(row[-1])) for row in cursor.fetchall()]
        cursor.execute("DROP TABLE copied")
    return rows


def test_every_kind_of_value_and_null_reads_back_as_written():
    moment = datetime.datetime(2026, 3, 4, 5, 6, 7, 890000, tzinfo=datetime.timezone.utc)
    columns = [
        [1, None, -(2**62)],
        ["tab\there", "line\nbreak\r\nand back\\slash \\N", None],
        [True, False, None],
        [datetime.date(2024, 2, 29), None, datetime.date(1999, 12, 31)],
        Same(moment.isoformat()),
        [Decimal("0.35"), 2.5, None],
        [{"F-01": [12, "ab"]}, [], None],
    ]
    assert round_trip(columns) == [
        (1, "tab\there", True, datetime.date(2024, 2, 29), moment, Decimal("0.35"), {"F-01": [12, "ab"]}),
        (None, "line\nbreak\r\nand back\\slash \\N", False, None, moment, Decimal("2.5"), []),
        (-(2**62), None, None, datetime.date(1999, 12, 31), moment, None, None),
    ]


def test_text_choices_are_written_as_their_value():
    rows = round_trip([[1, 2], [FindingStatus.OPEN, FindingStatus.CLOSED], Same(None), Same(None), Same(None),
                       Same(None), Same(None)])
    assert [row[1] for row in rows] == ["open", "closed"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")),
                min_size=1, max_size=20))
def test_any_text_column_reads_back_unchanged(texts):
    rows = round_trip([list(range(len(texts))), texts, Same(None), Same(None), Same(None), Same(None), Same(None)])
    assert [row[1] for row in rows] == texts


def test_an_unknown_type_is_refused_rather_than_written_as_its_repr():
    with pytest.raises(TypeError, match="No COPY text for object"):
        copy_text.value_text(object())


def test_repeated_dates_and_flags_read_back_in_place():
    first, second = datetime.date(2025, 1, 31), datetime.date(2025, 2, 1)
    days, flags = [first, second, first, None, second], [True, None, True, False, False]
    rows = round_trip([list(range(5)), Same(None), flags, days, Same(None), Same(None), Same(None)])
    assert [(row[2], row[3]) for row in rows] == list(zip(flags, days))


def test_equal_values_of_different_types_keep_their_own_text():
    # True == 1 == 1.0 as dictionary keys: a column mixing them must not format them alike
    assert list(copy_text.column_text([True, 1.0, None, 1.0])) == ["t", "1.0", "\\N", "1.0"]
    assert list(copy_text.column_text([1.0, None, 1.0, 2.5])) == ["1.0", "\\N", "1.0", "2.5"]
