"""Outsiders of every kind read and change nothing of the audits world, through any audits root field; and
every audits operation refuses a viewer-role user and an organization of the wrong kind.

The probes live in audits_probes.py; tests/graph/test_tenancy.py checks that every root field has one.
"""

import pytest
from django.apps import apps
from graphene.utils.str_converters import to_snake_case

from audits_probes import MUTATION_PROBES, QUERY_PROBES
from backend.models import Role
from backend.permissions import Permission
from backend.schema import Mutation
from graph.models import NetworkSite, SiteGrant
from support.audits_world import REPORTER_CONTACT, REPORTER_NAME, SECRET

OUTSIDER = {"company": "b", "audit_firm": "g", "workers_org": "w2"}
MEMBER = {"company": "a", "audit_firm": "f", "workers_org": "w"}
PRIVATE_IDS = ("audit", "finding", "desk", "grievance", "action", "finding_action", "referral", "assignment")


def variables(query: str, ids: dict) -> dict:
    return {name: value for name, value in ids.items() if f"${name}" in query}


def declared_permissions(field: str):
    return Mutation._meta.fields[to_snake_case(field)].type._meta.permissions


def for_admins(field: str) -> bool:
    """Whether the mutation is for admins only (then the outsider is an admin, and a member's analyst is denied)."""
    return any(permission.value[1] == Role.ADMIN for permission in declared_permissions(field))


def all_rows():
    """Every row of the audits app, plus the site grants and network entries, to compare before and after."""
    tables = [model for model in apps.get_app_config("audits").get_models()] + [SiteGrant, NetworkSite]
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in tables}


@pytest.mark.parametrize("outsider", sorted(OUTSIDER.values()))
@pytest.mark.parametrize("field", sorted(QUERY_PROBES))
def test_outsiders_read_nothing(api, full_world, field, outsider):
    query = QUERY_PROBES[field]
    result = api(full_world.users[outsider])(query, variables(query, full_world.ids))
    text = str(result)
    assert SECRET not in text and REPORTER_NAME not in text and REPORTER_CONTACT not in text
    for name in PRIVATE_IDS:
        assert full_world.ids[name] not in text


def test_the_read_probes_see_the_world_as_its_members(api, full_world):
    """The read probes are able to fail: run as A, F and W they return the world's secrets."""
    seen = set()
    for member in ("a", "f", "w"):
        client = api(full_world.users[member])
        seen |= {f for f, q in QUERY_PROBES.items() if SECRET in str(client(q, variables(q, full_world.ids)))}
    assert {"audits", "findings", "grievances", "correctiveActions", "referrals", "audit", "finding", "grievance",
            "correctiveAction", "referral"} <= seen


@pytest.mark.parametrize("field", sorted(MUTATION_PROBES))
def test_outsiders_change_nothing(api, full_world, field):
    query, kind, expected_code = MUTATION_PROBES[field]
    before = all_rows()
    outsider = OUTSIDER[kind] + ("_admin" if for_admins(field) else "")
    result = api(full_world.users[outsider])(query, variables(query, full_world.ids))
    assert not result.get("errors"), result
    assert result["data"][field]["errors"][0]["code"] == expected_code
    assert all_rows() == before
    assert SECRET not in str(result) and REPORTER_NAME not in str(result)


@pytest.mark.parametrize("field", sorted(MUTATION_PROBES))
def test_viewers_and_wrong_kinds_are_denied(api, full_world, field):
    query, kind, _ = MUTATION_PROBES[field]
    allowed_kinds = set.intersection(*(set(permission.value[0]) for permission in declared_permissions(field)))
    assert kind in allowed_kinds
    callers = [f"{MEMBER[kind]}_viewer"] + [member for k, member in MEMBER.items() if k not in allowed_kinds]
    if for_admins(field):
        callers += [MEMBER[kind]] + [f"{member}_admin" for k, member in MEMBER.items() if k not in allowed_kinds]
    before = all_rows()
    for caller in callers:
        result = api(full_world.users[caller])(query, variables(query, full_world.ids))
        assert result["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED", (caller, result)
        assert result["data"][field] is None
    assert all_rows() == before


def test_every_audits_mutation_declares_its_permissions():
    for field in MUTATION_PROBES:
        assert declared_permissions(field), field
    assert declared_permissions("referralCreate") == (Permission.MAKE_REFERRALS,)


NODE = "query($id: ID!) { node(id: $id) { id } }"


def test_node_lookups_give_outsiders_nothing(api, full_world):
    for outsider in OUTSIDER.values():
        client = api(full_world.users[outsider])
        for name in PRIVATE_IDS:
            assert client.data(NODE, {"id": full_world.ids[name]})["node"] is None, (outsider, name)
    insider = api(full_world.users["a"])
    for name in ("audit", "finding", "grievance", "action", "referral", "assignment"):
        assert insider.data(NODE, {"id": full_world.ids[name]})["node"] == {"id": full_world.ids[name]}, name
    assert insider.data(NODE, {"id": full_world.ids["desk"]})["node"] is None  # the desk finding is not shared
