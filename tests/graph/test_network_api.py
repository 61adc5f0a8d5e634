"""The supply-network API: creating sites, suppliers and links; typed errors; nothing half-written."""

import pytest
from graphql_relay import to_global_id

from backend.models import Role
from factories import add_link, add_site, chain
from graph.models import NetworkSite, Site, SupplyLink

SITE_CREATE = """
mutation($input: SiteInput!) {
  siteCreate(input: $input) { site { id name country subdivision tier inNetwork } errors { field code message } }
}"""
LINK_CREATE = """
mutation($input: SupplyLinkInput!) {
  supplyLinkCreate(input: $input) { supplyLink { id share toCompany upstream { name } } errors { field code message } }
}"""
LINK_UPDATE = """
mutation($id: ID!, $input: SupplyLinkInput!) {
  supplyLinkUpdate(id: $id, input: $input) { supplyLink { id share } errors { field code message } }
}"""
SITE_DELETE = """mutation($id: ID!) { siteDelete(id: $id) { deletedId errors { field code message } } }"""
SITE_UPDATE = """
mutation($id: ID!, $input: SiteInput!) { siteUpdate(id: $id, input: $input) { site { name } errors { field code } } }"""
SUPPLIER_CREATE = """
mutation($input: SupplierInput!) { supplierCreate(input: $input) { supplier { id name } errors { field code message } } }"""


def gid(obj) -> str:
    return to_global_id(type(obj).__name__, obj.pk)


def test_site_create_then_link_to_company_gives_tier_one(api, analyst):
    client = api(analyst)
    created = client.data(SITE_CREATE, {"input": {"name": "Gin 1", "country": "in", "subdivision": "IN-GJ",
                                                   "kind": "FACILITY", "commodities": ["cotton"]}})["siteCreate"]
    assert created["errors"] == []
    site_id = created["site"]["id"]
    assert created["site"]["country"] == "IN" and created["site"]["tier"] is None

    link = client.data(LINK_CREATE, {"input": {"upstreamId": site_id, "commodity": "cotton", "share": 0.4}})
    assert link["supplyLinkCreate"]["errors"] == []
    assert link["supplyLinkCreate"]["supplyLink"]["toCompany"] is True
    assert NetworkSite.objects.get(site__name="Gin 1").tier == 1


@pytest.mark.parametrize(
    "payload, field, code",
    [
        ({"name": "X", "country": "ZZ"}, "country", "INVALID_COUNTRY"),
        ({"name": "X", "country": "IN", "subdivision": "CI-AB"}, "subdivision", "INVALID_SUBDIVISION"),
        ({"name": "", "country": "IN"}, "name", "REQUIRED"),
        ({"name": "X", "country": "IN", "migrantShare": 1.5}, "migrantShare", "OUT_OF_RANGE"),
        ({"name": "X", "country": "IN", "latitude": 95, "longitude": 0}, "latitude", "OUT_OF_RANGE"),
        ({"name": "X", "country": "IN", "osId": "not-an-id"}, "osId", "INVALID"),
        ({"name": "X", "country": "IN", "commodities": ["unobtainium"]}, "commodities", "INVALID"),
        ({"name": "X", "country": "IN", "supplierId": "U3VwcGxpZXI6OTk5"}, "supplierId", "NOT_FOUND"),
    ],
)
def test_bad_site_input_gets_typed_error_and_creates_nothing(api, analyst, payload, field, code):
    result = api(analyst).data(SITE_CREATE, {"input": payload})["siteCreate"]
    assert result["site"] is None
    assert result["errors"][0]["field"] == field
    assert result["errors"][0]["code"] == code
    assert Site.objects.count() == 0 and NetworkSite.objects.count() == 0


def test_self_loop_is_refused(api, analyst):
    site = add_site(analyst, "Mill")
    result = api(analyst).data(LINK_CREATE, {"input": {"upstreamId": gid(site), "downstreamId": gid(site), "commodity": "cotton"}})
    assert result["supplyLinkCreate"]["errors"][0]["code"] == "SELF_LOOP"
    assert SupplyLink.objects.count() == 0


@pytest.mark.parametrize("share", [-0.1, 1.01, 7])
def test_share_outside_unit_interval_is_refused(api, analyst, share):
    site = add_site(analyst, "Mill")
    result = api(analyst).data(LINK_CREATE, {"input": {"upstreamId": gid(site), "commodity": "cotton", "share": share}})
    error = result["supplyLinkCreate"]["errors"][0]
    assert (error["field"], error["code"]) == ("share", "OUT_OF_RANGE")
    assert SupplyLink.objects.count() == 0


