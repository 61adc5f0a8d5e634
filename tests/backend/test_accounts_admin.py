"""Staff deactivate and reactivate people from the admin site through the same service as the API: the history
names the staff member, and the last active admin stays one."""

import pytest
from django.test import Client
from django.urls import reverse

from backend.models import AccountEvent, AccountEventKind, ApiToken, Role, User

CHANGELIST = reverse("admin:backend_user_changelist")


@pytest.fixture
def staff(db):
    user = User.objects.create_superuser("root", "root@example.org", "not-used")
    client = Client()
    client.force_login(user)
    return client, user


def act(client: Client, action: str, *users: User):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [u.pk for u in users]}, follow=True)


def test_staff_deactivate_a_member_whose_token_then_fails(staff, company, make_user, analyst):
    client, root = staff
    make_user(company, Role.ADMIN)
    _, raw = ApiToken.issue(analyst, "laptop")

    act(client, "deactivate_members", analyst)

    analyst.refresh_from_db()
    assert not analyst.is_active
    assert ApiToken.authenticate(raw) is None
    event = AccountEvent.objects.get()
    assert (event.kind, event.actor, event.subject) == (AccountEventKind.MEMBER_DEACTIVATED, root, analyst)


def test_staff_cannot_deactivate_the_last_admin(staff, company, make_user):
    client, _ = staff
    admin = make_user(company, Role.ADMIN)

    response = act(client, "deactivate_members", admin)

    assert "last active admin" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active and not AccountEvent.objects.exists()
