"""From an empty database: `create_org` makes an organization and its admin, whose link works once and expires,
and whose --token works against /graphql/ at once; the invitation page sets the password."""

import json
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from backend.models import AccountEvent, AccountEventKind, ApiToken, Invitation, Organization, Role, User

LINK = re.compile(r"Invitation link \(works once\): (http://\S+)")
TOKEN = re.compile(r"\(shown only now\): (trb_\S+)")
PASSWORD = "river stones and cotton"


def create_org(*args: str) -> str:
    out = StringIO()
    call_command("create_org", *args, stdout=out)
    return out.getvalue()


def path_of(link: str) -> str:
    return link.removeprefix("http://127.0.0.1:8000")


def accept(client: Client, link: str, password: str = PASSWORD, again: str | None = None):
    return client.post(path_of(link), {"name": "Ana Souza", "password": password, "password_again": again or password})


@pytest.fixture
def acme(db, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        return create_org("Acme Textiles", "--kind", "company", "--admin", "Ana@Acme.example", "--country", "in",
                          "--token")


def test_create_org_makes_the_organization_and_its_admin(acme):
    org = Organization.objects.get()
    admin = User.objects.get()
    assert (org.name, org.kind, org.country) == ("Acme Textiles", "company", "IN")
    assert (admin.username, admin.email, admin.organization, admin.role) == (
        "ana@acme.example", "ana@acme.example", org, Role.ADMIN)
    assert not admin.has_usable_password()
    link = LINK.search(acme).group(1)
    assert link.startswith("http://127.0.0.1:8000/accounts/invitation/")
    assert link in mail.outbox[0].body and mail.outbox[0].to == ["ana@acme.example"]
    assert list(AccountEvent.objects.order_by("pk").values_list("kind", flat=True)) == [
        AccountEventKind.ORGANIZATION_CREATED, AccountEventKind.MEMBER_INVITED, AccountEventKind.TOKEN_ISSUED]


def test_the_token_works_against_the_api_at_once(acme):
    raw = TOKEN.search(acme).group(1)
    response = Client().post("/graphql/", {"query": "{ me { username role organization { name } } }"},
                             content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.json()["data"]["me"] == {"username": "ana@acme.example", "role": "admin",
                                             "organization": {"name": "Acme Textiles"}}


def test_without_token_no_token_is_issued(db):
    out = create_org("Firm", "--kind", "audit_firm", "--admin", "lead@firm.example")
    assert TOKEN.search(out) is None and not ApiToken.objects.exists()


def test_the_link_sets_a_password_once(acme):
    link = LINK.search(acme).group(1)
    client = Client()
    form = client.get(path_of(link))
    assert form.status_code == 200 and "Acme Textiles" in form.content.decode()

    accepted = accept(client, link)

    assert accepted.status_code == 200 and "Welcome to Acme Textiles" in accepted.content.decode()
    admin = User.objects.get()
    assert admin.check_password(PASSWORD) and admin.get_full_name() == "Ana Souza" and admin.is_active
    assert Client().login(username="ana@acme.example", password=PASSWORD)
    again = accept(Client(), link, password="another long passphrase")
    assert again.status_code == 410 and "already been used" in again.content.decode()
    assert Client().get(path_of(link)).status_code == 410
    admin.refresh_from_db()
    assert admin.check_password(PASSWORD)
    assert AccountEvent.objects.filter(kind=AccountEventKind.INVITATION_ACCEPTED, actor=admin).count() == 1


def test_an_expired_link_is_refused(acme):
    link = LINK.search(acme).group(1)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = accept(Client(), link)
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert not User.objects.get().has_usable_password()


def test_an_unknown_link_is_not_found(db):
    response = Client().get("/accounts/invitation/not-a-real-key/")
    assert response.status_code == 404 and "not valid" in response.content.decode()


@pytest.mark.parametrize("password, again, message", [
    ("short", "short", "too short"),
    ("password123", "password123", "too common"),
    (PASSWORD, "something else entirely", "differ"),
])
def test_a_weak_or_mistyped_password_is_refused_and_the_link_still_works(acme, password, again, message):
    link = LINK.search(acme).group(1)
    response = accept(Client(), link, password, again)
    assert response.status_code == 400 and message in response.content.decode()
    assert not User.objects.get().has_usable_password()
    assert accept(Client(), link).status_code == 200


def test_the_form_needs_its_csrf_token(acme):
    link = LINK.search(acme).group(1)
    response = accept(Client(enforce_csrf_checks=True), link)
    assert response.status_code == 403
    assert not User.objects.get().has_usable_password()


@pytest.mark.parametrize("args, message", [
    (["Acme Textiles", "--kind", "company", "--admin", "bo@acme.example"], "NAME: An organization named"),
    (["acme textiles", "--kind", "company", "--admin", "bo@acme.example"], "NAME: An organization named"),
    (["Other", "--kind", "company", "--admin", "ana@acme.example"], "--admin: 'ana@acme.example' already has an account"),
    (["Other", "--kind", "company", "--admin", "not-an-address"], "--admin: 'not-an-address' is not a valid"),
    (["Other", "--kind", "company", "--admin", "bo@other.example", "--country", "India"], "--country: 'INDIA' is not"),
    (["  ", "--kind", "company", "--admin", "bo@other.example"], "NAME: An organization needs a name"),
])
def test_bad_arguments_are_refused_naming_the_argument(acme, args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        create_org(*args)
    assert Organization.objects.count() == 1 and User.objects.count() == 1


def test_an_unknown_kind_exits_with_an_error(db):
    with pytest.raises(CommandError, match="invalid choice: 'co'"):
        create_org("Other", "--kind", "co", "--admin", "bo@other.example")
    assert not Organization.objects.exists()


def test_the_command_and_the_api_take_a_new_organization_to_its_first_colleague(acme,
                                                                                 django_capture_on_commit_callbacks):
    """The README's walkthrough: the admin's token invites a colleague, whose link makes them a member."""
    raw = TOKEN.search(acme).group(1)
    invite = 'mutation { inviteMember(email: "bo@acme.example", role: ANALYST) { member { email } errors { code } } }'
    with django_capture_on_commit_callbacks(execute=True):
        result = Client().post("/graphql/", json.dumps({"query": invite}), content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert result["data"]["inviteMember"] == {"member": {"email": "bo@acme.example"}, "errors": []}
    link = re.search(r"http://\S+/accounts/invitation/\S+/", mail.outbox[-1].body).group(0)
    assert accept(Client(), link).status_code == 200
    bo = User.objects.get(username="bo@acme.example")
    assert (bo.is_active, bo.role, bo.organization.name) == (True, Role.ANALYST, "Acme Textiles")
