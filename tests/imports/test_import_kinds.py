"""The registry of import kinds: every kind has one importer, whose organizations are those its permission admits,
and every importer plans through the same protocol (start → open → plan)."""

import pytest

from backend.models import OrganizationKind, Role
from backend.permissions import Permission
from backend.tenancy import Viewer
from imports import columns
from imports.models import Kind
from imports.services.kinds import IMPORT_KINDS, Collected, importer_for, planned_whole
from imports.services.plan import Plan
from imports.services.validation import ReadRows

IMPORTS_OF = {OrganizationKind.COMPANY: Kind.SUPPLY_MAP, OrganizationKind.AUDIT_FIRM: Kind.FINDINGS,
              OrganizationKind.WORKERS_ORG: Kind.GRIEVANCES}


def test_every_kind_has_one_importer_with_its_columns_and_limits():
    assert set(IMPORT_KINDS) == set(Kind.values)
    for kind, importer in IMPORT_KINDS.items():
        assert importer.kind == kind and importer.columns.key == kind
        assert importer.limits.max_rows > 0


@pytest.mark.parametrize("organization_kind", sorted(IMPORTS_OF))
def test_each_organization_imports_its_own_kind_and_is_refused_the_others_naming_who_imports_them(
        make_org, make_user, organization_kind):
    organization = make_org(f"Org {organization_kind}", organization_kind)
    viewer = Viewer.of(make_user(organization, Role.ANALYST))
    assert importer_for(viewer, IMPORTS_OF[organization_kind]).kind == IMPORTS_OF[organization_kind]
    for kind in set(Kind.values) - {IMPORTS_OF[organization_kind]}:
        with pytest.raises(Exception) as refused:
            importer_for(viewer, kind)
        [error] = refused.value.error_dict["kind"]
        assert error.code == "kind_not_allowed"
        assert error.message.startswith(f"Only {IMPORT_KINDS[kind].importers} import ")


def test_an_unknown_kind_is_invalid_naming_the_kinds(analyst):
    with pytest.raises(Exception) as refused:
        importer_for(Viewer.of(analyst), "payroll")
    [error] = refused.value.error_dict["kind"]
    assert error.code == "invalid" and "supply_map" in error.message


def test_who_imports_a_kind_is_what_its_permission_admits(make_org):
    for organization_kind, kind in IMPORTS_OF.items():
        organization = make_org(f"Org {organization_kind}", organization_kind)
        admitted = {k for k, importer in IMPORT_KINDS.items() if importer.permission.admits(organization)}
        assert admitted == {kind}
        assert Permission.IMPORT_DATA.admits(organization)  # and the role any import needs is open to all


class Planned(Plan):
    records = 0


def test_a_kind_planned_whole_collects_its_rows_then_plans_them_at_once_and_lets_them_go(analyst):
    seen = []

    def planner(read, viewer, progress):
        seen.append((list(read.rows), viewer, progress))
        return Planned()

    viewer = Viewer.of(analyst)
    intake = planned_whole(planner)(viewer)
    assert isinstance(intake, Collected)
    read = ReadRows(kind=columns.KINDS[Kind.SUPPLY_MAP], header=[], mapping=None, rows=[], log=None)
    sink = intake.open(read)
    sink(("row", 2))
    sink(("row", 3))
    plan = intake.plan(read, "progress")
    assert isinstance(plan, Planned)
    assert seen == [([("row", 2), ("row", 3)], viewer, "progress")]
    assert read.rows == []  # the plan holds what it needs; the write that follows does not keep them too
