"""Changes to the network trigger the (debounced) risk recomputation once the transaction commits."""

from graphql_relay import to_global_id

from factories import add_site
from graph.models import RiskScore

LINK_CREATE = """mutation($input: SupplyLinkInput!) { supplyLinkCreate(input: $input) { errors { code } } }"""
SITE_RISK = "query($id: ID!) { site(id: $id) { risk { childLabour forcedLabour band methodologyVersion } } }"


def test_new_link_is_scored_after_commit(api, analyst, company, django_capture_on_commit_callbacks):
    farm = add_site(analyst, "Farm", country="TM", kind="farm")
    client = api(analyst)
    with django_capture_on_commit_callbacks(execute=True):
        result = client.data(LINK_CREATE, {"input": {"upstreamId": to_global_id("Site", farm.pk), "commodity": "cotton", "share": 1}})
    assert result["supplyLinkCreate"]["errors"] == []
    assert RiskScore.objects.filter(company=company, site=farm).exists()
    risk = client.data(SITE_RISK, {"id": to_global_id("Site", farm.pk)})["site"]["risk"]
    assert risk["forcedLabour"] > 0.5 and risk["band"] in ("HIGH", "SEVERE") and risk["methodologyVersion"] == "2026.1"


def test_failed_mutation_schedules_nothing(api, analyst, company, django_capture_on_commit_callbacks):
    farm = add_site(analyst, "Farm", country="TM", kind="farm")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        api(analyst).data(LINK_CREATE, {"input": {"upstreamId": to_global_id("Site", farm.pk), "commodity": "cotton", "share": 3}})
    assert callbacks == [] and not RiskScore.objects.exists()
