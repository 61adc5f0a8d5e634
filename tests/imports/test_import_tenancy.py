"""Company B reads and changes nothing of company A's imports, through any imports root field.

The probes live in imports_probes.py; tests/graph/test_tenancy.py checks that every root field has one.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from graphql_relay import to_global_id
from imports_probes import MUTATION_PROBES, QUERY_PROBES

from backend.models import ApiToken
from factories import add_site
from graph.models import NetworkSite, Site
from imports.models import ImportJob, ImportProblem, ResolutionCandidate, ResolutionDecision
from support.import_helpers import SUPPLY_MAP_HEADER, commit, csv_text, dry_run

SECRET = "A-SECRET"
B_MAP = csv_text(["Site reference", "Site name", "Country"], [["B-1", "B's own mill", "IN"]])


@pytest.fixture
def a_imports(analyst):
    """A committed job whose names carry SECRET and a job waiting for a decision about one of A's sites."""
    committed = commit(analyst, "supply_map", csv_text(SUPPLY_MAP_HEADER, [
        ["S-1", f"{SECRET} mill", "facility", "", "Atlantis", "", "", "", "", "", ""],
    ]), name=f"{SECRET} map.csv")
    site = add_site(analyst, f"{SECRET} Sunrise Garments", country="IN", internal_ref="S-9")
    review = dry_run(analyst, "supply_map", csv_text(["Site reference", "Site name", "Country"], [
        ["R-1", f"{SECRET} Sunrise Garment", "IN"],
    ]), name=f"{SECRET} review.csv")
    assert review.candidates.exists()
    return {"job": to_global_id("ImportJob", committed.pk), "review_job": to_global_id("ImportJob", review.pk),
            "site": to_global_id("Site", site.pk)}


def a_rows(company) -> dict:
    return {
        "jobs": list(ImportJob.objects.filter(organization=company).order_by("pk").values()),
        "problems": list(ImportProblem.objects.filter(job__organization=company).order_by("pk").values()),
        "candidates": list(ResolutionCandidate.objects.filter(job__organization=company).order_by("pk").values()),
        "decisions": list(ResolutionDecision.objects.order_by("pk").values()),
        "network": list(NetworkSite.objects.filter(company=company).order_by("pk").values()),
        "sites": list(Site.objects.filter(registered_by=company).order_by("pk").values()),
    }


def run(user, query: str, ids: dict) -> dict:
    variables = {name: value for name, value in ids.items() if f"${name}" in query}
    _, raw = ApiToken.issue(user, "probe")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    if "$file" in query:
        data = {"operations": json.dumps({"query": query, "variables": {**variables, "file": None}}),
                "map": json.dumps({"0": ["variables.file"]}), "0": SimpleUploadedFile("b.csv", B_MAP.encode())}
        return Client().post("/graphql/", data, **headers).json()
    return Client().post("/graphql/", json.dumps({"query": query, "variables": variables}),
                         content_type="application/json", **headers).json()


@pytest.mark.parametrize("field", sorted(QUERY_PROBES))
def test_company_b_reads_nothing_of_company_a(other_analyst, a_imports, field):
    text = str(run(other_analyst, QUERY_PROBES[field], a_imports))
    assert SECRET not in text
    assert a_imports["job"] not in text and a_imports["review_job"] not in text


def test_the_read_probes_do_see_company_a_data_as_company_a(analyst, a_imports):
    seen = {field for field, query in QUERY_PROBES.items() if SECRET in str(run(analyst, query, a_imports))}
    assert seen == {"importJobs", "importJob"}


@pytest.mark.parametrize("field", sorted(MUTATION_PROBES))
def test_company_b_changes_nothing_of_company_a(other_analyst, company, a_imports, field, django_capture_on_commit_callbacks):
    before = a_rows(company)
    query, expected_code = MUTATION_PROBES[field]
    with django_capture_on_commit_callbacks(execute=True):
        result = run(other_analyst, query, a_imports)
    assert a_rows(company) == before
    assert SECRET not in str(result)
    if expected_code:
        assert result["data"][field]["errors"][0]["code"] == expected_code
    else:
        assert result["data"][field]["errors"] == []


def test_the_mutation_probes_do_work_for_company_a(analyst, a_imports, django_capture_on_commit_callbacks):
    """Run as A, the decision is accepted: the probe would notice if B's NOT_FOUND came from a broken query."""
    query, _ = MUTATION_PROBES["importSiteMatchDecide"]
    with django_capture_on_commit_callbacks(execute=True):
        result = run(analyst, query, a_imports)
    assert result["data"]["importSiteMatchDecide"]["errors"] == []
