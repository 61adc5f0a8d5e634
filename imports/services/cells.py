"""Turning one spreadsheet cell into a typed value, or a CellError saying what is wrong with it.

One converter is built per column (`converter(column, choices)`) and called for every cell of that column,
so the per-cell work is a type check and, for text, a dictionary look-up: converters of choices and
countries remember every distinct value they have seen. Cells arrive from the reading layer already
stripped, with empty cells as None (never passed here); numbers, dates and booleans of a workbook keep
their type.
"""

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from graph.countries import country_code_of, unknown_country_message
from graph.services.commodity_aliases import CommodityNames
from imports.columns import BOOLEAN_WORDS, Column, ColumnType
from imports.reading import ExcelError
from imports.reading.folding import fold

MAX_TEXT = 5000
_DAY_FIRST = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
_YEAR_FIRST = re.compile(r"^(\d{4})[./-](\d{1,2})[./-](\d{1,2})(?:[ T].*)?$")
_THOUSANDS = re.compile(r"^-?\d{1,3}([ ,.\u00a0\u202f']\d{3})+$")
_RANGE = re.compile(r"^(\d+)\s*[-–]\s*(\d+)$")


class CellError(Exception):
    """What is wrong with one cell: a stable `code` and a message for the person who filled it in."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


Converter = Callable[[object], object]


def excel_error(value: ExcelError) -> CellError:
    """The problem of a cell that shows an Excel error value instead of a value: it never converts."""
    return CellError(
        "excel_error",
        f"This cell shows the Excel error {value}: its formula failed, so there is no value to import. "
        "Correct the formula, or type the value itself.",
    )


def converter(column: Column, choices: Mapping[str, Sequence[tuple[str, str]]]) -> Converter:
    """The function that converts the cells of `column`."""
    kind = column.type
    if kind is ColumnType.TEXT:
        return to_text
    if kind is ColumnType.INT:
        return to_int
    if kind is ColumnType.DECIMAL:
        return to_decimal
    if kind is ColumnType.DATE:
        return _remembering(to_date)  # also shares one date object among the cells of the same day
    if kind is ColumnType.BOOL:
        return to_bool
    if kind is ColumnType.COUNTRY:
        return _remembering(to_country)
    one = None
    if kind in (ColumnType.CHOICE, ColumnType.LIST):
        options = choices[column.choices]
        one = commodity_converter(column, options) if column.choices == "commodity" else choice_converter(column, options)
    if kind is ColumnType.CHOICE:
        return _remembering(one)
    if kind is ColumnType.LIST:
        return _remembering(lambda value: to_list(value, one))
    raise ValueError(f"no converter for {kind}")


def _remembering(convert: Converter) -> Converter:
    """Memoize a converter of text values (errors included): spreadsheets repeat the same few values."""
    seen: dict[object, tuple[bool, object]] = {}

    def convert_once(value):
        try:
            ok, result = seen[value]
        except (KeyError, TypeError):
            try:
                ok, result = True, convert(value)
            except CellError as error:
                ok, result = False, error
            if len(seen) < 100_000 and isinstance(value, (str, int, float, date)):
                seen[value] = (ok, result)
        if ok:
            return result
        # Raised again, an exception keeps its old traceback and grows it by this call's frames, which it then
        # keeps alive: a million cells with the same bad value would hold a million frames.
        raise result.with_traceback(None)

    return convert_once


def too_long(value: str) -> CellError:
    """The problem of a text longer than any column accepts (checked before any other conversion)."""
    return CellError("too_long", f"This text has {len(value):,} characters; at most {MAX_TEXT:,} are accepted.")


def to_text(value: object) -> str:
    """Text as written; a whole number typed in a text column (a reference such as 1042) loses its '.0'."""
    if type(value) is str:
        if len(value) > MAX_TEXT:
            raise too_long(value)
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def to_int(value: object) -> int:
    """A whole number; a range of two (Open Supply Hub writes headcounts as "1001-5000") is read as its midpoint."""
    if isinstance(value, bool):
        raise CellError("invalid_number", f"'{value}' is not a whole number.")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError("invalid_number", f"{value} is not a whole number.")
    text = str(value).strip()
    if _THOUSANDS.match(text):
        text = re.sub(r"[ ,.\u00a0\u202f']", "", text)
    bounds = _RANGE.match(text)
    if bounds and int(bounds[1]) <= int(bounds[2]):
        return (int(bounds[1]) + int(bounds[2])) // 2
    try:
        return int(text)
    except ValueError:
        raise CellError("invalid_number", f"'{value}' is not a whole number.") from None


def to_decimal(value: object) -> Decimal:
    """A number; text may use a decimal comma and may end with % (35% is 0.35)."""
    if isinstance(value, bool) or isinstance(value, (date, datetime)):
        raise CellError("invalid_number", f"'{value}' is not a number.")
    if isinstance(value, (int, float)):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    percent = text.endswith("%")
    if percent:
        text = text[:-1]
    if "," in text and "." in text:
        text = text.replace("," if text.index(",") < text.index(".") else ".", "")
    text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError("invalid_number", f"'{value}' is not a number.") from None
    if not number.is_finite():
        raise CellError("invalid_number", f"'{value}' is not a number.")
    return number / 100 if percent else number


def to_date(value: object) -> date:
    """A date cell, or text written YYYY-MM-DD (DD/MM/YYYY is accepted when it cannot be read two ways)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise CellError("invalid_date", f"'{value}' is not a date; write dates as YYYY-MM-DD.")
    match = _YEAR_FIRST.match(value)
    if match:
        return _make_date(value, *map(int, match.groups()))
    match = _DAY_FIRST.match(value)
    if match:
        first, second, year = map(int, match.groups())
        if first != second and first <= 12 and second <= 12:
            raise CellError(
                "ambiguous_date",
                f"'{value}' could be {first}/{second} or {second}/{first} (day/month); write it as YYYY-MM-DD.",
            )
        day, month = (first, second) if second <= 12 else (second, first)
        return _make_date(value, year, month, day)
    raise CellError("invalid_date", f"'{value}' is not a date; write dates as YYYY-MM-DD.")


