"""The largest uploads the limits accept, and uploads just beyond them, for `bench/imports.py --limits`.

Each file is the worst its limits allow, since the goal (issue 13) is a bound for any accepted file:
- a supply map and a grievance log at their kind's row limit (imports/services/sizing.py), every column filled
  with valid values, the text columns padded so that the file reaches the 50 MB byte limit; and the same plus
  one row, which must be refused;
- 27 million cells (1,000,000 rows × 27 columns, a bad value in every mapped cell, the other columns empty) of
  each kind: findings read it whole; the others refuse it by their row limit;
- a findings workbook whose shared strings are at the reader's limits (1,000,000 different texts, 64 MB),
  which calamine holds whole, and one with a text more, which must be refused;
- a supply map and a grievance log at their row limit as workbooks, every cell a shared string, the table
  filled up to the same limits: the most a kind held in memory can take with the most calamine can hold.
Files are CSV written with the csv module, and workbooks assembled part by part (openpyxl would take minutes).
"""

import csv
import random
import zipfile
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from xml.sax.saxutils import escape

from imports.columns import KINDS
from imports.reading import Limits

BYTE_BUDGET = 49 * 1024 * 1024  # just under the 50 MB limit, leaving room for the header
WIDE_ROWS, WIDE_COLUMNS, WIDE_FILLED = 1_000_000, 27, 9
NOTES = 6  # unmapped text columns of the shared-strings workbook, so that each row holds ten different texts
TEXTS_PER_ROW = 4 + NOTES
# Characters of padded text a row of each kind has in a workbook at its row limit: what leaves room in the shared
# strings' 64 MB for the spare texts that bring the table to its million entries.
WORKBOOK_PAD = {"supply_map": 800, "grievances": 500}
SPREADSHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XML = '<?xml version="1.0" encoding="UTF-8"?>'


def labels(kind: str) -> list[str]:
    return [column.label for column in KINDS[kind].columns]


def os_id(prefix: str, index: int) -> str:
    """A well-formed Open Supply Hub ID (two letters, seven digits, six letters or digits), unique per index."""
    return f"{prefix}{index:07d}S{index % 100_000:05d}"


def padded(text: str, length: int, rng: random.Random | None = None) -> str:
    """`text` made `length` characters long (never shorter than it is): random letters when `rng` is given, so
    that the file does not compress like a zip bomb, else x's."""
    missing = length - len(text) - 1
    if missing < 0:
        return text
    return f"{text} " + ("".join(rng.choices("acgt", k=missing)) if rng else "x" * missing)


def supply_map_row(index: int, pad: int, series: int) -> list:
    """Every column of a supply-map row: a site, its supplier (one per ten sites) and its link to a buyer. Each
    `series` (0, 1) names other sites, suppliers and identifiers, so that a file does not find the last one's."""
    supplier, site = index // 10, f"S{series}-{index:07d}"
    return [
        site, padded(f"Spinning mill {index}", min(pad, 300)), "facility",
        padded(f"{index} Industrial Estate Road, Tiruppur", min(max(pad - 300, 0), 500)), "IN", "IN-TN", "11.1",
        "77.3", os_id(("BD", "VN")[series], index), "120", "0.2", "cotton", f"SUP{series}-{supplier:06d}",
        padded(f"Supplier company {supplier}", min(max(pad - 800, 0), 300)), "IN", f"TAX{series}{supplier:09d}",
        f"LEI{series}{supplier:016d}", f"{series}{supplier:08d}", "" if index < 10 else f"S{series}-{index // 10:07d}",
        "cotton", "" if index < 10 else "0.1", "1000", "kg", "declared", "2024-01-01", "2026-12-31",
        f"L{series}-{index:07d}",
    ]


def grievance_row(index: int, pad: int, series: int, site_os_id) -> list:
    return [
        f"G{series}-{index:07d}", "", site_os_id(index % 500), "hotline", "deception",
        padded(f"Workers report unpaid overtime {index}", min(pad, 5000)), "2025-01-02", "2025-01-03",
        str(index % 50), "no", f"Reporter {index}", f"+91 98400 {index % 100_000:05d}",
    ]


def full_row(kind: str, index: int, pad: int, series: int, site_os_id) -> list:
    if kind == "supply_map":
        return supply_map_row(index, pad, series)
    return grievance_row(index, pad, series, site_os_id)


