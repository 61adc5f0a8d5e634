"""A disclosure report's figures as a workbook (openpyxl, write-only): a sheet "About" (framework, period, approval),
one sheet per table of the report (disclosure_tables.py) in the order the report shows them, the company's narrative
by section, and the appendix (each figure's definition, period, query and variables). Every cell goes through
backend/xlsx.py, so that no text can become a formula (= + - @ are kept as text).
"""

import io

from openpyxl import Workbook

from backend.xlsx import header_cell, safe_cell
from exports.reports.disclosure_figures import disclosure_figures
from exports.reports.disclosure_gather import DisclosureData
from exports.reports.disclosure_tables import BLOCK_TABLES


def write_rows(workbook: Workbook, title: str, header: list, rows: list, widths: list | None = None) -> None:
    sheet = workbook.create_sheet(title[:31])
    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    sheet.append([header_cell(sheet, value) for value in header])
    for row in rows:
        sheet.append([safe_cell(sheet, value) for value in row])


def about_rows(data: DisclosureData) -> list:
    approval = data.statement
    rows = [["Organization", data.organization], ["Framework", data.framework.title],
            ["Legal basis", data.framework.legal_basis], ["Period from", data.parameters.period_from],
            ["Period to", data.parameters.period_to]]
    if data.commodity:
        rows.append(["Commodity", f"{data.commodity.name} ({data.commodity.code}, HS {data.commodity.hs_code})"])
    return rows + [["Approved by", approval.approved_by], ["Approved on", approval.approved_on],
                   ["Signed by (director)", approval.signed_by], ["Signed on", approval.signed_on],
                   ["Generated at", data.generated_at.replace(tzinfo=None)]]


def workbook_bytes(data: DisclosureData) -> bytes:
    """The workbook's bytes."""
    refs = disclosure_figures(data)
    workbook = Workbook(write_only=True)
    write_rows(workbook, "About", ["Field", "Value"], about_rows(data), [24, 80])
    written = set()
    for section in data.framework.sections:
        for block in section.blocks:
            for table in BLOCK_TABLES[block](data):
                if table.sheet in written:
                    continue
                written.add(table.sheet)
                keys = table.row_figures or [table.figure] * len(table.rows)
                write_rows(workbook, table.sheet, table.header + ["Ref."],
                           [row + [refs[key].ref] for row, key in zip(table.rows, keys)])
    write_rows(workbook, "Narrative", ["Section", "Heading", "Text"],
               [[section.code, section.heading, data.statement.narratives.get(section.code, "")]
                for section in data.framework.sections], [18, 50, 100])
    write_rows(workbook, "Appendix", ["Ref.", "Figure", "Period", "Definition", "Query", "Variables"],
               [[figure.ref, figure.title, figure.period, figure.definition, figure.query, figure.variables_text]
                for figure in refs.values()], [6, 40, 30, 80, 80, 40])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
