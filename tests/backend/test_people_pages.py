"""The people page over HTTP: tokens revoked, foreign members and tokens not found, a fixed number of queries."""

import pytest
from django.test import Client

from backend.models import ApiToken, Role

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_admin_revokes_a_token_of_their_organization(company, make_user):
    admin, analyst = make_user(company, Role.ADMIN), make_user(company, Role.ANALYST)
    token, _ = ApiToken.issue(analyst, "ci")

    response = signed_in(admin).post(f"/accounts/people/tokens/{token.pk}/revoke/", follow=True)

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert f"Token {token.key_prefix}… is revoked." in response.content.decode()


def test_another_organizations_token_and_member_are_not_found(company, other_company, make_user):
    admin, stranger = make_user(company, Role.ADMIN), make_user(other_company, Role.ANALYST)
    token, _ = ApiToken.issue(stranger, "theirs")
    client = signed_in(admin)

    assert client.post(f"/accounts/people/tokens/{token.pk}/revoke/").status_code == 404
    assert client.post(f"/accounts/people/{stranger.pk}/", {"action": "deactivate"}).status_code == 404
    token.refresh_from_db()
    stranger.refresh_from_db()
    assert token.revoked_at is None and stranger.is_active


def test_a_non_admin_cannot_change_people(company, make_user):
    analyst, colleague = make_user(company, Role.ANALYST), make_user(company, Role.VIEWER)

    response = signed_in(analyst).post(f"/accounts/people/{colleague.pk}/", {"action": "role", "role": "admin"})

    assert response.status_code == 403
    colleague.refresh_from_db()
    assert colleague.role == Role.VIEWER


def test_an_unknown_role_is_refused_with_a_message_naming_it(company, make_user):
    admin, colleague = make_user(company, Role.ADMIN), make_user(company, Role.VIEWER)

    response = signed_in(admin).post(f"/accounts/people/{colleague.pk}/", {"action": "role", "role": "owner"},
                                     follow=True)

    assert "Unknown role &#x27;owner&#x27;" in response.content.decode()


def test_the_page_reads_in_a_fixed_number_of_queries(company, make_user, django_assert_max_num_queries):
    admin = make_user(company, Role.ADMIN)
    for index in range(5):
        ApiToken.issue(make_user(company, Role.VIEWER) if index == 0 else admin, f"token {index}")
    client = signed_in(admin)
    client.get("/accounts/people/")
    with django_assert_max_num_queries(8):
        assert client.get("/accounts/people/").status_code == 200
