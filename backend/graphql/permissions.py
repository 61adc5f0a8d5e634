"""Declarative permissions: each mutation and protected field names what it needs; the base classes check it."""

from enum import Enum
from functools import wraps

from graphql import GraphQLError

from backend.models import OrganizationKind, Role
from backend.tenancy import Viewer, viewer_of_request

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
    # Imports: any organization's analysts upload; which kinds of file each kind of organization may import
    # is a rule of the imports service (a company imports supply maps, an audit firm findings…).
    IMPORT_DATA = (ALL_KINDS, Role.ANALYST)

    def allows(self, viewer: Viewer) -> bool:
        kinds, minimum_role = self.value
        return viewer.organization.kind in kinds and viewer.user.has_role(minimum_role)


class PermissionDenied(GraphQLError):
    def __init__(self, message: str = "You do not have permission to perform this action."):
        super().__init__(message, extensions={"code": "PERMISSION_DENIED"})


class NotAuthenticated(GraphQLError):
    def __init__(self):
        super().__init__(
            "Authentication required: send 'Authorization: Bearer <token>' or log in at /accounts/login/.",
            extensions={"code": "UNAUTHENTICATED"},
        )


def require_viewer(info) -> Viewer:
    """The request's viewer, or a top-level UNAUTHENTICATED error."""
    viewer = viewer_of_request(info.context)
    if viewer is None:
        raise NotAuthenticated()
    return viewer


def check_permissions(viewer: Viewer, permissions) -> None:
    """Raise PERMISSION_DENIED unless the viewer holds every permission."""
    for permission in permissions:
        if not permission.allows(viewer):
            raise PermissionDenied()


def permission_required(*permissions: Permission):
    """Decorate a resolver `(root, info, **kwargs)`: check the permissions before resolving."""

    def decorator(resolver):
        @wraps(resolver)
        def wrapper(root, info, *args, **kwargs):
            check_permissions(require_viewer(info), permissions)
            return resolver(root, info, *args, **kwargs)

        wrapper.permissions = permissions
        return wrapper

    return decorator
