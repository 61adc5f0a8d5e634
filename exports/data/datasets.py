"""Which datasets can be exported, in which formats, and writing one to a file.

    write(viewer, "risk_register", "xlsx", out)

A company's analysts and admins export (Permission.GENERATE_REPORTS, checked by the callers at their entry, as for
reports); the data is read as the viewer sees it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.text import slugify

from backend.errors import field_error
from backend.tenancy import Viewer
from backend.xlsx import CONTENT_TYPE as XLSX_CONTENT_TYPE
from exports.data import cases, network_graph, register
from exports.data.tables import WRITERS, Table

TABULAR = ("xlsx", "csv")
CONTENT_TYPES = {"xlsx": XLSX_CONTENT_TYPE, "csv": "text/csv; charset=utf-8", "graphml": "application/graphml+xml",
                 "json": "application/json"}


@dataclass(frozen=True)
class Dataset:
    """A dataset: its label, the formats it is written in, and how (a table for the tabular formats, else a
    writer per format)."""

    label: str
    formats: tuple[str, ...]
    table: Callable[[Viewer], Table] | None = None
    writers: dict[str, Callable[[Viewer, BinaryIO], int]] | None = None


DATASETS = {
    "risk_register": Dataset("Risk register", TABULAR, table=register.risk_register),
    "findings": Dataset("Findings", TABULAR, table=cases.findings),
    "corrective_actions": Dataset("Corrective actions", TABULAR, table=cases.corrective_actions),
    "grievances": Dataset("Grievances (redacted)", TABULAR, table=cases.grievances),
    "referrals": Dataset("Referrals", TABULAR, table=cases.referrals),
    "network_graph": Dataset("Supply network graph", ("graphml", "json"), writers={
        "graphml": network_graph.write_graphml, "json": network_graph.write_node_link,
    }),
}


def checked(dataset: str, file_format: str) -> tuple[str, str]:
    """The dataset and format, once both are known and the dataset comes in that format."""
    if dataset not in DATASETS:
        raise field_error("dataset", f"Unknown dataset '{dataset}'; one of {', '.join(DATASETS)}.", "invalid")
    formats = DATASETS[dataset].formats
    if file_format not in formats:
        raise field_error("format", f"The {DATASETS[dataset].label.lower()} is exported as {' or '.join(formats)}, "
                                    f"not '{file_format}'.", "invalid")
    return dataset, file_format


def write(viewer: Viewer, dataset: str, file_format: str, out: BinaryIO) -> int:
    """Write the dataset in the format to `out` (a binary file); returns the rows (tables) or nodes (graphs)."""
    dataset, file_format = checked(dataset, file_format)
    spec = DATASETS[dataset]
    if spec.table is not None:
        return WRITERS[file_format](spec.table(viewer), out)
    return spec.writers[file_format](viewer, out)


def file_name(dataset: str, file_format: str, company: str, day) -> str:
    """e.g. northwind-risk-register-2026-12-02.xlsx"""
    return f"{slugify(company) or 'company'}-{dataset.replace('_', '-')}-{day.isoformat()}.{file_format}"