def test_shares_into_one_node_cannot_add_up_past_one(api, analyst):
    first, second = add_site(analyst, "Gin A"), add_site(analyst, "Gin B")
    add_link(analyst, first, None, share=0.7)
    result = api(analyst).data(LINK_CREATE, {"input": {"upstreamId": gid(second), "commodity": "cotton", "share": 0.4}})
    error = result["supplyLinkCreate"]["errors"][0]
    assert (error["field"], error["code"]) == ("share", "OUT_OF_RANGE")
    assert "1.1000" in error["message"]
    assert SupplyLink.objects.count() == 1


def test_failed_update_changes_nothing(api, analyst):
    site = add_site(analyst, "Gin")
    link = add_link(analyst, site, None, share=0.3)
    result = api(analyst).data(LINK_UPDATE, {"id": gid(link), "input": {"share": 2, "volume": 5}})
    assert result["supplyLinkUpdate"]["errors"][0]["code"] == "OUT_OF_RANGE"
    link.refresh_from_db()
    assert float(link.share) == 0.3 and link.volume is None


def test_unknown_and_foreign_ids_look_the_same(api, analyst, other_analyst):
    foreign = add_site(other_analyst, "Their private mill")
    client = api(analyst)
    unknown = client.data(LINK_CREATE, {"input": {"upstreamId": to_global_id("Site", 999999), "commodity": "cotton"}})
    hidden = client.data(LINK_CREATE, {"input": {"upstreamId": gid(foreign), "commodity": "cotton"}})
    wrong_type = client.data(LINK_CREATE, {"input": {"upstreamId": to_global_id("Supplier", foreign.pk), "commodity": "cotton"}})
    codes = {r["supplyLinkCreate"]["errors"][0]["code"] for r in (unknown, hidden, wrong_type)}
    assert codes == {"NOT_FOUND"}
    assert "Their private mill" not in str(hidden)
    assert SupplyLink.objects.count() == 0


def test_delete_that_would_orphan_links_is_refused(api, analyst):
    farm, gin = chain(analyst, ["Farm", "Gin"])
    result = api(analyst).data(SITE_DELETE, {"id": gid(gin)})["siteDelete"]
    assert result["errors"][0]["code"] == "IN_USE"
    assert Site.objects.filter(pk=gin.pk).exists()


def test_delete_unlinked_site_removes_it(api, analyst):
    site = add_site(analyst, "Lonely gin")
    assert api(analyst).data(SITE_DELETE, {"id": gid(site)})["siteDelete"]["errors"] == []
    assert not Site.objects.filter(pk=site.pk).exists()


def test_os_id_resolves_to_the_existing_registry_entry(api, analyst, other_analyst):
    theirs = add_site(other_analyst, "Shared Garments", country="BD", os_id="BD2019067X1K87E")
    result = api(analyst).data(SITE_CREATE, {"input": {"name": "Another name", "country": "BD", "osId": "bd2019067x1k87e"}})
    assert result["siteCreate"]["errors"] == []
    assert result["siteCreate"]["site"]["id"] == gid(theirs)
    assert Site.objects.count() == 1
    assert NetworkSite.objects.filter(site=theirs).count() == 2


def test_shared_entry_is_edited_only_by_its_registrant(api, analyst, other_analyst):
    theirs = add_site(other_analyst, "Shared Garments", country="BD", os_id="BD2019067X1K87E")
    add_site(analyst, "Shared", country="BD", os_id="BD2019067X1K87E")
    result = api(analyst).data(SITE_UPDATE, {"id": gid(theirs), "input": {"name": "Renamed"}})["siteUpdate"]
    assert result["errors"][0]["code"] == "NOT_EDITABLE"
    theirs.refresh_from_db()
    assert theirs.name == "Shared Garments"


def test_supplier_lei_resolves_to_existing_entry(api, analyst, other_analyst):
    query = SUPPLIER_CREATE
    first = api(other_analyst).data(query, {"input": {"name": "Acme", "country": "IN", "lei": "5493001KJTIIGC8Y1R12"}})
    second = api(analyst).data(query, {"input": {"name": "ACME Ltd", "country": "IN", "lei": "5493001kjtiigc8y1r12"}})
    assert first["supplierCreate"]["supplier"]["id"] == second["supplierCreate"]["supplier"]["id"]


def test_viewer_cannot_mutate(api, viewer_user):
    result = api(viewer_user)(SITE_CREATE, {"input": {"name": "X", "country": "IN"}})
    assert result["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert Site.objects.count() == 0


def test_audit_firm_cannot_create_links(api, audit_firm, make_user):
    auditor = make_user(audit_firm, Role.ADMIN)
    result = api(auditor)(LINK_CREATE, {"input": {"upstreamId": to_global_id("Site", 1), "commodity": "cotton"}})
    assert result["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
