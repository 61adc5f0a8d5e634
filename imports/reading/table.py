"""A sheet as the rest of the import sees it: a name, a header row and a stream of data rows."""

from collections.abc import Callable, Iterator, Sequence
from contextlib import closing

from .errors import FileRejected
from .limits import Limits

RawRows = Callable[[], Iterator[tuple[int, Sequence[object]]]]


class ExcelError(str):
    """A cell that shows one of Excel's error values, such as #N/A or #DIV/0!: its formula failed, so the
    value it stands for is unknown. Workbooks and CSV files exported from them both carry these as text."""


# Excel's error values: the seven of the file format, then #GETTING_DATA, #SPILL! and #CALC! of newer versions.
_EXCEL_ERRORS = {
    text: ExcelError(text)
    for text in ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!",
                 "#CALC!")
}


class Table:
    """One sheet of an upload, read lazily.

    `header` is the first non-empty row, as text, and `header_row` its row number. `rows()`
    yields `(row_number, values)` for every later non-empty row, where `row_number` is the
    1-based row the user sees in a spreadsheet program and `values` has at least one entry per
    header column (more when a row has values beyond the header). Text is stripped, empty cells
    are None, an Excel error value is an ExcelError, and numbers, dates and booleans from a
    workbook keep their type; converting them is the validator's job.

    `rows()` can be called again to read the sheet from the start. Problems that only show
    while reading (too many rows or columns, a malformed CSV line) raise FileRejected from
    inside the iteration.
    """

    def __init__(self, sheet_name: str, raw_rows: RawRows, limits: Limits, place: str) -> None:
        self.sheet_name = sheet_name
        self._raw_rows = raw_rows
        self._limits = limits
        self._place = place
        with closing(self._non_empty_rows()) as rows:
            self.header_row, header = next(rows, (None, None))
            if header is None:
                raise FileRejected("no_data", f"{place} has no data: every row is empty.")
            if next(rows, None) is None:
                raise FileRejected(
                    "no_data", f"{place} has a header row (row {self.header_row}) but no data rows."
                )
        if all(_looks_like_a_value(value) for value in header if value is not None):
            raise FileRejected(
                "no_header",
                f"{place}, row {self.header_row}: this should be the header, with the name of each column, "
                "but it holds only numbers or dates. Add a header row above the data.",
            )
        self.header: list[str] = [_header_text(value) for value in header]

    def rows(self) -> Iterator[tuple[int, list[object]]]:
        width = len(self.header)
        count = 0
        for number, values in self._non_empty_rows():
            if number <= self.header_row:
                continue
            count += 1
            if count > self._limits.max_rows:
                raise FileRejected("too_many_rows", self._limits.rows_refused(self._place, "more"))
            if len(values) < width:
                values.extend([None] * (width - len(values)))
            yield number, values

    def _non_empty_rows(self) -> Iterator[tuple[int, list[object]]]:
        """Normalised rows with trailing empty cells removed; rows with nothing in them are skipped."""
        max_columns = self._limits.max_columns
        for number, cells in self._raw_rows():
            values = [
                (_EXCEL_ERRORS.get(cell) or cell.strip() or None) if type(cell) is str else cell for cell in cells
            ]
            while values and values[-1] is None:
                values.pop()
            if not values:
                continue
            if len(values) > max_columns:
                raise FileRejected(
                    "too_many_columns",
                    f"{self._place}, row {number} has {len(values):,} columns; at most {max_columns} are accepted. "
                    "Delete the unused columns.",
                )
            yield number, values


def _header_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _looks_like_a_value(value: object) -> bool:
    """Numbers, dates and numeric text are data, never column names."""
    if not isinstance(value, str):
        return True
    try:
        float(value.replace(",", "."))
    except ValueError:
        return False
    return True
