"""The limits that keep an import within its worker's memory: each is enforced early and named in its message.

The figures they keep (peak memory of the largest accepted file of each kind) are bench/imports.py --limits's;
these tests only check that each limit refuses what it must, where it must, saying which limit it is.
"""

import random
import traceback
import zipfile

import pytest

from imports.columns import DEFAULT_CHOICES, KINDS
from imports.models import Kind, Status
from imports.reading import FileRejected, Limits, read_table
from imports.services.cells import CellError, converter
from imports.services.kinds import IMPORT_KINDS
from imports.services.validation import MAX_PROBLEM_VALUE, ProblemLog
from support.import_helpers import SUPPLY_MAP_HEADER, csv_text, dry_run, problems

GRIEVANCES_HEADER = ["Grievance reference", "Open Supply Hub ID", "Category", "Description"]
SPREADSHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def rows_of_a_supply_map(count: int) -> str:
    return csv_text(SUPPLY_MAP_HEADER[:5], [[f"S-{i}", f"Site {i}", "facility", "", "IN"] for i in range(count)])


def test_a_supply_map_with_more_rows_than_its_limit_is_refused_naming_the_limit(analyst):
    limit = IMPORT_KINDS[Kind.SUPPLY_MAP].limits.max_rows
    job = dry_run(analyst, "supply_map", rows_of_a_supply_map(limit + 1))
    assert job.status == Status.REJECTED
    [problem] = job.problems.all()
    assert problem.code == "too_many_rows"
    assert f"Supply maps are limited to {limit:,} data rows" in problem.message
    assert "Split it" in problem.message


def test_a_grievance_log_with_more_rows_than_its_limit_is_refused_naming_the_limit(make_org, make_user):
    workers = make_user(make_org("Workers Org W", "workers_org"))
    limit = IMPORT_KINDS[Kind.GRIEVANCES].limits.max_rows
    content = csv_text(GRIEVANCES_HEADER, [[f"G-{i}", "", "deception", "x"] for i in range(limit + 1)])
    job = dry_run(workers, "grievances", content)
    assert job.status == Status.REJECTED
    assert [(p.code, f"Grievance logs are limited to {limit:,} data rows" in p.message) for p in job.problems.all()] \
        == [("too_many_rows", True)]


def test_findings_keep_the_readers_own_row_limit():
    assert IMPORT_KINDS[Kind.FINDINGS].limits.max_rows == Limits().max_rows
    assert all(IMPORT_KINDS[kind].limits.max_rows < Limits().max_rows for kind in (Kind.SUPPLY_MAP, Kind.GRIEVANCES))


def test_a_bad_value_converted_again_and_again_keeps_no_earlier_frames():
    """A column's converter remembers a bad value's error; raising that same error once per cell used to grow
    its traceback by two frames a cell, each holding its locals (2 GB for 27 million bad cells)."""
    convert = converter(KINDS["findings"].column("severity"), DEFAULT_CHOICES)
    depths = []
    for _cell in range(5):
        with pytest.raises(CellError) as raised:
            convert("not a severity")
        depths.append(len(traceback.extract_tb(raised.value.__traceback__)))
    assert depths == [depths[0]] * 5


def test_a_long_value_in_a_choice_column_is_too_long_not_quoted_in_full(analyst):
    content = csv_text(SUPPLY_MAP_HEADER[:5], [["S-1", "Site 1", "f" * 6000, "", "IN"]])
    job = dry_run(analyst, "supply_map", content)
    assert problems(job) == [(2, "Site type", "too_long")]
    assert len(job.problems.get().message) < 100


def test_a_problem_keeps_only_the_start_of_a_long_value():
    log = ProblemLog(sheet="Sites")
    log.error(2, "Site name", "n" * 40_000, "too_long", "At most 300 characters.")
    [(_severity, problem)] = log.problems
    assert problem.value == "n" * MAX_PROBLEM_VALUE


def rejection(path, name: str, limits: Limits = Limits()) -> FileRejected:
    with pytest.raises(FileRejected) as rejected:
        list(read_table(str(path), name, limits=limits).rows())
    return rejected.value