def _make_date(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError("invalid_date", f"'{text}' is not a real date (month 1–12, day within the month).") from None


def to_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    answer = BOOLEAN_WORDS.get(fold(str(value)))
    if answer is None:
        raise CellError("invalid_bool", f"'{value}' is not yes or no.")
    return answer


def to_country(value: object) -> str:
    """An ISO 3166-1 alpha-2 code, from a code or a name as people write it (graph/countries.py)."""
    code = country_code_of(str(value).strip())
    if code is None:
        raise CellError("invalid_country", unknown_country_message(str(value).strip()))
    return code


def choice_converter(column: Column, options: Sequence[tuple[str, str]]) -> Converter:
    """Accept a choice's code or its label, ignoring case, accents, spaces and punctuation."""
    by_name = {}
    for code, label in options:
        by_name[fold(label)] = code
        by_name[fold(code)] = code
    codes = {code for code, _label in options}
    sample = ", ".join(code for code, _label in options[:8]) + ("…" if len(options) > 8 else "")

    def convert(value):
        if value in codes:
            return value
        code = by_name.get(fold(str(value)))
        if code is None:
            raise CellError("invalid_choice", f"'{value}' is not one of the accepted values for {column.label} ({sample}).")
        return code

    return convert


def commodity_converter(column: Column, options: Sequence[tuple[str, str]]) -> Converter:
    """Accept a commodity's code, its name or a word of graph's alias table; an unknown value is refused with
    the nearest accepted values."""
    names = CommodityNames(options)

    def convert(value):
        reading = names.read(str(value))
        if reading.code is not None:
            return reading.code
        if reading.known:
            raise CellError("invalid_choice", f"'{value}' is a sector that no commodity stands for; name the "
                                              f"commodity instead (for {column.label}).")
        raise CellError("invalid_choice", names.unknown_message(str(value), column.label))

    return convert


def to_list(value: object, one: Converter) -> tuple[str, ...]:
    """Values separated by ; or , each converted by `one`; duplicates dropped, order kept."""
    items = [part.strip() for part in re.split(r"[;,]", str(value)) if part.strip()]
    return tuple(dict.fromkeys(one(item) for item in items))
