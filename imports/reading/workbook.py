"""Read the data sheet of an .xlsx workbook as a Table, with python-calamine.

Calamine never evaluates formulas: a formula cell gives the value Excel cached when the file
was last saved (empty if it never was), and a text cell that merely starts with "=", "+", "-"
or "@" stays that exact text. Calamine loads the chosen sheet into memory (in Rust, bounded by
the archive checks); rows are then turned into Python lists one at a time.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager

from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from .errors import FileRejected
from .folding import fold
from .limits import Limits
from .table import Table

# Helper sheets of our templates and of most companies' own forms, in English, French, Spanish, Portuguese.
_HELPER_SHEET = re.compile(
    r"instructions?|instrucciones|instrucoes|modedemploi|readme|help|aide|ayuda|ajuda|notes?"
    r"|lists?|listes?|listas?|lookups?|values|valeurs|valores|choices"
)


def is_helper_sheet(name: str) -> bool:
    """True for sheets such as "Instructions" or "Lists" that hold guidance, not data."""
    return _HELPER_SHEET.fullmatch(fold(name)) is not None


def read_workbook(path: str, filename: str, limits: Limits, sheet: str | None = None) -> Table:
    """Read `sheet`, or else the first visible, non-empty worksheet that is not a helper sheet."""
    with _calamine_errors(filename), CalamineWorkbook.from_path(path) as workbook:
        data_sheet = _load_sheet(workbook, filename, sheet)
    _, first_column = data_sheet.start
    padding = [""] * first_column

    def raw_rows() -> Iterator[tuple[int, list[object]]]:
        # iter_rows() starts at row 1 but at the first used column: pad so that indexes match columns.
        rows = data_sheet.iter_rows()
        if padding:
            rows = (padding + row for row in rows)
        return enumerate(rows, 1)

    return Table(data_sheet.name, raw_rows, limits, place=f'Sheet "{data_sheet.name}" of {filename}')


def _load_sheet(workbook: CalamineWorkbook, filename: str, requested: str | None):
    if requested is not None:
        if requested not in workbook.sheet_names:
            raise FileRejected(
                "sheet_not_found",
                f"{filename} has no sheet named \"{requested}\"; its sheets are {', '.join(workbook.sheet_names)}.",
            )
        return _non_empty(workbook.get_sheet_by_name(requested), filename)
    for metadata in workbook.sheets_metadata:
        if (
            metadata.typ == SheetTypeEnum.WorkSheet
            and metadata.visible == SheetVisibleEnum.Visible
            and not is_helper_sheet(metadata.name)
        ):
            candidate = workbook.get_sheet_by_name(metadata.name)
            if candidate.start is not None:
                return candidate
    raise FileRejected("no_data", f"{filename} has no sheet with data (sheets: {', '.join(workbook.sheet_names)}).")


def _non_empty(sheet, filename: str):
    if sheet.start is None:
        raise FileRejected("no_data", f'Sheet "{sheet.name}" of {filename} is empty.')
    return sheet


@contextmanager
def _calamine_errors(filename: str):
    """Turn calamine failures into FileRejected.

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
        raise FileRejected("corrupt", f"{filename} could not be read as a workbook ({error}).") from error
