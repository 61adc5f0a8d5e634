"""dataExportGenerate: a data export (exports/data/) as a report job."""

import enum

import graphene

from backend.graphql.mutations import BaseMutation
from backend.permissions import Permission
from exports.data import jobs
from exports.data.datasets import DATASETS
from exports.graphql.mutations import ReportError
from exports.graphql.types import ReportJobType

FORMAT_DESCRIPTIONS = {
    "xlsx": "An Excel workbook (cells that would start a formula are neutralised).",
    "csv": "Comma-separated values, UTF-8 (cells that would start a formula are neutralised).",
    "graphml": "GraphML, for Gephi, yEd or networkx: the network with risk attributes on nodes and links.",
    "json": "networkx node-link JSON: the network with risk attributes on nodes and links.",
}


def dataset_description(value) -> str:
    """The enum's description (value None), or a dataset's: its label and formats."""
    if value is None:
        return "A dataset of your company to export, and the formats it is written in."
    spec = DATASETS[value.value]
    return f"{spec.label} ({' or '.join(format.upper() for format in spec.formats)})."


DataExportDataset = graphene.Enum.from_enum(
    enum.Enum("DataExportDataset", {name.upper(): name for name in DATASETS}), description=dataset_description,
)


class DataExportFormat(graphene.Enum):
    """A file format: XLSX and CSV for the tables, GRAPHML and JSON (node-link) for the network graph."""

    XLSX = "xlsx"
    CSV = "csv"
    GRAPHML = "graphml"
    JSON = "json"

    @property
    def description(self):
        return FORMAT_DESCRIPTIONS[self.value]


class DataExportGenerate(BaseMutation):
    """Export one of your company's datasets as a file: the risk register, findings, corrective actions, grievances
    (redacted: no reporter), referrals, or the network graph. A worker writes it; follow the job with `reportJob`,
    then download it from its `downloadUrl` (your organization only)."""

    job = graphene.Field(ReportJobType, description="The queued job (kind DATA_EXPORT), when the request was accepted.")

    class Arguments:
        dataset = DataExportDataset(required=True, description="Which dataset.")
        format = DataExportFormat(required=True, description="Which file format (the dataset's list says which fit).")

    class Meta:
        permissions = (Permission.GENERATE_REPORTS,)
        error_type_class = ReportError

    @classmethod
    def perform(cls, info, viewer, dataset, format):
        return cls(job=jobs.create_job(viewer, dataset, format), errors=[])
