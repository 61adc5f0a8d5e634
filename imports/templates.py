"""Write the blank .xlsx template that users fill in for each kind of import."""

from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from imports.columns import DEFAULT_CHOICES, KINDS, Choices, Column, ColumnType, ImportKind

LISTS_SHEET = "Lists"
INSTRUCTIONS_SHEET = "Instructions"
_LAST_ROW = 100_000  # how far down drop-downs and formats reach
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
_FORMATS = {
    ColumnType.TEXT: "@",  # keeps references such as 00123 from turning into numbers
    ColumnType.DATE: "yyyy-mm-dd",
}
_ACCEPTED = {
    ColumnType.TEXT: "Text.",
    ColumnType.INT: "A whole number.",
    ColumnType.DECIMAL: "A number; use a dot or a comma for decimals.",
    ColumnType.DATE: "A date, best written YYYY-MM-DD.",
    ColumnType.BOOL: "yes or no (oui/non, sí/no, sim/não, true/false, 1/0 also work).",
    ColumnType.COUNTRY: "ISO 3166-1 alpha-2 code (FR, CI, BR…) or the English country name.",
}


def write_template(kind: str | ImportKind, path_or_stream: str | BinaryIO, choices: Choices | None = None) -> None:
    """Save the template for `kind`: a data sheet, an Instructions sheet and a hidden Lists sheet.

    `choices` supplies the drop-down values by list name; lists it lacks come from DEFAULT_CHOICES.
    """
    kind = KINDS[kind] if isinstance(kind, str) else kind
    choices = {**DEFAULT_CHOICES, **(choices or {})}
    workbook = Workbook()
    data = workbook.active
    data.title = kind.label
    instructions = workbook.create_sheet(INSTRUCTIONS_SHEET)
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    list_ranges = _write_lists(lists, kind, choices)
    _write_header(data, kind)
    for index, column in enumerate(kind.columns, 1):
        if column.choices in list_ranges:
            _add_drop_down(data, index, column, list_ranges[column.choices])
    _write_instructions(instructions, kind, choices)
    workbook.save(path_or_stream)


def _write_header(sheet, kind: ImportKind) -> None:
    for index, column in enumerate(kind.columns, 1):
        cell = sheet.cell(row=1, column=index, value=column.label)
        cell.font = Font(bold=True)
        cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        note = column.description + (" Required." if column.required else "")
        cell.comment = Comment(note, "Tributary", width=300, height=110)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, len(column.label) + 4)
        if column.type in _FORMATS:
            sheet.column_dimensions[letter].number_format = _FORMATS[column.type]
    sheet.freeze_panes = "A2"


def _write_lists(sheet, kind: ImportKind, choices: Choices) -> dict[str, str]:
    """One column per choice list used by `kind`: code in the list column, label beside it."""
    ranges = {}
    names = sorted({column.choices for column in kind.columns if column.choices in choices})
    for position, name in enumerate(names):
        code_column, label_column = position * 2 + 1, position * 2 + 2
        sheet.cell(row=1, column=code_column, value=name).font = Font(bold=True)
        sheet.cell(row=1, column=label_column, value=f"{name} (label)").font = Font(bold=True)
        for row, (code, label) in enumerate(choices[name], 2):
            sheet.cell(row=row, column=code_column, value=code)
            sheet.cell(row=row, column=label_column, value=label)
        letter = get_column_letter(code_column)
        ranges[name] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(choices[name]) + 1}"
    return ranges


def _add_drop_down(sheet, index: int, column: Column, source: str) -> None:
    """Drop-down from the Lists sheet. Only true choices are enforced: countries may also be written
    as names, lists hold several values and yes/no accepts other languages, so those only suggest."""
    strict = column.type is ColumnType.CHOICE
    validation = DataValidation(
        type="list",
        formula1=f"={source}",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop" if strict else "information",
        errorTitle=column.label,
        error=f"Choose a value from the list for {column.label}.",
    )
    letter = get_column_letter(index)
    validation.add(f"{letter}2:{letter}{_LAST_ROW}")
    sheet.add_data_validation(validation)


def _write_instructions(sheet, kind: ImportKind, choices: Choices) -> None:
    sheet.append([f"How to fill in the {kind.label} template"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([
        "One row per record, starting on row 2 of the first sheet. Keep the header row; columns may be in any "
        "order and extra columns are reported, not imported.",
    ])
    for group in kind.one_of_required:
        sheet.append([f"Each row needs at least one of: {', '.join(kind.column(key).label for key in group)}."])
    sheet.append([])
    sheet.append(["Column", "Required", "What it means", "Accepted values"])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for column in kind.columns:
        sheet.append([column.label, "yes" if column.required else "", column.description, _accepted(column, choices)])
    for letter, width in zip("ABCD", (28, 10, 70, 70), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _accepted(column: Column, choices: Choices) -> str:
    if column.type in (ColumnType.CHOICE, ColumnType.LIST) and column.choices in choices:
        values = "; ".join(f"{code} ({label})" for code, label in choices[column.choices])
        if column.type is ColumnType.LIST:
            return f"One or more of, separated by ; or , : {values}"
        return f"One of: {values}"
    return _ACCEPTED[column.type]
