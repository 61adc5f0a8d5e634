"""Company B's admin reads and changes nothing of company A's people, tokens or history, through any accounts
root field; A's IDs give B the same NOT_FOUND as IDs that do not exist.

QUERY_PROBES and MUTATION_PROBES are collected by tests/graph/test_tenancy.py (files named *_probes.py), which
checks that every root field has a probe. MUTATION_PROBES: field → (mutation, code B gets, None when the
mutation succeeds on B's own organization). Variables are A's IDs.
"""

import pytest
from django.test import Client
from graphql_relay import to_global_id

from backend.models import AccountEvent, ApiToken, Invitation, Role, User

SECRET = "a-secret"

QUERY_PROBES = {
    "organizationMembers": "{ organizationMembers(first: 100) { totalCount edges { node { id email name } } } }",
    "organizationTokens": "{ organizationTokens(first: 100) { totalCount edges { node { id name prefix member { email } } } } }",
    "accountHistory": "{ accountHistory(first: 100) { totalCount edges { node { kind detail actor { email } subject { email } } } } }",
}

MUTATION_PROBES = {
    "inviteMember": ('mutation { inviteMember(email: "new@b.example", role: ADMIN) { member { email } errors { code } } }', None),
    "changeMemberRole": ("mutation($analyst: ID!) { changeMemberRole(id: $analyst, role: ADMIN) { member { email } errors { field code } } }", "NOT_FOUND"),
    "deactivateMember": ("mutation($analyst: ID!) { deactivateMember(id: $analyst) { member { email } errors { field code } } }", "NOT_FOUND"),
    "reactivateMember": ("mutation($departed: ID!) { reactivateMember(id: $departed) { member { email } errors { field code } } }", "NOT_FOUND"),
    "revokeToken": ("mutation($token: ID!) { revokeToken(id: $token) { token { name } errors { field code } } }", "NOT_FOUND"),
    "createMyToken": ('mutation { createMyToken(name: "mine") { token { member { email } } errors { code } } }', None),
}


@pytest.fixture
def a_people(company, make_user, api):
    """Company A's admin, analyst and departed member, all named with SECRET, a token and some history."""
    admin, analyst, departed = (make_user(company, role) for role in (Role.ADMIN, Role.ANALYST, Role.VIEWER))
    for user in (admin, analyst, departed):
        user.email = f"{user.username}@{SECRET}.example"
        user.set_password("a long enough passphrase")
        user.save()
    token, _ = ApiToken.issue(analyst, f"{SECRET} laptop")
    client = api(admin)
    client.data("mutation($id: ID!) { deactivateMember(id: $id) { errors { code } } }",
                {"id": to_global_id("Member", departed.pk)})
    client.data("mutation($id: ID!) { changeMemberRole(id: $id, role: VIEWER) { errors { code } } }",
                {"id": to_global_id("Member", analyst.pk)})
    client.data(f'mutation {{ inviteMember(email: "bea@{SECRET}.example", role: VIEWER) {{ errors {{ code }} }} }}')
    return {"admin": admin, "ids": {
        "analyst": to_global_id("Member", analyst.pk), "departed": to_global_id("Member", departed.pk),
        "token": to_global_id("ApiToken", token.pk),
    }}


@pytest.fixture
def b_admin(other_company, make_user):
    return make_user(other_company, Role.ADMIN)


def run(user, query: str, ids: dict) -> dict:
    _, raw = ApiToken.issue(user, "probe")
    variables = {name: value for name, value in ids.items() if f"${name}" in query}
    return Client().post("/graphql/", {"query": query, "variables": variables}, content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {raw}").json()


def a_rows(company) -> tuple:
    return (
        list(User.objects.filter(organization=company).order_by("pk").values()),
        list(ApiToken.objects.filter(user__organization=company).order_by("pk").values("pk", "revoked_at")),
        list(Invitation.objects.filter(organization=company).order_by("pk").values()),
        list(AccountEvent.objects.filter(organization=company).order_by("pk").values()),
    )


@pytest.mark.parametrize("field", sorted(QUERY_PROBES))
def test_company_bs_admin_reads_nothing_of_company_a(b_admin, a_people, field):
    text = str(run(b_admin, QUERY_PROBES[field], a_people["ids"]))
    assert SECRET not in text
    assert not any(global_id in text for global_id in a_people["ids"].values())


def test_the_read_probes_do_see_company_a_as_company_a(a_people):
    seen = {field for field, query in QUERY_PROBES.items() if SECRET in str(run(a_people["admin"], query, {}))}
    assert seen == set(QUERY_PROBES)


@pytest.mark.parametrize("field", sorted(MUTATION_PROBES))
def test_company_bs_admin_changes_nothing_of_company_a(company, b_admin, a_people, field):
    before = a_rows(company)
    query, expected_code = MUTATION_PROBES[field]

    result = run(b_admin, query, a_people["ids"])

    assert a_rows(company) == before
    assert SECRET not in str(result)
    errors = result["data"][field]["errors"]
    if expected_code:
        assert (errors[0]["field"], errors[0]["code"]) == ("id", expected_code)
    else:
        assert errors == []


@pytest.mark.parametrize("field", sorted(field for field, (_, code) in MUTATION_PROBES.items() if code))
def test_the_mutation_probes_do_work_for_company_a(company, a_people, field):
    """Run as A's admin the same mutations succeed: B's NOT_FOUND is tenancy, not a broken probe."""
    query, _ = MUTATION_PROBES[field]
    result = run(a_people["admin"], query, a_people["ids"])
    assert result["data"][field]["errors"] == [], result
