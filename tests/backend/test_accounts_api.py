"""An organization's admins manage its people over GraphQL: invite, change roles, deactivate and reactivate,
list and revoke tokens, read the history. Analysts and viewers may not; the last active admin stays one."""

import json

import pytest
from django.core import mail
from django.test import Client
from graphql_relay import to_global_id

from backend.models import AccountEvent, AccountEventKind, ApiToken, Invitation, Role, User

INVITE = """mutation($email: String!, $role: Role!) { inviteMember(email: $email, role: $role) {
    member { id email role isActive invitationPending } errors { field code message } } }"""
CHANGE_ROLE = """mutation($id: ID!, $role: Role!) { changeMemberRole(id: $id, role: $role) {
    member { id role } errors { field code message } } }"""
DEACTIVATE = "mutation($id: ID!) { deactivateMember(id: $id) { member { id isActive } errors { field code } } }"
REACTIVATE = "mutation($id: ID!) { reactivateMember(id: $id) { member { id isActive } errors { field code } } }"
REVOKE = "mutation($id: ID!) { revokeToken(id: $id) { token { prefix revokedAt } errors { field code } } }"
CREATE_MY_TOKEN = """mutation($name: String!) { createMyToken(name: $name) { secret token { prefix member { email } }
    errors { field code } } }"""
MEMBERS = """{ organizationMembers(first: 100) { totalCount edges { node { id email name role isActive
    invitationPending lastLogin } } } }"""
TOKENS = """query($revoked: Boolean) { organizationTokens(first: 100, revoked: $revoked) { totalCount
    edges { node { id name prefix lastUsedAt revokedAt member { email } } } } }"""
HISTORY = """{ accountHistory(first: 100) { totalCount edges { node { kind at detail actor { email }
    subject { email } } } } }"""
ME = "{ me { username } }"


@pytest.fixture
def admin(company, make_user):
    return make_user(company, Role.ADMIN)


def member_id(user: User) -> str:
    return to_global_id("Member", user.pk)


def token_of(user: User) -> tuple[ApiToken, str]:
    return ApiToken.issue(user, "laptop")


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def me_status(raw: str) -> int:
    return Client().post("/graphql/", {"query": ME}, content_type="application/json", **bearer(raw)).status_code


