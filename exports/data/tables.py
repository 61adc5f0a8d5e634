"""A tabular dataset and its two file formats: XLSX (openpyxl write-only) and CSV (UTF-8 with a byte-order mark,
which Excel needs to read the accents of a UTF-8 file).

A table's rows are an iterator of {column key: value}, read once and written as they come, so that neither
format holds more than one row in memory beyond what the dataset itself loaded. Datetimes are written in UTC
(Excel has no time zones); every text cell is neutralised by backend/xlsx.py.
"""

import csv
import datetime
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from backend.xlsx import csv_cell, header_cell, safe_cell

Row = dict[str, object]


@dataclass(frozen=True)
class Column:
    """One column: its key in the rows, its header, and its width in the workbook (in characters)."""

    key: str
    label: str
    width: int = 14


@dataclass
class Table:
    """A dataset ready to write: what it is, its columns and its rows (an iterator, consumed by the writer)."""

    title: str
    about: str
    columns: tuple[Column, ...]
    rows: Iterable[Row]
    notes: list[tuple[str, str]] = field(default_factory=list)


def plain(value: object) -> object:
    """A value a spreadsheet holds: an aware datetime in UTC without its zone, anything else as it is."""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(datetime.UTC).replace(tzinfo=None)
    return value


def write_xlsx(table: Table, out: BinaryIO) -> int:
    """The table as a workbook: the data sheet first (headers frozen), then an About sheet. Returns the rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(table.title[:31])  # Excel's limit for a sheet's name
    sheet.freeze_panes = "A2"
    for index, column in enumerate(table.columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.append([header_cell(sheet, column.label) for column in table.columns])
    count = 0
    for row in table.rows:
        sheet.append([safe_cell(sheet, plain(row.get(column.key))) for column in table.columns])
        count += 1
    about = workbook.create_sheet("About")
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 100
    about.append([header_cell(about, table.title)])
    for label, text in [("What", table.about), ("Rows", count), *table.notes]:
        about.append([header_cell(about, label), safe_cell(about, text)])
    workbook.save(out)
    return count


def write_csv(table: Table, out: BinaryIO) -> int:
    """The table as CSV: one header line of the column labels, then one line per row. Returns the rows."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([csv_cell(column.label) for column in table.columns])
    count = 0
    for row in table.rows:
        writer.writerow([csv_cell(plain(row.get(column.key))) for column in table.columns])
        count += 1
    text.detach()  # leave `out` open for the caller
    return count


WRITERS: dict[str, Callable[[Table, BinaryIO], int]] = {"xlsx": write_xlsx, "csv": write_csv}
