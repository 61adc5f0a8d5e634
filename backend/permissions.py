"""What each operation needs: the declared permissions, checked once at the entry of every operation.

The GraphQL layer checks them through its decorators and mutation base class (backend/graphql/permissions.py),
views and management commands through `Permission.allows`; services take an already-checked viewer.
"""

from enum import Enum

from backend.models import OrganizationKind, Role
from backend.tenancy import Viewer

ALL_KINDS = frozenset(OrganizationKind)


class Permission(Enum):
    """What an operation needs: the organization kinds allowed and the minimum role."""

    READ = (ALL_KINDS, Role.VIEWER)
    MANAGE_NETWORK = (frozenset({OrganizationKind.COMPANY}), Role.ANALYST)
    MANAGE_AUDITS = (frozenset({OrganizationKind.AUDIT_FIRM}), Role.ANALYST)
    FILE_GRIEVANCES = (frozenset({OrganizationKind.WORKERS_ORG}), Role.ANALYST)
    MANAGE_REMEDIATION = (frozenset({OrganizationKind.COMPANY, OrganizationKind.AUDIT_FIRM}), Role.ANALYST)
    READ_NETWORK = (frozenset({OrganizationKind.COMPANY}), Role.VIEWER)
    # Audits app. Members with the same value as another are Python enum aliases: named for what they guard.
    ASSIGN_AUDITS = (frozenset({OrganizationKind.COMPANY}), Role.ANALYST)
    WORK_GRIEVANCES = (frozenset({OrganizationKind.COMPANY}), Role.ANALYST)
    VERIFY_REMEDIATION = (frozenset({OrganizationKind.COMPANY, OrganizationKind.AUDIT_FIRM}), Role.ANALYST)
    MAKE_REFERRALS = (ALL_KINDS, Role.ANALYST)
    # Outcomes of corrective actions: the organizations that plan and verify them (a workers' organization has none).
    READ_OUTCOMES = (frozenset({OrganizationKind.COMPANY, OrganizationKind.AUDIT_FIRM}), Role.VIEWER)
    # An organization's admins set the deadlines its own handling is measured against: the grievance clock (a
    # company for the grievances routed to it, a workers' organization for those it files) and the default due
    # dates of corrective actions on findings.
    SET_GRIEVANCE_CLOCK = (frozenset({OrganizationKind.COMPANY, OrganizationKind.WORKERS_ORG}), Role.ADMIN)
    SET_REMEDIATION_DEADLINES = (frozenset({OrganizationKind.COMPANY, OrganizationKind.AUDIT_FIRM}), Role.ADMIN)
    # Imports: any organization's analysts upload; which kinds of file each kind of organization may import
    # is a rule of the imports service (imports/services/kinds.py: a company imports supply maps, an audit firm
    # findings…).
    IMPORT_DATA = (ALL_KINDS, Role.ANALYST)
    # Reports (exports/reports/): a company's analysts and admins generate and download its reports.
    GENERATE_REPORTS = (frozenset({OrganizationKind.COMPANY}), Role.ANALYST)
    # A company's admins record who approved and signed its disclosure statements (exports/reports/statements.py).
    APPROVE_DISCLOSURES = (frozenset({OrganizationKind.COMPANY}), Role.ADMIN)
    # Accounts: an organization's admins invite its people, change their roles, deactivate them, revoke tokens.
    MANAGE_PEOPLE = (ALL_KINDS, Role.ADMIN)

    def allows(self, viewer: Viewer) -> bool:
        """Whether the viewer's organization is of an allowed kind and its user holds the minimum role."""
        return self.admits(viewer.organization) and viewer.user.has_role(self.value[1])

    def admits(self, organization) -> bool:
        """Whether an organization of this kind may perform the operation at all (whatever its user's role)."""
        return organization.kind in self.value[0]
