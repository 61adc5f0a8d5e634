"""The demo: realistic, deterministic, safe to load twice; the printed example query returns data."""

import datetime
import functools
import shutil

import pytest
from django.core.management import CommandError, call_command

from backend.demo.files import DEMO_DIR, DEMO_FILES
from backend.demo.loading import load_demo
from backend.management.commands import seed_demo
from backend.management.commands.demo_token import EXAMPLE_QUERY
from backend.models import Organization, Role, User
from graph.models import NetworkSite, Site, SupplyLink
from imports.models import ImportJob, ImportProblem, Status


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # where the import jobs store the uploaded demo files
    call_command("seed_demo")
    return {org.name: org for org in Organization.objects.all()}


def test_seed_demo_twice_changes_nothing(demo, capsys):
    counts = (Site.objects.count(), SupplyLink.objects.count(), User.objects.count(), ImportJob.objects.count())
    call_command("seed_demo")
    assert (Site.objects.count(), SupplyLink.objects.count(), User.objects.count(), ImportJob.objects.count()) == counts
    assert "already loaded; nothing changed" in capsys.readouterr().out


def test_the_demo_networks_are_imported_from_the_shipped_files(demo):
    northwind, harbor = demo["Northwind Apparel"], demo["Harbor Retail Group"]
    # each company's supply map went through the import pipeline, committed without a single problem
    imports = ImportJob.objects.order_by("pk")
    assert [(job.organization, job.original_name, job.status, job.created_by.role) for job in imports] == [
        (northwind, "northwind_supply_map.xlsx", Status.COMMITTED, Role.ADMIN),
        (harbor, "harbor_supply_map.csv", Status.COMMITTED, Role.ADMIN),
    ]
    assert not ImportProblem.objects.exists()
    # the sites both companies map are Northwind's registry entries, found again by their Open Supply Hub ID
    shared = Site.objects.filter(pk__in=northwind.network_sites.values("site")).filter(
        pk__in=harbor.network_sites.values("site"))
    assert {(site.kind, bool(site.os_id), site.registered_by) for site in shared} == {("facility", True, northwind)}
    # references come from the files
    gin = NetworkSite.objects.filter(company=harbor, internal_ref__startswith="GIN-").first()
    assert SupplyLink.objects.filter(company=harbor, upstream=gin.site,
                                     external_ref__startswith=f"{gin.internal_ref}>").exists()


