"""Declared permissions: an organization of an allowed kind is admitted, and its user must hold the minimum role."""

import ast
from pathlib import Path

import pytest

from backend.models import OrganizationKind, Role
from backend.permissions import Permission
from backend.tenancy import Viewer


@pytest.mark.parametrize("role, allowed", [(Role.VIEWER, False), (Role.ANALYST, True), (Role.ADMIN, True)])
def test_a_permission_allows_an_admitted_organizations_users_from_its_minimum_role(make_org, make_user, role, allowed):
    company = make_org("Company P", OrganizationKind.COMPANY)
    viewer = Viewer.of(make_user(company, role))
    assert Permission.MANAGE_NETWORK.admits(company)
    assert Permission.MANAGE_NETWORK.allows(viewer) is allowed


def test_an_organization_of_another_kind_is_neither_admitted_nor_allowed_whatever_its_role(make_org, make_user):
    firm = make_org("Firm P", OrganizationKind.AUDIT_FIRM)
    viewer = Viewer.of(make_user(firm, Role.ADMIN))
    assert not Permission.MANAGE_NETWORK.admits(firm)
    assert not Permission.MANAGE_NETWORK.allows(viewer)
    assert Permission.MANAGE_AUDITS.allows(viewer)


def test_the_permissions_need_no_graphql():
    # services and views use them: they must not bring in the GraphQL packages
    import backend.permissions

    tree = ast.parse(Path(backend.permissions.__file__).read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not {name for name in imported if name.split(".")[0] in ("graphql", "graphene", "graphene_django")}
    assert not {name for name in imported if name.startswith("backend.graphql")}
