"""Safe reading of uploaded spreadsheets: an .xlsx, .csv, .tsv or .txt file becomes a Table.

    table = read_table(path, "suppliers.xlsx")
    table.sheet_name, table.header           # "Sites", ["Site reference", "Site name", …]
    for row_number, values in table.rows():  # (2, ["S-001", "Usine Nord", …]), …
        ...

Everything that is wrong with a file, including hostile content (zip or XML bombs, macros,
encrypted or legacy workbooks, binary junk), raises FileRejected(code, message). This package
is plain Python: it does not import Django.
"""

from .archive import inspect_workbook_archive
from .delimited import read_delimited
from .errors import FileRejected
from .limits import Limits
from .sniffing import Format, sniff_format
from .table import ExcelError, Table
from .workbook import is_helper_sheet, read_workbook


def read_table(path: str, filename: str, *, sheet: str | None = None, limits: Limits = Limits()) -> Table:
    """Open the upload stored at `path`, whose original name was `filename`.

    `sheet` picks a worksheet by name; by default the first visible, non-empty sheet that
    is not a helper sheet such as "Instructions" or "Lists" is read.
    """
    if sniff_format(path, filename, limits) is Format.WORKBOOK:
        extents = inspect_workbook_archive(path, filename, limits)  # before any parser sees the file
        return read_workbook(path, filename, limits, extents, sheet)
    return read_delimited(path, filename, limits)


__all__ = ["ExcelError", "FileRejected", "Limits", "Table", "is_helper_sheet", "read_table"]
