"""`GET /exports/oshub.csv` and `export_oshub`: a company's facilities as an Open Supply Hub list, which imports
back as it is."""

import csv
import io
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from backend.models import ApiToken, Role
from factories import add_site
from graph.models import Site

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fixtures" / "oshub"))
from make_oshub_lists import write_corpus  # noqa: E402

URL = "/exports/oshub.csv"


def token_headers(user) -> dict:
    _, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def imported(analyst, company, tmp_path):
    """Company A's network, from the first list of the OS Hub corpus."""
    path = write_corpus(tmp_path).paths[0]
    call_command("import_file", "supply_map", str(path), "--org", company.name, stdout=StringIO(), stderr=StringIO())
    return path


def test_a_company_downloads_its_facilities_as_an_oshub_list(imported, make_user, company, other_analyst):
    # given another company's own site, which A must not see in its list
    add_site(other_analyst, "B's secret mill", country="IN")
    # when a viewer of A downloads the list
    response = Client().get(URL, **token_headers(make_user(company, Role.VIEWER)))
    # then every facility of A's network is a row in OS Hub's columns, and only those
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = rows_of(response.content.decode())
    assert len(rows) == 8 and "B's secret mill" not in response.content.decode()
    sunrise = next(row for row in rows if row["os_id"] == "BD2019067X1K87E")
    assert (sunrise["country"], sunrise["sector"], sunrise["product_type"], sunrise["parent_company"]) == (
        "BD", "Apparel", "T-shirts", "Sunrise Group")


def test_the_exported_list_imports_again_changing_nothing(imported, company, tmp_path):
    path = tmp_path / "export.csv"
    out = StringIO()
    call_command("export_oshub", str(path), "--org", company.name, stdout=out)
    assert "8 facilities" in out.getvalue()
    result = StringIO()
    call_command("import_file", "supply_map", str(path), "--org", company.name, stdout=result, stderr=StringIO())
    assert "0 created, 0 updated" in result.getvalue(), result.getvalue()
    assert Site.objects.count() == 8


@pytest.mark.parametrize("organization", ["audit_firm", "workers_org"])
def test_other_kinds_of_organization_are_refused(request, make_user, organization):
    user = make_user(request.getfixturevalue(organization), Role.ADMIN)
    response = Client().get(URL, **token_headers(user))
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "PERMISSION_DENIED"


def test_anonymous_requests_are_unauthenticated(db):
    assert Client().get(URL).status_code == 401