def test_a_40_mb_cell_of_a_csv_file_is_refused_naming_the_cell_limit(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("Site reference,Site name,Country\nS-1," + "n" * (40 * 2**20) + ",IN\n")
    refused = rejection(path, "long.csv")
    assert refused.code == "cell_too_long"
    assert "long.csv: line 2" in refused.message and "32,767" in refused.message


def workbook_with_text(path, text: str) -> None:
    """A workbook whose second row holds `text` as one inline cell."""
    rows = (f'<row r="1"><c r="A1" t="inlineStr"><is><t>Site name</t></is></c></row>'
            f'<row r="2"><c r="A2" t="inlineStr"><is><t>{text}</t></is></c></row>')
    package = workbook_package(f'<worksheet xmlns="{SPREADSHEET_NS}"><sheetData>{rows}</sheetData></worksheet>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, part in package.items():
            archive.writestr(name, part)


def workbook_package(sheet: str, shared_strings: str | None = None) -> dict[str, str]:
    relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{package}"><Relationship Id="rId1" Type="{relations}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{SPREADSHEET_NS}" xmlns:r="{relations}"><sheets>'
        '<sheet name="Sites" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{package}"><Relationship Id="rId1" '
        f'Type="{relations}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared_strings is not None:
        parts["xl/sharedStrings.xml"] = shared_strings
    return parts


def test_a_40_mb_cell_of_a_workbook_is_refused_naming_the_cell_limit_not_as_corrupt(tmp_path):
    path = tmp_path / "long.xlsx"
    workbook_with_text(path, "".join(random.Random(1).choices("abcdefghij ", k=40 * 2**20)))
    refused = rejection(path, "long.xlsx")
    assert refused.code == "cell_too_long"
    assert "long.xlsx: a cell holds more than 1 MB of text" in refused.message and "32,767" in refused.message


def test_a_cell_at_excels_limit_reads_whole(tmp_path):
    path = tmp_path / "full.xlsx"
    workbook_with_text(path, "".join(random.Random(2).choices("abcdefghij", k=32_767)))
    [(_number, [value])] = list(read_table(str(path), "full.xlsx").rows())
    assert len(value) == 32_767


def shared_strings_workbook(path, entries: list[str], prefix: str = "") -> None:
    """A workbook whose shared-strings table holds `entries` (spelled with a namespace prefix when given), the
    sheet naming the first."""
    tag = f"{prefix}:" if prefix else ""
    namespace = f'xmlns{":" + prefix if prefix else ""}="{SPREADSHEET_NS}"'
    table = (f"<{tag}sst {namespace}>"
             + "".join(f"<{tag}si><{tag}t>{text}</{tag}t></{tag}si>" if text else f"<{tag}si/>" for text in entries)
             + f"</{tag}sst>")
    sheet = (f'<worksheet xmlns="{SPREADSHEET_NS}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
             f'<row r="2"><c r="A2" t="s"><v>0</v></c></row></sheetData></worksheet>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, part in workbook_package(sheet, table).items():
            archive.writestr(name, part)


@pytest.mark.parametrize("prefix", ["", "x"])
def test_the_shared_strings_are_counted_whatever_their_spelling(tmp_path, prefix):
    # given a table of 1,000 entries, some of them empty (<si/>), written with or without a namespace prefix
    path = tmp_path / "texts.xlsx"
    shared_strings_workbook(path, ["Site name", *(f"text {i}" if i % 7 else "" for i in range(1, 1000))], prefix)
    # then a limit of 1,000 entries reads it, and one of 999 refuses it, naming the count and the limit
    assert len(list(read_table(str(path), "texts.xlsx", limits=Limits(max_shared_strings=1000)).rows())) == 1
    refused = rejection(path, "texts.xlsx", Limits(max_shared_strings=999))
    assert refused.code == "too_many_texts"
    assert "texts.xlsx holds 1,000 different texts; at most 999" in refused.message


def test_shared_strings_beyond_the_byte_limit_are_refused_naming_it(tmp_path):
    path = tmp_path / "texts.xlsx"
    shared_strings_workbook(path, ["Site name", *("".join(random.Random(i).choices("acgt", k=1000)) for i in range(3000))])
    refused = rejection(path, "texts.xlsx", Limits(max_shared_strings_bytes=2 * 2**20))
    assert refused.code == "too_many_texts"
    assert "3 MB; at most 2 MB" in refused.message


def test_the_readers_shared_strings_limits_refuse_a_million_and_one_texts(tmp_path):
    path = tmp_path / "texts.xlsx"
    shared_strings_workbook(path, ["Site name", *(f"t{i}" for i in range(Limits().max_shared_strings))])
    refused = rejection(path, "texts.xlsx")
    assert refused.code == "too_many_texts"
    assert "1,000,001 different texts; at most 1,000,000" in refused.message
