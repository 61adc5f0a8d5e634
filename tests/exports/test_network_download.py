"""The network export's entry points: `GET /exports/network.xlsx` for company users only, and the
export_network command."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from export_helpers import data_rows

from backend.models import ApiToken, Role
from factories import add_link, add_site

URL = "/exports/network.xlsx"


def token_headers(user) -> dict:
    _, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def mapped(analyst):
    add_link(analyst, add_site(analyst, "Usine Nord", country="FR", internal_ref="S-1"), None, share=0.5)


def download(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_company_viewer_downloads_the_network_with_a_token(mapped, make_user, company):
    # given a read-only user of the company
    viewer = make_user(company, Role.VIEWER)
    # when it downloads the export with its bearer token
    response = Client().get(URL, **token_headers(viewer))
    # then it gets the workbook as an attachment named after the company and the day
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="company-a-supply-network-')
    assert [row["site_ref"] for row in data_rows(download(response))] == ["S-1"]


def test_a_logged_in_session_downloads_it_too(mapped, analyst):
    client = Client()
    client.force_login(analyst)
    response = client.get(URL)
    assert response.status_code == 200
    assert [row["site_name"] for row in data_rows(download(response))] == ["Usine Nord"]


@pytest.mark.parametrize("organization", ["audit_firm", "workers_org"])
def test_other_kinds_of_organization_are_refused(request, make_user, organization):
    # given an admin of an audit firm or a workers' organization
    user = make_user(request.getfixturevalue(organization), Role.ADMIN)
    # when it asks for the export; then it is refused with a clear JSON error
    response = Client().get(URL, **token_headers(user))
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "PERMISSION_DENIED"


@pytest.mark.parametrize("headers", [{}, {"HTTP_AUTHORIZATION": "Bearer trb_not-a-token"}])
def test_anonymous_requests_are_unauthenticated(db, headers):
    response = Client().get(URL, **headers)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "UNAUTHENTICATED"


def test_only_get_is_allowed(analyst):
    assert Client().post(URL, **token_headers(analyst)).status_code == 405


def test_the_command_writes_the_same_workbook(mapped, company, tmp_path, capsys):
    # given the company's network; when the command exports it
    path = tmp_path / "network.xlsx"
    call_command("export_network", "--org", "Company A", str(path))
    # then the file holds its rows and the command says what it wrote
    assert [row["site_ref"] for row in data_rows(path.read_bytes())] == ["S-1"]
    assert "1 rows, 1 sites, 1 supply links of Company A" in capsys.readouterr().out


@pytest.mark.parametrize("org", ["Nobody", "Audit Firm"])
def test_the_command_exports_companies_only(audit_firm, tmp_path, org):
    path = tmp_path / "network.xlsx"
    with pytest.raises(CommandError, match=f"No company named '{org}'"):
        call_command("export_network", "--org", org, str(path))
    assert not path.exists()


def test_the_command_says_when_it_cannot_write(company, tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("export_network", "--org", "Company A", str(tmp_path / "missing" / "network.xlsx"))


def test_an_empty_network_is_a_header_only_sheet(analyst):
    response = Client().get(URL, **token_headers(analyst))
    assert response.status_code == 200 and data_rows(download(response)) == []
