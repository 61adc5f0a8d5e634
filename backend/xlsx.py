"""Shared pieces of the workbooks Tributary writes (error reports, exports): cells that are safe to open.

Text is always written as a text cell, never as a formula, and text beginning with = + - @, a tab or a carriage
return also carries Excel's quote prefix, so that Excel keeps it as text when the cell is edited (formula
injection, OWASP's "CSV injection" list). A CSV has no cell types: there such text is written with a leading ',
which spreadsheets show as the text itself; a plain number (-12.5) is left as it is, being no formula.
"""

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_CELL_TEXT = 32_767  # Excel's limit for one cell
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOLD = Font(bold=True)


def cell_text(value: object) -> str | None:
    """Text that openpyxl can store and Excel can show: no control characters, at most 32,767 characters."""
    if value is None:
        return None
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))[:MAX_CELL_TEXT]


def safe_cell(sheet, value: object) -> WriteOnlyCell:
    """A write-only cell for `value`; text stays text (see the module docstring), other values keep their type."""
    if not isinstance(value, str):
        return WriteOnlyCell(sheet, value=value)
    cell = WriteOnlyCell(sheet, value=cell_text(value))
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def csv_cell(value: object) -> str:
    """A CSV cell for `value`: empty for None, formula-looking text neutralised (see the module docstring)."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not is_plain_number(text):
        return f"'{text}"
    return text


def is_plain_number(text: str) -> bool:
    """Whether `text` is a decimal number such as -12.5, which a spreadsheet reads as that number."""
    return text.lstrip("-").replace(".", "", 1).isdigit()


def header_cell(sheet, value: str) -> WriteOnlyCell:
    cell = safe_cell(sheet, value)
    cell.font = BOLD
    return cell
