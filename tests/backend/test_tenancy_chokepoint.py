"""No read outside the models restates tenancy by hand: services, resolvers, loaders and commands ask
backend/tenancy.py (`visible()`, `owned()`) or an owner's related manager (`organization.users`).

An enumeration over the source, like the tenancy probes over the schema: a new `.filter(company=org)` in a service
fails here, so the rule of who sees or owns what stays written once, in each model's queryset.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("backend", "graph", "audits", "imports", "exports")

# A lookup on the column that says which organization a row belongs to (`company`, `organization_id`,
# `job__organization`, `finding__audit_firm`, ...).
OWNER_LOOKUP = re.compile(r"^(?:\w+__)?(?:company|organization|audit_firm|registered_by)(?:_id)?(?:__\w+)?$")
# Calls that read or narrow rows; a write that stamps its owner (`create(company=viewer.organization)`) is fine.
READS = frozenset({
    "Q", "filter", "exclude", "get", "first", "exists", "count", "in_bulk", "update", "delete", "values", "values_list",
})
# Names an organization goes by in this code base; `company` alone is not among them, since a company is also
# the counterparty of an audit firm's share or the subject of a risk computation, which are not tenancy.
ORGANIZATION_NAMES = frozenset({"organization", "org"})

# Where the rules themselves live (each model's `visible_to`/`owned_by`) and the chokepoint.
RULES = ("backend/tenancy.py",)


def names_an_organization(value: ast.expr) -> bool:
    """`viewer.organization`, `job.organization_id`, `organization`, `org`: the requester's own organization."""
    if isinstance(value, ast.Attribute):
        return value.attr in ("organization", "organization_id")
    return isinstance(value, ast.Name) and value.id in ORGANIZATION_NAMES


def called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return getattr(call.func, "id", None)


def hand_written_tenancy(source: str) -> list[str]:
    """Each read call of `source` that filters on an owner column by the requester's organization."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and called_name(node) in READS:
            for keyword in node.keywords:
                if keyword.arg and OWNER_LOOKUP.match(keyword.arg) and names_an_organization(keyword.value):
                    found.append(f"line {node.lineno}: {called_name(node)}({keyword.arg}={ast.unparse(keyword.value)})")
    return found


def checked_modules() -> list[Path]:
    """Every module of the apps except migrations, models (where the rules are written) and the chokepoint."""
    modules = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts or "models" in relative.parts or relative.stem == "models":
                continue
            if relative.as_posix() in RULES:
                continue
            modules.append(path)
    return modules


def test_the_scan_sees_what_it_must_refuse():
    assert hand_written_tenancy("NetworkSite.objects.filter(company=viewer.organization, site=site)")
    assert hand_written_tenancy("User.objects.filter(organization=org).in_bulk(keys)")
    assert hand_written_tenancy("Q(job__organization=self.viewer.organization)")
    assert not hand_written_tenancy("owned(NetworkSite, viewer).filter(site=site)")
    assert not hand_written_tenancy("SupplyLink.objects.create(company=viewer.organization, upstream=site)")
    assert not hand_written_tenancy("Share.objects.active().filter(company=company, audit=audit)")


def test_the_scan_covers_the_services_resolvers_and_loaders():
    checked = {path.relative_to(ROOT).as_posix() for path in checked_modules()}
    assert {"graph/services/registry.py", "graph/graphql/sorters.py", "audits/graphql/dataloaders.py"} <= checked


@pytest.mark.parametrize("path", checked_modules(), ids=lambda path: path.relative_to(ROOT).as_posix())
def test_no_hand_written_tenancy(path):
    assert hand_written_tenancy(path.read_text()) == [], (
        f"{path.relative_to(ROOT)} filters by organization by hand; use backend.tenancy.visible() or owned()"
    )
