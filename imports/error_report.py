"""Give users their upload back with every problem marked where it is."""

from collections import defaultdict
from collections.abc import Iterable
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from backend.xlsx import cell_text, header_cell, safe_cell
from imports.problems import Problem
from imports.reading import FileRejected, Limits, read_table

PROBLEMS_SHEET = "Problems"
_BAD_FILL = PatternFill("solid", fgColor="FFC7CE")
_FORBIDDEN_IN_SHEET_NAMES = str.maketrans({character: "_" for character in "[]:*?/\\"})


def write_error_report(
    source_path: str | None,
    original_filename: str,
    problems: Iterable[Problem],
    out: str | BinaryIO,
    *,
    sheet: str | None = None,
    limits: Limits = Limits(),
) -> None:
    """Write an .xlsx copy of the upload with bad cells filled light red and explained in a comment,
    plus a Problems sheet listing every problem.

    Rows keep their original numbers. A problem without a column (or with a column the header
    does not have) marks the row's first cell. If the upload cannot be read at all, or is no longer
    kept (`source_path` None), the report has only the Problems sheet. Written in openpyxl's write-only
    mode, so large uploads stream (through temporary files that openpyxl deletes as it saves).
    """
    problems = list(problems)
    workbook = Workbook(write_only=True)
    try:
        table = read_table(source_path, original_filename, sheet=sheet, limits=limits) if source_path else None
    except FileRejected:
        table = None
    if table is not None:
        _write_copy(workbook, table, [p for p in problems if p.sheet in (None, table.sheet_name)])
    listing = workbook.create_sheet(PROBLEMS_SHEET)
    listing.append([header_cell(listing, title) for title in ("Sheet", "Row", "Column", "Value", "Code", "Message")])
    for problem in problems:
        fields = (problem.sheet, problem.row, problem.column, cell_text(problem.value), problem.code, problem.message)
        listing.append([_cell(listing, value, None) for value in fields])
    workbook.save(out)


def _write_copy(workbook: Workbook, table, problems: list[Problem]) -> None:
    sheet = workbook.create_sheet(_sheet_title(table.sheet_name))
    column_of = {}
    for index, name in enumerate(table.header):
        column_of.setdefault(name, index)
    messages: dict[tuple[int, int], list[str]] = defaultdict(list)
    for problem in problems:
        if problem.row is None:
            continue
        index = column_of.get(problem.column, 0)
        label = f"{problem.column}: " if problem.column is not None and problem.column not in column_of else ""
        messages[problem.row, index].append(label + problem.message)
    next_row = 1
    for number, values in _header_then_rows(table):
        while next_row < number:
            sheet.append([])
            next_row += 1
        sheet.append([_cell(sheet, value, messages.get((number, index))) for index, value in enumerate(values)])
        next_row += 1


def _header_then_rows(table):
    yield table.header_row, list(table.header)
    yield from table.rows()


def _cell(sheet, value: object, messages: list[str] | None) -> WriteOnlyCell:
    cell = safe_cell(sheet, value)  # text such as "=HYPERLINK(…)" stays text: the report never runs formulas
    if messages:
        cell.fill = _BAD_FILL
        cell.comment = Comment("\n".join(messages), "Tributary", width=320, height=120)
    return cell


def _sheet_title(name: str) -> str:
    title = name.translate(_FORBIDDEN_IN_SHEET_NAMES).strip("'")[:31] or "Data"
    return "Data" if title == PROBLEMS_SHEET else title