def test_an_admin_invites_a_colleague_who_gets_a_link_by_mail(api, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = api(admin).data(INVITE, {"email": " Bea@Example.ORG ", "role": "ANALYST"})["inviteMember"]

    assert result["errors"] == []
    assert result["member"] == {"id": result["member"]["id"], "email": "bea@example.org", "role": "ANALYST",
                                "isActive": False, "invitationPending": True}
    bea = User.objects.get(username="bea@example.org")
    assert bea.organization == admin.organization
    [message] = mail.outbox
    assert message.to == ["bea@example.org"]
    assert "/accounts/invitation/" in message.body
    event = AccountEvent.objects.get(kind=AccountEventKind.MEMBER_INVITED)
    assert (event.actor, event.subject, event.detail) == (admin, bea, {"role": "analyst"})


def test_inviting_again_replaces_the_link(api, admin):
    client = api(admin)
    client.data(INVITE, {"email": "bea@example.org", "role": "VIEWER"})
    client.data(INVITE, {"email": "bea@example.org", "role": "ANALYST"})

    invitations = Invitation.objects.filter(user__username="bea@example.org").order_by("pk")
    assert [i.withdrawn_at is None for i in invitations] == [False, True]
    assert User.objects.get(username="bea@example.org").role == Role.ANALYST


@pytest.mark.parametrize("email, code", [("not-an-address", "INVALID_EMAIL"), ("", "INVALID_EMAIL")])
def test_a_bad_address_is_refused_naming_the_field(api, admin, email, code):
    result = api(admin).data(INVITE, {"email": email, "role": "VIEWER"})["inviteMember"]
    assert (result["errors"][0]["field"], result["errors"][0]["code"]) == ("email", code)
    assert not Invitation.objects.exists()


def test_a_member_or_someone_elses_address_is_refused(api, admin, other_company):
    admin.username = admin.email = "ana@example.org"
    admin.set_password("a long enough passphrase")  # she accepted her invitation
    admin.save()
    User.objects.create_user("carl@example.org", "carl@example.org", "x" * 12, organization=other_company)
    client = api(admin)
    mine = client.data(INVITE, {"email": admin.username, "role": "VIEWER"})["inviteMember"]["errors"]
    theirs = client.data(INVITE, {"email": "carl@example.org", "role": "VIEWER"})["inviteMember"]["errors"]
    assert mine[0]["code"] == "ALREADY_MEMBER"
    assert theirs[0]["code"] == "EMAIL_TAKEN"
    assert User.objects.get(username="carl@example.org").organization == other_company


def test_an_admin_changes_a_role_and_it_is_in_the_history(api, admin, analyst):
    result = api(admin).data(CHANGE_ROLE, {"id": member_id(analyst), "role": "VIEWER"})["changeMemberRole"]

    assert result == {"member": {"id": member_id(analyst), "role": "VIEWER"}, "errors": []}
    analyst.refresh_from_db()
    assert analyst.role == Role.VIEWER
    history = api(admin).data(HISTORY)["accountHistory"]["edges"]
    assert history[0]["node"]["kind"] == "ROLE_CHANGED"
    assert json.loads(history[0]["node"]["detail"]) == {"oldRole": "analyst", "newRole": "viewer"}


def test_the_last_admin_can_be_neither_demoted_nor_deactivated(api, admin, analyst):
    client = api(admin)
    demoted = client.data(CHANGE_ROLE, {"id": member_id(admin), "role": "ANALYST"})["changeMemberRole"]
    deactivated = client.data(DEACTIVATE, {"id": member_id(admin)})["deactivateMember"]

    assert (demoted["errors"][0]["field"], demoted["errors"][0]["code"]) == ("id", "LAST_ADMIN")
    assert deactivated["errors"][0]["code"] == "LAST_ADMIN"
    admin.refresh_from_db()
    assert (admin.role, admin.is_active) == (Role.ADMIN, True)
    assert not AccountEvent.objects.exists()


def test_with_a_second_admin_the_first_may_step_down(api, admin, analyst):
    client = api(admin)
    client.data(CHANGE_ROLE, {"id": member_id(analyst), "role": "ADMIN"})
    result = client.data(CHANGE_ROLE, {"id": member_id(admin), "role": "VIEWER"})["changeMemberRole"]
    assert result["errors"] == []
    assert User.objects.filter(organization=admin.organization, role=Role.ADMIN).get() == analyst


def test_a_deactivated_member_is_refused_at_once_and_can_come_back(api, admin, analyst):
    _, raw = token_of(analyst)
    assert me_status(raw) == 200

    result = api(admin).data(DEACTIVATE, {"id": member_id(analyst)})["deactivateMember"]

    assert result == {"member": {"id": member_id(analyst), "isActive": False}, "errors": []}
    assert me_status(raw) == 401
    analyst.refresh_from_db()
    analyst.set_password("a long enough passphrase")
    analyst.save(update_fields=["password"])
    assert api(admin).data(REACTIVATE, {"id": member_id(analyst)})["reactivateMember"]["errors"] == []
    assert me_status(raw) == 200
    kinds = list(AccountEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == [AccountEventKind.MEMBER_DEACTIVATED, AccountEventKind.MEMBER_REACTIVATED]


def test_deactivating_an_invited_person_withdraws_their_link(api, admin):
    client = api(admin)
    bea = client.data(INVITE, {"email": "bea@example.org", "role": "VIEWER"})["inviteMember"]["member"]
    client.data(DEACTIVATE, {"id": bea["id"]})
    assert not Invitation.objects.open().exists()
    refused = client.data(REACTIVATE, {"id": bea["id"]})["reactivateMember"]["errors"]
    assert refused[0]["code"] == "INVITATION_PENDING"


def test_an_admin_lists_and_revokes_the_organizations_tokens(api, admin, analyst):
    token, raw = token_of(analyst)
    assert me_status(raw) == 200
    client = api(admin)

    listed = client.data(TOKENS, {"revoked": False})["organizationTokens"]
    mine = [edge["node"] for edge in listed["edges"] if edge["node"]["prefix"] == token.key_prefix]
    assert mine[0]["member"]["email"] == analyst.email and mine[0]["lastUsedAt"] is not None
    revoked = client.data(REVOKE, {"id": mine[0]["id"]})["revokeToken"]

    assert revoked["errors"] == [] and revoked["token"]["revokedAt"] is not None
    assert me_status(raw) == 401
    assert [e["node"]["prefix"] for e in client.data(TOKENS, {"revoked": True})["organizationTokens"]["edges"]] == [
        token.key_prefix
    ]
    event = AccountEvent.objects.get(kind=AccountEventKind.TOKEN_REVOKED)
    assert (event.actor, event.subject, event.detail) == (admin, analyst, {"token": token.key_prefix, "name": "laptop"})


def test_any_member_creates_a_token_for_themselves(api, viewer_user):
    result = api(viewer_user).data(CREATE_MY_TOKEN, {"name": "notebook"})["createMyToken"]
    assert result["errors"] == []
    assert me_status(result["secret"]) == 200
    assert AccountEvent.objects.get(kind=AccountEventKind.TOKEN_ISSUED).subject == viewer_user
    blank = api(viewer_user).data(CREATE_MY_TOKEN, {"name": "  "})["createMyToken"]["errors"]
    assert (blank[0]["field"], blank[0]["code"]) == ("name", "INVALID")


def test_every_member_lists_the_organizations_people(api, admin, viewer_user, other_analyst):
    listed = {edge["node"]["id"] for edge in api(viewer_user).data(MEMBERS)["organizationMembers"]["edges"]}
    assert listed == {member_id(admin), member_id(viewer_user)}


ADMIN_ONLY = {
    "inviteMember": (INVITE, lambda people: {"email": "new@example.org", "role": "ADMIN"}),
    "changeMemberRole": (CHANGE_ROLE, lambda people: {"id": member_id(people["viewer"]), "role": "ADMIN"}),
    "deactivateMember": (DEACTIVATE, lambda people: {"id": member_id(people["admin"])}),
    "reactivateMember": (REACTIVATE, lambda people: {"id": member_id(people["admin"])}),
    "revokeToken": (REVOKE, lambda people: {"id": to_global_id("ApiToken", people["token"].pk)}),
    "organizationTokens": (TOKENS, lambda people: {}),
    "accountHistory": (HISTORY, lambda people: {}),
}


def revocations() -> list:
    return list(ApiToken.objects.order_by("pk").values_list("pk", "revoked_at"))


@pytest.mark.parametrize("role", [Role.ANALYST, Role.VIEWER])
@pytest.mark.parametrize("field", sorted(ADMIN_ONLY))
def test_analysts_and_viewers_may_not_manage_people(api, admin, company, make_user, role, field):
    people = {"admin": admin, "viewer": make_user(company, Role.VIEWER), "token": token_of(admin)[0]}
    member = people["viewer"] if role == Role.VIEWER else make_user(company, role)
    client = api(member)
    before = list(User.objects.order_by("pk").values()), revocations()
    query, variables = ADMIN_ONLY[field]

    result = client(query, variables(people))

    assert result["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert not (result.get("data") or {}).get(field)
    assert (list(User.objects.order_by("pk").values()), revocations()) == before
    assert not AccountEvent.objects.exists()
    assert not Invitation.objects.exists()


def test_the_member_and_token_lists_take_a_fixed_number_of_queries(api, admin, company, make_user,
                                                                   django_assert_num_queries):
    for role in (Role.ANALYST, Role.VIEWER):
        token_of(make_user(company, role))
    client = api(admin)
    client.data(CHANGE_ROLE, {"id": member_id(User.objects.get(role=Role.VIEWER)), "role": "ANALYST"})
    # authentication (token, its last use, the viewer's organization), then the count and the page
    with django_assert_num_queries(5):
        assert client.data(MEMBERS)["organizationMembers"]["totalCount"] == 3
    with django_assert_num_queries(5):
        assert client.data(TOKENS)["organizationTokens"]["totalCount"] == 3
    with django_assert_num_queries(5):
        assert client.data(HISTORY)["accountHistory"]["totalCount"] == 1
