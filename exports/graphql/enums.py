"""Enums of the reports API."""

import graphene

from exports.models import DisclosureFramework, ReportKind, ReportScope, ReportStatus

ReportKindEnum = graphene.Enum.from_enum(ReportKind, description=lambda v: v.label if v else "A kind of report.")
ReportScopeEnum = graphene.Enum.from_enum(ReportScope, description=lambda v: v.label if v else "What a report covers.")
ReportStatusEnum = graphene.Enum.from_enum(ReportStatus, description=lambda v: v.label if v else "Where a report job stands.")
DisclosureFrameworkEnum = graphene.Enum.from_enum(
    DisclosureFramework, description=lambda v: v.label if v else "A disclosure framework a company reports under.")


class ReportErrorCode(graphene.Enum):
    """Why a reports mutation was refused."""

    INVALID = "invalid"
    NOT_FOUND = "not_found"

    @property
    def description(self):
        if self == ReportErrorCode.NOT_FOUND:
            return "The supplier or site does not exist or is not visible to you."
        return "A value is not acceptable (the message says which and why)."