def write_full(path: Path, kind: str, rows: int, site_os_id) -> None:
    """`rows` rows of `kind`, every column filled, text padded to spend the byte budget."""
    fixed = sum(len(str(value)) + 1 for value in full_row(kind, rows, 0, 0, site_os_id))
    pad = max(BYTE_BUDGET // rows - fixed, 0)
    with open(path, "w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(labels(kind))
        writer.writerows(full_row(kind, index, pad, 0, site_os_id) for index in range(rows))


def write_wide(path: Path, kind: str) -> None:
    """WIDE_ROWS × WIDE_COLUMNS cells: the kind's first WIDE_FILLED columns hold a one-digit (bad) value, the
    other columns are empty but the last, so that every row spans all of them."""
    header = labels(kind)[:WIDE_COLUMNS]
    header += [f"Extra {number}" for number in range(WIDE_COLUMNS - len(header))]
    empty = "," * (WIDE_COLUMNS - WIDE_FILLED)
    with open(path, "w") as stream:
        stream.write(",".join(header) + "\n")
        for index in range(WIDE_ROWS):
            stream.write(",".join(str((index + column) % 10) for column in range(WIDE_FILLED)) + empty + "x\n")


def findings_with_texts(texts: int, site_os_id) -> tuple[list[str], Iterator[list[str]]]:
    """Header and rows of findings naming TEXTS_PER_ROW different texts a row: audit and finding references,
    description, lead auditor and six notes (columns the import does not read, which calamine holds all the same)."""
    header = ["Audit reference", "Finding reference", "Description", "Lead auditor",
              *[f"Note {number}" for number in range(1, NOTES + 1)],
              "Open Supply Hub ID", "Audit standard", "Audit type", "Audit start date", "Category", "Severity"]
    rows = (
        [f"AU-{row:06d}", f"F-{row:06d}", f"Observed at visit {row}", f"Auditor {row}",
         *[f"Note {number} of {row}" for number in range(NOTES)],
         site_os_id(row % 500), "smeta", "announced", "2025-03-01", "deception", "minor"]
        for row in range(texts // TEXTS_PER_ROW - 100)  # leaving room for the header's and the repeated values
    )
    return header, rows


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def write_workbook(path: Path, header: list[str], rows: Iterable[list], texts: int) -> None:
    """A one-sheet workbook of `header` and `rows` in which every cell is a shared string, the table then filled
    with spare texts up to `texts` entries and the reader's byte limit for them: what calamine holds whole."""
    limits = Limits()
    index: dict[str, int] = {}

    def row_xml(values: list) -> str:
        return "<row>" + "".join(f'<c t="s"><v>{index.setdefault(str(value), len(index))}</v></c>'
                                 for value in values) + "</row>"

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in workbook_parts().items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as stream:
            stream.write(f'{XML}<worksheet xmlns="{SPREADSHEET_NS}"><sheetData>{row_xml(header)}'.encode())
            for batch in batched(rows, 1000):
                stream.write("".join(map(row_xml, batch)).encode())
            stream.write(b"</sheetData></worksheet>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as stream:
            stream.write(f'{XML}<sst xmlns="{SPREADSHEET_NS}">'.encode())
            used = 0
            for batch in batched(index, 10_000):
                entries = "".join(f"<si><t>{escape(text)}</t></si>" for text in batch).encode()
                used += len(entries)
                stream.write(entries)
            spare = texts - len(index)
            if spare < 0:
                raise ValueError(f"{path.name}: its rows name {len(index):,} different texts, more than {texts:,}")
            room = limits.max_shared_strings_bytes - used - 1024  # the table's own tags
            length = max(room // max(spare, 1) - len("<si><t></t></si>"), 8)
            rng = random.Random(texts)
            for first in range(0, spare, 10_000):
                stream.write("".join(f"<si><t>{padded(f'S{number}', length, rng)}</t></si>"
                                     for number in range(first, min(first + 10_000, spare))).encode())
            stream.write(b"</sst>")


def workbook_parts() -> dict[str, str]:
    """Every part of a one-sheet workbook with shared strings but the sheet and the strings themselves."""
    relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    return {
        "[Content_Types].xml": f'{XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        "_rels/.rels": f'{XML}<Relationships xmlns="{package}"><Relationship Id="rId1" '
        f'Type="{relations}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'{XML}<workbook xmlns="{SPREADSHEET_NS}" xmlns:r="{relations}"><sheets>'
        '<sheet name="Findings" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'{XML}<Relationships xmlns="{package}"><Relationship Id="rId1" '
        f'Type="{relations}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
        f'Type="{relations}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    }


def cases(out: Path, site_os_id) -> dict[str, tuple[str, Path]]:
    """name → (kind, file): every file the limits bench measures, generated once into `out` (after Django's set-up)."""
    from imports.services.kinds import IMPORT_KINDS

    limits = Limits()
    files = {}
    for kind in ("supply_map", "grievances"):
        rows = IMPORT_KINDS[kind].limits.max_rows
        files[f"{kind}_largest"] = (kind, out / f"{kind}_{rows}.csv", lambda p, k=kind, n=rows: write_full(p, k, n, site_os_id))
        files[f"{kind}_over"] = (kind, out / f"{kind}_{rows + 1}.csv",
                                 lambda p, k=kind, n=rows + 1: write_full(p, k, n, site_os_id))
    for kind in ("findings", "supply_map", "grievances"):
        files[f"{kind}_27m_cells"] = (kind, out / f"{kind}_27m_cells.csv", lambda p, k=kind: write_wide(p, k))
    texts = limits.max_shared_strings
    for name, count in (("findings_shared_strings", texts), ("findings_shared_strings_over", texts + 1)):
        files[name] = ("findings", out / f"findings_{count}_texts.xlsx",
                       lambda p, n=count: write_workbook(p, *findings_with_texts(n, site_os_id), n))
    for kind in ("supply_map", "grievances"):
        rows = IMPORT_KINDS[kind].limits.max_rows
        files[f"{kind}_largest_workbook"] = (kind, out / f"{kind}_{rows}_{texts}_texts.xlsx", lambda p, k=kind, n=rows: write_workbook(
            p, labels(k), (full_row(k, index, WORKBOOK_PAD[k], 1, site_os_id) for index in range(n)), texts))
    made = {}
    for name, (kind, path, write) in files.items():
        if not path.exists():
            write(path)
        made[name] = (kind, path)
    return made


USERS = {"findings": "bench-firm-analyst", "supply_map": "bench-company-admin", "grievances": "bench-workers-analyst"}
STEPS = {
    "supply_map_largest": ("dry_run", "commit"), "grievances_largest": ("dry_run", "commit"),
    "supply_map_over": ("dry_run",), "grievances_over": ("dry_run",),
    "findings_27m_cells": ("dry_run",), "supply_map_27m_cells": ("dry_run",), "grievances_27m_cells": ("dry_run",),
    "findings_shared_strings": ("dry_run", "commit"), "findings_shared_strings_over": ("dry_run",),
    "supply_map_largest_workbook": ("dry_run", "commit"), "grievances_largest_workbook": ("dry_run", "commit"),
}


def add_importers(site_os_id) -> None:
    """Next to bench/imports.py's world (a company whose 500 sites an audit firm is assigned to): the company's
    admin, who imports supply maps, and a workers' organization, which files grievances about those sites."""
    from backend.models import Organization, OrganizationKind, Role, User

    company = Organization.objects.get(name="Bench Company")
    User.objects.create(username=USERS["supply_map"], organization=company, role=Role.ADMIN)
    workers = Organization.objects.create(name="Bench Workers", kind=OrganizationKind.WORKERS_ORG)
    User.objects.create(username=USERS["grievances"], organization=workers, role=Role.ANALYST)


def outcome(job) -> str:
    """A job's status with its rows, or the first problem that refused it."""
    first = job.problems.order_by("row", "id").first()
    if job.status in ("rejected", "invalid") and first is not None:
        return f"{job.status} ({first.code}): {first.message[:110]}"
    return f"{job.status}: {job.summary.get('rows', 0):,} rows" + (f"; {job.error[:100]}" if job.error else "")


def drop_database() -> None:
    """Drop the bench's own database (the measuring processes have ended; this one's connection is closed first)."""
    import psycopg
    from django.db import connection, connections

    settings = connection.settings_dict
    name = settings["NAME"]
    connections.close_all()
    admin = psycopg.connect(host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432, user=settings["USER"],
                            password=settings["PASSWORD"] or None, dbname="postgres", autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def report(results: dict, baseline_mb: float, worker_mb: int = 512) -> None:
    print(f"\nPeak memory of the largest accepted files and of refused ones (Django alone: {baseline_mb:.0f} MB; "
          f"goal: every one ≤ {worker_mb} MB)")
    print(f"{'':<40}{'file':<36}{'seconds':>8}{'peak MB':>9}  outcome")
    for name, result in results.items():
        print(f"{name:<40}{result['file']:<36}{result['seconds']:>8.1f}{result['peak_mb']:>9.0f}  {result['detail']}")
    largest = max(results.values(), key=lambda result: result["peak_mb"])
    print(f"largest peak {largest['peak_mb']:.0f} MB ({largest['file']}): "
          f"{'met' if largest['peak_mb'] <= worker_mb else 'NOT met'}")