def test_a_demo_file_that_does_not_import_cleanly_stops_the_demo_and_leaves_nothing(db, settings, tmp_path,
                                                                                     monkeypatch):
    # given shipped files where one of Harbor's links names a buyer site that does not exist
    settings.MEDIA_ROOT = tmp_path / "media"
    files = tmp_path / "demo"
    files.mkdir()
    for name in DEMO_FILES.values():
        shutil.copy(DEMO_DIR / name, files / name)
    harbor = files / DEMO_FILES["harbor"]
    *rows, closing_the_cycle = harbor.read_text(encoding="utf-8").splitlines(keepends=True)
    assert closing_the_cycle.startswith("TRADER-003,") and ",TRADER-001," in closing_the_cycle
    harbor.write_text("".join(rows) + closing_the_cycle.replace(",TRADER-001,", ",TRADER-999,"), encoding="utf-8")
    monkeypatch.setattr(seed_demo, "load_demo", functools.partial(load_demo, files))
    # when the demo is seeded from them
    with pytest.raises(CommandError) as failure:
        call_command("seed_demo")
    # then the command names the file and the problem, and nothing of the demo is left, not even a stored upload
    assert "harbor_supply_map.csv" in str(failure.value) and "TRADER-999" in str(failure.value)
    assert not Organization.objects.exists() and not Site.objects.exists() and not ImportJob.objects.exists()
    assert not [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


def test_demo_networks_are_five_tiers_deep_share_sites_and_hold_a_cycle(demo):
    northwind, harbor = demo["Northwind Apparel"], demo["Harbor Retail Group"]
    for company in (northwind, harbor):
        assert company.network_sites.count() >= 250
    assert max(NetworkSite.objects.filter(company=northwind).values_list("tier", flat=True)) == 5
    shared = set(northwind.network_sites.values_list("site", flat=True)) & set(harbor.network_sites.values_list("site", flat=True))
    assert len(shared) >= 4
    edges = set(SupplyLink.objects.filter(company=harbor, upstream__name__contains="Trad", downstream__name__contains="Trad")
                .values_list("upstream_id", "downstream_id"))
    assert len(edges) == 3, "three traders buying from each other in a cycle"
    assert Site.objects.exclude(subdivision="").count() == Site.objects.count()


def test_example_query_returns_data(demo, api):
    from django.core.management import call_command

    call_command("recompute_risk")
    data = api(User.objects.get(username="northwind-analyst")).data(EXAMPLE_QUERY)
    assert data["me"]["organization"]["name"] == "Northwind Apparel"
    assert data["sites"]["totalCount"] == demo["Northwind Apparel"].network_sites.count()
    risks = [edge["node"]["risk"]["forcedLabour"] for edge in data["sites"]["edges"]]
    assert len(risks) == 5 and risks == sorted(risks, reverse=True)
    assert data["companyRisk"]["band"] in ("MEDIUM", "HIGH", "SEVERE")


def test_demo_token_command_prints_a_working_token(demo, capsys, client):
    call_command("demo_token")
    output = capsys.readouterr().out
    token = next(word for word in output.split() if word.startswith("trb_"))
    response = client.post("/graphql/", {"query": EXAMPLE_QUERY}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.json()["data"]["sites"]["edges"]


RISKIEST = "{ sites(first: 1, inNetwork: true, sortBy: {field: FORCED_LABOUR_RISK, direction: DESC}) { edges { node { id name risk { forcedLabour } } } } }"
EXPLAIN = """query($id: ID) { riskExplanation(nodeId: $id, dimension: FORCED_LABOUR, top: 5) {
  score remainder summary paths { contribution sites { id name } } } }"""
PATHS = "query($from: ID!, $to: ID) { paths(fromId: $from, toId: $to, limit: 50) { sites { id } } }"


@pytest.mark.parametrize("username", ["northwind-analyst", "harbor-analyst"])
def test_explanation_of_the_riskiest_nodes_names_paths_the_graph_queries_confirm(demo, api, username):
    from graph.services.risk import compute_risk

    for company in demo.values():
        if company.is_company:
            compute_risk(company)
    client = api(User.objects.get(username=username))
    riskiest = client.data(RISKIEST)["sites"]["edges"][0]["node"]
    for node_id in (riskiest["id"], None):
        explanation = client.data(EXPLAIN, {"id": node_id})["riskExplanation"]
        paths = explanation["paths"]
        assert paths and explanation["summary"].endswith(".")
        assert sum(p["contribution"] for p in paths) + explanation["remainder"] == pytest.approx(explanation["score"])
        for path in (p for p in paths if len(p["sites"]) > 1):
            ids = [site["id"] if site else None for site in path["sites"]]
            found = client.data(PATHS, {"from": ids[0], "to": ids[-1]})["paths"]
            assert [s["id"] for s in path["sites"] if s] in [[s["id"] for s in f["sites"]] for f in found]


DEMO_GRIEVANCES = "{ grievances(first: 10) { totalCount edges { node { description site { name } reporter { name } } } } }"


def test_demo_evidence_moves_only_the_scores_of_the_company_it_was_shared_with(demo, api):
    from audits.models import Audit, CorrectiveAction
    from graph.models import RiskScore
    from graph.services.risk import compute_risk

    for company in (demo["Northwind Apparel"], demo["Harbor Retail Group"]):
        compute_risk(company)
    factory = Audit.objects.get().site
    northwind = RiskScore.objects.get(company=demo["Northwind Apparel"], site=factory)
    harbor = RiskScore.objects.get(company=demo["Harbor Retail Group"], site=factory)
    assert northwind.own_forced_labour > harbor.own_forced_labour  # the shared critical finding
    assert CorrectiveAction.objects.get().due_on < datetime.date.today()
    for username in ("northwind-analyst", "harbor-analyst"):
        grievances = api(User.objects.get(username=username)).data(DEMO_GRIEVANCES)["grievances"]
        assert grievances["totalCount"] == 1
        assert grievances["edges"][0]["node"]["reporter"] is None
    filed = api(User.objects.get(username="voice-analyst")).data(DEMO_GRIEVANCES)["grievances"]
    assert filed["edges"][0]["node"]["reporter"]["name"] == "Demo Reporter"
