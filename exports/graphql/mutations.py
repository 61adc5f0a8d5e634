"""reportGenerate."""

import graphene

from backend.graphql.errors import error_type
from backend.graphql.ids import decode_id
from backend.graphql.mutations import BaseMutation
from backend.permissions import Permission
from exports.graphql.enums import DisclosureFrameworkEnum, ReportErrorCode, ReportKindEnum, ReportScopeEnum
from exports.graphql.types import ReportJobType
from exports.models import ReportScope
from exports.reports import jobs, parameters
from exports.reports.parameters import MAX_PERIOD_DAYS

ReportError = error_type("ReportError", ReportErrorCode, "reports")


class ReportGenerate(BaseMutation):
    """Ask for a report of your company, or of one supplier or site, over a period; a worker generates it. Follow
    the job's status and progress with `reportJob`, then download it from its `downloadUrl`. A disclosure report
    (kind DISCLOSURE, or DISCLOSURE_WORKBOOK for its figures as a workbook) covers the whole company in the framework
    you name; the EU_FLR evidence pack also names its commodity."""

    job = graphene.Field(ReportJobType, description="The queued job, when the request was accepted.")

    class Arguments:
        kind = ReportKindEnum(required=True, description="Which report.")
        scope = ReportScopeEnum(default_value=ReportScope.COMPANY.value, description="What it covers (default the whole company).")
        scope_id = graphene.ID(description="The supplier's or site's ID, when scope is SUPPLIER or SITE.")
        period_from = graphene.Date(description="First day of the period (default 1 January of this year).")
        period_to = graphene.Date(description=f"Last day of the period, inclusive (default today; at most {MAX_PERIOD_DAYS} days after periodFrom).")
        framework = DisclosureFrameworkEnum(description="The framework of a disclosure report (its kinds only).")
        commodity = graphene.String(description="The commodity code of an EU_FLR evidence pack (commodities query).")

    class Meta:
        permissions = (Permission.GENERATE_REPORTS,)
        error_type_class = ReportError

    @classmethod
    def perform(cls, info, viewer, kind, scope=ReportScope.COMPANY.value, scope_id=None, period_from=None,
                period_to=None, framework=None, commodity=None):
        pk = None
        if scope != ReportScope.COMPANY and scope_id is not None:
            pk = decode_id(scope_id, "Supplier" if scope == ReportScope.SUPPLIER else "Site", "scope_id")
        checked = parameters.checked(viewer, scope, pk, period_from, period_to)
        checked = parameters.with_framework(checked, kind in jobs.DISCLOSURE_KINDS, framework, commodity)
        return cls(job=jobs.create_job(viewer, kind, checked), errors=[])
