"""Templates: layout, drop-downs, and that a filled-in template reads back with every header mapped."""

import io

import openpyxl
import pytest

from imports.columns import KINDS
from imports.headers import map_headers
from imports.reading import read_table
from imports.templates import INSTRUCTIONS_SHEET, LISTS_SHEET, write_template


@pytest.fixture(params=sorted(KINDS))
def kind(request):
    return KINDS[request.param]


def test_layout(kind, tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(kind.key, str(path))
    workbook = openpyxl.load_workbook(path)
    data, instructions, lists = workbook.worksheets
    assert (data.title, instructions.title, lists.title) == (kind.label, INSTRUCTIONS_SHEET, LISTS_SHEET)
    assert lists.sheet_state == "hidden"
    assert [cell.value for cell in data[1]] == [column.label for column in kind.columns]
    assert all(cell.font.bold and cell.comment for cell in data[1])
    assert data.freeze_panes == "A2"
    described = {row[0] for row in instructions.iter_rows(values_only=True)}
    assert {column.label for column in kind.columns} <= described


def test_drop_downs_point_at_the_lists_sheet(kind, tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(kind, str(path))
    workbook = openpyxl.load_workbook(path)
    data, _, lists = workbook.worksheets
    validations = {str(v.sqref).split(":")[0][:-1]: v for v in data.data_validations.dataValidation}
    for index, column in enumerate(kind.columns, 1):
        if column.choices is None:
            continue
        validation = validations[openpyxl.utils.get_column_letter(index)]
        assert validation.type == "list" and validation.formula1.startswith(f"='{LISTS_SHEET}'!$")
        assert validation.errorStyle == ("stop" if column.type == "choice" else "information")
        first_cell = validation.formula1.split("!")[1].split(":")[0].replace("$", "")
        assert lists[first_cell].value is not None


def test_filled_template_reads_back_with_every_header_mapped(kind, tmp_path):
    stream = io.BytesIO()
    write_template(kind.key, stream)
    stream.seek(0)
    workbook = openpyxl.load_workbook(stream)
    workbook.worksheets[0].append(["x"] * len(kind.columns))
    path = tmp_path / "filled.xlsx"
    workbook.save(path)
    table = read_table(str(path), "template.xlsx")
    mapping = map_headers(table.header, kind)
    assert table.sheet_name == kind.label
    assert list(mapping.columns.values()) == [column.key for column in kind.columns]
    assert not (mapping.unknown or mapping.missing_required or mapping.missing_one_of or mapping.duplicates)


def test_caller_choices_replace_the_defaults(tmp_path):
    path = tmp_path / "template.xlsx"
    write_template("findings", str(path), {"category": [("custom_code", "Custom label")]})
    lists = openpyxl.load_workbook(path)[LISTS_SHEET]
    values = {cell.value for column in lists.iter_cols() for cell in column}
    assert "custom_code" in values and "debt_bondage" not in values
