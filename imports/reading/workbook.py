"""Read the data sheet of an .xlsx workbook as a Table, streamed row by row with python-calamine-plus.

Calamine never evaluates formulas: a formula cell gives the value Excel cached when the file
was last saved (empty if it never was), and a text cell that merely starts with "=", "+", "-"
or "@" stays that exact text. Rows are decoded from the compressed sheet as they are read, so
memory does not grow with the number of rows; only the shared-strings table is held whole.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager

from python_calamine_plus import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from .errors import FileRejected
from .folding import fold
from .limits import Limits
from .table import Table
from .xml_parts import Extent

# Helper sheets of our templates and of most companies' own forms, in English, French, Spanish, Portuguese.
_HELPER_SHEET = re.compile(
    r"instructions?|instrucciones|instrucoes|modedemploi|readme|help|aide|ayuda|ajuda|notes?"
    r"|lists?|listes?|listas?|lookups?|values|valeurs|valores|choices"
)


def is_helper_sheet(name: str) -> bool:
    """True for sheets such as "Instructions" or "Lists" that hold guidance, not data."""
    return _HELPER_SHEET.fullmatch(fold(name)) is not None


def read_workbook(
    path: str, filename: str, limits: Limits, extents: dict[str, Extent], sheet: str | None = None
) -> Table:
    """Read `sheet`, or else the first visible, non-empty worksheet that is not a helper sheet.

    `extents` are the sheets' extents found by the archive checks, by sheet name; a sheet without
    one has no cells. The workbook stays open for as long as the Table is read.
    """
    with _calamine_errors(filename):
        workbook = CalamineWorkbook.from_path(path)
        name = _data_sheet(workbook, filename, extents, sheet)
    last_column = _last_column(extents[name])

    def raw_rows() -> Iterator[tuple[int, list[object]]]:
        # Each call starts a new stream (and ends the previous one): the Table reads its header, then its rows.
        with _calamine_errors(filename):
            stream = workbook.stream_sheet_by_name(name, max_col=last_column)
            yield from enumerate(stream, 1)

    return Table(name, raw_rows, limits, place=f'Sheet "{name}" of {filename}')


def _data_sheet(workbook: CalamineWorkbook, filename: str, extents: dict[str, Extent], requested: str | None) -> str:
    if requested is not None:
        if requested not in workbook.sheet_names:
            raise FileRejected(
                "sheet_not_found",
                f"{filename} has no sheet named \"{requested}\"; its sheets are {', '.join(workbook.sheet_names)}.",
            )
        if not _has_values(workbook, requested, extents):
            raise FileRejected("no_data", f'Sheet "{requested}" of {filename} is empty.')
        return requested
    for metadata in workbook.sheets_metadata:
        if (
            metadata.typ == SheetTypeEnum.WorkSheet
            and metadata.visible == SheetVisibleEnum.Visible
            and not is_helper_sheet(metadata.name)
            and _has_values(workbook, metadata.name, extents)
        ):
            return metadata.name
    raise FileRejected("no_data", f"{filename} has no sheet with data (sheets: {', '.join(workbook.sheet_names)}).")


def _has_values(workbook: CalamineWorkbook, name: str, extents: dict[str, Extent]) -> bool:
    """True when some cell of the sheet holds a value (reading stops at the first one)."""
    if name not in extents:
        return False
    stream = workbook.stream_sheet_by_name(name, max_col=_last_column(extents[name]))
    return any(any(cell != "" for cell in row) for row in stream)


def _last_column(extent: Extent) -> int | None:
    """The 0-based column to stop rows at, when the sheet's `<dimension>` claims more columns than it has.

    The stream pads every row to the declared width: a forged dimension of A1:XFD1 would turn each
    row into 16,384 cells. The archive checks know how far the cells really go.
    """
    return extent.columns - 1 if extent.declared_columns > extent.columns else None


# What the stream says of a sheet whose rows are stored out of order (it reads rows as they come).
_OUT_OF_ORDER = "not stored in row order"


@contextmanager
def _calamine_errors(filename: str):
    """Turn calamine failures, while opening or in the middle of a stream, into FileRejected.

    A panic inside calamine's Rust code reaches Python as pyo3's PanicException, which derives
    from BaseException rather than Exception, so it is matched by name.
    """
    try:
        yield
    except FileRejected:
        raise
    except BaseException as error:
        if not isinstance(error, Exception) and type(error).__name__ != "PanicException":
            raise
        if _OUT_OF_ORDER in str(error):
            raise FileRejected(
                "rows_out_of_order",
                f"{filename} stores its rows out of order, which Excel and LibreOffice never do, so it cannot be "
                "read row by row. Open it in Excel or LibreOffice and save it again.",
            ) from error
        raise FileRejected("corrupt", f"{filename} could not be read as a workbook ({error}).") from error
