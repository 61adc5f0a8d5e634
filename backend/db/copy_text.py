"""PostgreSQL COPY text, formatted a column at a time.

Formatting row by row (psycopg's `write_row`) adapts every value separately; an import's columns are mostly
one type each, often a single value repeated (the organization, the time of the import), so each column is
formatted with one pass of a C-level `map` and the rows are then joined. The format is COPY's default text
format: columns separated by tabs, rows by newlines, NULL written \\N, and backslash, tab, newline and
carriage return escaped with a backslash.
"""

import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import repeat

NULL = "\\N"
_SCALARS = {date, datetime, float, Decimal, bool, type(None)}
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


class Same:
    """A column holding one value on every row (the importing organization, the time of the import…)."""

    def __init__(self, value: object) -> None:
        self.value = value


def block(columns: Sequence[Sequence | Same], start: int, stop: int) -> str:
    """Rows start..stop-1 of `columns` (sequences of equal length, or Same) as COPY text, newline-terminated."""
    formatted = [
        repeat(value_text(column.value), stop - start) if isinstance(column, Same) else column_text(column[start:stop])
        for column in columns
    ]
    return "\n".join(map("\t".join, zip(*formatted))) + "\n"


def column_text(values: Sequence) -> list[str] | map:
    """One column's values as COPY text: a single pass when the whole column is text or whole numbers; a
    column of dates or other scalars (blanks allowed) formats each distinct value once, as dates repeat."""
    kinds = set(map(type, values))
    if kinds == {int}:
        return map(str, values)
    if kinds == {str}:
        joined = "\n".join(values)
        if "\\" in joined or "\t" in joined or "\r" in joined or joined.count("\n") != len(values) - 1:
            return [value.translate(_ESCAPES) for value in values]
        return values
    if len(kinds - {type(None)}) == 1 and kinds <= _SCALARS:
        # one type (with None) only: True, 1 and 1.0 are equal keys and must not share a text
        texts = {value: value_text(value) for value in set(values)}
        return map(texts.__getitem__, values)
    return list(map(value_text, values))


def value_text(value: object) -> str:
    """One value as COPY text: None, text (text choices included), numbers, booleans, dates and times, or
    JSON (a dict or list)."""
    if value is None:
        return NULL
    if isinstance(value, str):
        return str.translate(value, _ESCAPES)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, date):  # datetimes too
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False).translate(_ESCAPES)
    raise TypeError(f"No COPY text for {type(value).__name__}")
