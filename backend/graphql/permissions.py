"""Declarative permissions in GraphQL: each mutation and protected field names what it needs (a Permission of
backend/permissions.py); the base classes and `permission_required` check it, once, before resolving."""

from functools import wraps

from graphql import GraphQLError

from backend.permissions import Permission
from backend.tenancy import Viewer, viewer_of_request


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
