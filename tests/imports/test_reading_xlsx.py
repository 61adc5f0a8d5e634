"""Workbook uploads: values and types, sheet choice, and the archive checks that protect calamine."""

import datetime
import zipfile
from pathlib import Path

import openpyxl
import pytest

from imports.reading import ExcelError, FileRejected, Limits, is_helper_sheet, read_table
from imports.reading.archive import inspect_workbook_archive
from support import bad_files as parts

def save(workbook: openpyxl.Workbook, tmp_path, name: str = "upload.xlsx") -> str:
    path = tmp_path / name
    workbook.save(path)
    return str(path)


def crafted(tmp_path, sheet: str, name: str = "crafted.xlsx") -> str:
    path = tmp_path / name
    parts.zip_bytes(parts.workbook_parts(sheet), path)
    return str(path)


def rejection(path: str, **options) -> FileRejected:
    with pytest.raises(FileRejected) as rejected:
        table = read_table(path, Path(path).name, **options)
        list(table.rows())
    return rejected.value


def test_values_keep_their_types(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Sites"
    sheet.append(["site_ref", "workers", "share", "valid_from", "checked_at", "active", "note"])
    sheet.append(["  S-1 ", 120, 0.25, datetime.date(2024, 3, 1), datetime.datetime(2024, 3, 1, 9, 30), True, ""])
    table = read_table(save(workbook, tmp_path), "upload.xlsx")
    assert table.sheet_name == "Sites"
    [(number, values)] = list(table.rows())
    assert number == 2
    assert values == ["S-1", 120, 0.25, datetime.date(2024, 3, 1), datetime.datetime(2024, 3, 1, 9, 30), True, None]
    assert type(values[1]) is int and type(values[2]) is float  # whole numbers come as int, as openpyxl gives them


def test_data_away_from_a1_keeps_its_row_numbers_and_columns(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["C3"], sheet["D3"] = "site_ref", "site_name"
    sheet["C5"], sheet["D5"] = "S-1", "Mill"
    table = read_table(save(workbook, tmp_path), "upload.xlsx")
    assert (table.header_row, table.header) == (3, ["", "", "site_ref", "site_name"])
    assert list(table.rows()) == [(5, [None, None, "S-1", "Mill"])]


def test_helper_hidden_and_empty_sheets_are_skipped(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Instructions"
    workbook.active.append(["Read me first"])
    workbook.create_sheet("Empty")
    hidden = workbook.create_sheet("Secret")
    hidden.sheet_state = "hidden"
    hidden.append(["a"])
    hidden.append(["b"])
    data = workbook.create_sheet("Données")
    data.append(["site_ref"])
    data.append(["S-1"])
    workbook.create_sheet("Listes").append(["x"])
    table = read_table(save(workbook, tmp_path), "upload.xlsx")
    assert table.sheet_name == "Données"


@pytest.mark.parametrize("name", ["Instructions", "LISTS", "Read me", "Listes", "Instrucciones", "Instruções", "Lista"])
def test_helper_sheet_names(name):
    assert is_helper_sheet(name)


@pytest.mark.parametrize("name", ["Sites", "List of suppliers", "Data"])
def test_data_sheet_names(name):
    assert not is_helper_sheet(name)


def test_a_sheet_can_be_chosen_by_name(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["first"])
    workbook.active.append([1])
    chosen = workbook.create_sheet("Second")
    chosen.append(["second"])
    chosen.append(["x"])
    path = save(workbook, tmp_path)
    assert read_table(path, "upload.xlsx", sheet="Second").header == ["second"]
    assert rejection(path, sheet="Missing").code == "sheet_not_found"


def test_workbook_without_data(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Instructions"
    workbook.active.append(["Only guidance here"])
    assert rejection(save(workbook, tmp_path)).code == "no_data"


def test_limits_apply_to_workbooks(tmp_path):
    workbook = openpyxl.Workbook()
    for row in range(5):
        workbook.active.append([f"v{row}", "b", "c"])
    path = save(workbook, tmp_path)
    assert rejection(path, limits=Limits(max_rows=3)).code == "too_many_rows"
    assert rejection(path, limits=Limits(max_columns=2)).code == "too_many_columns"
    assert rejection(path, limits=Limits(max_zip_entries=3)).code == "zip_bomb"
    assert rejection(path, limits=Limits(max_uncompressed_bytes=2000)).code == "zip_bomb"


def test_sheet_written_without_positions_is_measured_exactly(tmp_path):
    """Cells without r= follow one another; 60 of them on the last row make a 63-million-cell rectangle."""
    cells = "<c><v>1</v></c>" * 60
    sheet = parts.sheet_xml(parts.good_rows(), extra_rows=f'<row r="1048576">{cells}</row>')
    error = rejection(crafted(tmp_path, sheet))
    assert error.code == "too_many_rows"
    assert "1,048,576" in error.message


def test_sheet_with_prefixed_tags_is_measured_exactly(tmp_path):
    far_cell = '<x:row xmlns:x="urn:x"><x:c r="XFD9"><x:v>1</x:v></x:c></x:row>'
    sheet = parts.sheet_xml(parts.good_rows(), extra_rows=far_cell)
    assert rejection(crafted(tmp_path, sheet)).code == "too_many_columns"


def test_ordinary_unpositioned_sheet_is_read(tmp_path):
    body = "".join(f"<row><c t=\"inlineStr\"><is><t>{a}</t></is></c><c><v>{b}</v></c></row>" for a, b in
                   [("site_ref", 0), ("S-1", 1), ("S-2", 2)])
    sheet = parts.sheet_xml([], extra_rows=body)
    table = read_table(crafted(tmp_path, sheet), "crafted.xlsx")
    assert list(table.rows()) == [(2, ["S-1", 1.0]), (3, ["S-2", 2.0])]


def test_a_forged_dimension_does_not_widen_every_row(tmp_path):
    """The stream pads rows to the sheet's declared <dimension>: A1:XFD1048576 would make 16,384 cells a row."""
    sheet = parts.sheet_xml(parts.good_rows()).replace("<sheetData>", '<dimension ref="A1:XFD1048576"/><sheetData>')
    path = crafted(tmp_path, sheet)
    [extent] = inspect_workbook_archive(path, "crafted.xlsx", Limits()).values()
    assert extent.declared_columns == 16_384 and extent.columns < 100
    table = read_table(path, "crafted.xlsx")
    raw_widths = {len(values) for _, values in table._raw_rows()}  # what the stream yields, before trimming
    assert max(raw_widths) <= extent.columns
    assert list(table.rows()) == [(2, ["S-001", "Usine Nord", "FR"]), (3, ["S-002", "Finca Sur", "CO"])]


def test_a_dimension_smaller_than_the_cells_loses_nothing(tmp_path):
    sheet = parts.sheet_xml(parts.good_rows()).replace("<sheetData>", '<dimension ref="A1"/><sheetData>')
    table = read_table(crafted(tmp_path, sheet), "crafted.xlsx")
    assert list(table.rows()) == [(2, ["S-001", "Usine Nord", "FR"]), (3, ["S-002", "Finca Sur", "CO"])]


def test_excel_error_values_are_marked_as_such(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["site_ref", "share"])
    workbook.active.append(["S-1", "#DIV/0!"])  # openpyxl writes this as an error cell (t="e")
    [(_, values)] = list(read_table(save(workbook, tmp_path), "upload.xlsx").rows())
    assert values == ["S-1", "#DIV/0!"] and type(values[1]) is ExcelError and type(values[0]) is str


def test_huge_shared_strings_count_is_refused(tmp_path):
    path = tmp_path / "strings.xlsx"
    files = parts.workbook_parts(parts.sheet_xml(parts.good_rows()))
    files["xl/sharedStrings.xml"] = (
        f'<sst xmlns="{parts.SPREADSHEET_NS}" count="4000000000" uniqueCount="4000000000"><si><t>x</t></si></sst>'
    )
    parts.zip_bytes(files, path)
    assert rejection(str(path)).code == "corrupt"


def test_calamine_errors_become_rejections(tmp_path):
    sheet = parts.sheet_xml(parts.good_rows()).replace('r="A2"', 'r="2A"')
    error = rejection(crafted(tmp_path, sheet))
    assert error.code == "corrupt"


def test_corrupt_entry_checksum_is_refused(tmp_path):
    path = Path(crafted(tmp_path, parts.sheet_xml(parts.good_rows())))
    with zipfile.ZipFile(path) as archive:
        stored = {info.filename: archive.read(info) for info in archive.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, data in stored.items():
            archive.writestr(name, data)
    content = path.read_bytes().replace(b"Usine Nord", b"Usine Sud!")
    path.write_bytes(content)
    assert rejection(str(path)).code == "corrupt"
