"""dataExportGenerate: a data export (exports/data/) as a report job."""

import graphene

from backend.graphql.mutations import BaseMutation
from backend.permissions import Permission
from exports.data import jobs
from exports.data.datasets import DATASETS
from exports.graphql.mutations import ReportError
from exports.graphql.types import ReportJobType

DataExportDataset = graphene.Enum(
    "DataExportDataset", [(name.upper(), name) for name in DATASETS],
    description="A dataset to export: " + "; ".join(
        f"{name.upper()}: {spec.label} ({' or '.join(spec.formats).upper()})" for name, spec in DATASETS.items()) + ".",
)
DataExportFormat = graphene.Enum(
    "DataExportFormat", [("XLSX", "xlsx"), ("CSV", "csv"), ("GRAPHML", "graphml"), ("JSON", "json")],
    description="A file format: XLSX and CSV for the tables, GRAPHML and JSON (node-link) for the network graph.",
)


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
