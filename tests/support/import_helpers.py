"""Helpers of the import tests: uploads made in memory, and jobs run in this process as a worker would."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from backend.tenancy import Viewer
from imports.services import jobs

SUPPLY_MAP_HEADER = ["Site reference", "Site name", "Site type", "Address", "Country", "Commodities", "Supplier reference",
                     "Supplier name", "Buyer site reference", "Commodity supplied", "Share of buyer's supply"]


def csv_text(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    return out.getvalue()


def xlsx_bytes(header: list[str], rows: list[list], title: str = "Data") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(content: bytes | str, name: str = "upload.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)


def dry_run(user, kind: str, content, name: str = "upload.csv", **options):
    """Store the upload as a job and validate it here (what a worker does with a dry run)."""
    job = jobs.create_job(Viewer.of(user), kind, upload(content, name), queue=False, **options)
    return jobs.validate(job)


def commit(user, kind: str, content, name: str = "upload.csv", **options):
    """Store the upload as a job asking for a commit and run it here."""
    job = jobs.create_job(Viewer.of(user), kind, upload(content, name), commit=True, queue=False, **options)
    return jobs.commit(job)


def problems(job) -> list[tuple]:
    """(row, column, code) of each problem of a job, in order."""
    return list(job.problems.order_by("row", "id").values_list("row", "column", "code"))
