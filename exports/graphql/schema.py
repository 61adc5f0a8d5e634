"""The reports queries and mutations, composed into the root schema in backend/schema.py."""

import graphene

from backend.graphql.connections import FilteredConnectionField
from backend.graphql.ids import visible_or_none
from backend.graphql.permissions import permission_required, require_viewer
from backend.permissions import Permission
from backend.tenancy import visible
from exports.graphql.data_exports import DataExportGenerate
from exports.graphql.disclosure import DisclosureMutations, DisclosureQueries
from exports.graphql.mutations import ReportGenerate
from exports.graphql.types import ReportJobType
from exports.models import ReportJob


class ExportQueries(DisclosureQueries, graphene.ObjectType):
    report_jobs = FilteredConnectionField(
        ReportJobType,
        description="Your organization's report jobs, oldest first (first or last required, at most 100).",
    )
    report_job = graphene.Field(
        ReportJobType, id=graphene.ID(required=True, description="Report job ID."),
        description="One report job, with its live progress; null when it does not exist or is not yours.",
    )

    @staticmethod
    @permission_required(Permission.GENERATE_REPORTS)
    def resolve_report_jobs(root, info, **kwargs):
        return visible(ReportJob, require_viewer(info))

    @staticmethod
    @permission_required(Permission.GENERATE_REPORTS)
    def resolve_report_job(root, info, id):
        return visible_or_none(ReportJob, require_viewer(info), id, "ReportJob")


class ExportMutations(DisclosureMutations, graphene.ObjectType):
    report_generate = ReportGenerate.Field(description=ReportGenerate.__doc__)
    data_export_generate = DataExportGenerate.Field(description=DataExportGenerate.__doc__)
