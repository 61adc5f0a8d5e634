"""Error reports: the upload comes back with problems marked where they are."""

import openpyxl
from python_calamine_plus import CalamineWorkbook

from imports.error_report import PROBLEMS_SHEET, write_error_report
from imports.problems import Problem

SOURCE = "site_ref,site_name,country\nS-1,=HYPERLINK(\"http://x\"),FR\n\n\nS-2,Farm,Narnia\n"


def report_for(tmp_path, problems, content: str = SOURCE, name: str = "sites.csv"):
    source = tmp_path / name
    source.write_text(content)
    out = tmp_path / "report.xlsx"
    write_error_report(str(source), name, problems, str(out))
    return out


def test_bad_cells_are_filled_and_explained(tmp_path):
    problems = [
        Problem(sheet="sites.csv", row=5, column="country", value="Narnia", code="bad_country",
                message="Narnia is not a country."),
        Problem(sheet="sites.csv", row=5, column="country", value="Narnia", code="other", message="Second note."),
        Problem(sheet="sites.csv", row=2, column=None, value=None, code="duplicate", message="Row repeats row 9."),
    ]
    workbook = openpyxl.load_workbook(report_for(tmp_path, problems))
    data = workbook["sites.csv"]
    assert data["C5"].value == "Narnia"
    assert data["C5"].fill.fgColor.rgb.endswith("FFC7CE")
    assert data["C5"].comment.text == "Narnia is not a country.\nSecond note."
    assert data["A2"].comment.text == "Row repeats row 9."
    assert data["B5"].comment is None and data["A1"].value == "site_ref"


def test_problems_sheet_lists_everything(tmp_path):
    problems = [
        Problem(row=None, code="missing_column", message="The column site_name is required."),
        Problem(sheet="sites.csv", row=5, column="country", value="Narnia", code="bad_country", message="Unknown."),
    ]
    listing = openpyxl.load_workbook(report_for(tmp_path, problems))[PROBLEMS_SHEET]
    rows = list(listing.iter_rows(values_only=True))
    assert rows[0] == ("Sheet", "Row", "Column", "Value", "Code", "Message")
    assert rows[1] == (None, None, None, None, "missing_column", "The column site_name is required.")
    assert rows[2] == ("sites.csv", 5, "country", "Narnia", "bad_country", "Unknown.")


def test_formula_text_stays_text(tmp_path):
    problem = Problem(sheet="sites.csv", row=2, column="site_name", value='=HYPERLINK("http://x")', code="x",
                      message="=SUM(1)")
    out = report_for(tmp_path, [problem])
    workbook = CalamineWorkbook.from_path(str(out))
    assert workbook.get_sheet_by_name("sites.csv").to_python()[1][1] == '=HYPERLINK("http://x")'
    assert openpyxl.load_workbook(out)["sites.csv"]["B2"].data_type == "s"


def test_unknown_column_marks_the_first_cell_and_says_which(tmp_path):
    problem = Problem(sheet="sites.csv", row=5, column="workers", value=None, code="x", message="Missing.")
    data = openpyxl.load_workbook(report_for(tmp_path, [problem]))["sites.csv"]
    assert data["A5"].comment.text == "workers: Missing."


def test_unreadable_upload_gives_only_the_problems_sheet(tmp_path):
    problem = Problem(code="empty", message="The file is empty.")
    workbook = openpyxl.load_workbook(report_for(tmp_path, [problem], content=""))
    assert workbook.sheetnames == [PROBLEMS_SHEET]


def test_workbook_upload_keeps_its_sheet_name_and_row_numbers(tmp_path):
    source = openpyxl.Workbook()
    sheet = source.active
    sheet.title = "Sites"
    sheet["A2"], sheet["A4"] = "site_ref", "S-1"
    path = tmp_path / "upload.xlsx"
    source.save(path)
    out = tmp_path / "report.xlsx"
    write_error_report(str(path), "upload.xlsx", [Problem(sheet="Sites", row=4, column="site_ref", code="x",
                                                          message="Unknown site.")], str(out))
    data = openpyxl.load_workbook(out)["Sites"]
    assert data["A2"].value == "site_ref" and data["A4"].comment.text == "Unknown site."
