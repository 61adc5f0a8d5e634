"""Every list of objects says how many items it returns at most, and returns no more: the cost estimate multiplies
by these bounds. Lists with `first` return the first items; the network walks stop at their limits."""

import datetime

import pytest
from django.utils import timezone
from graphql import GraphQLInterfaceType, GraphQLObjectType, get_named_type, get_nullable_type, is_leaf_type, is_list_type
from graphql_relay import to_global_id

from backend.graphql.list_bounds import bounds_of
from backend.schema import schema
from factories import add_link, add_site
from graph.graphql import dataloaders
from graph.models import RiskAlert
from graph.services import traversal

LINKS_IN = "query($id: ID!, $first: Int) { site(id: $id) { linksIn(first: $first) { upstream { name } } } }"
LINKS_IN_BY_DEFAULT = "query($id: ID!) { site(id: $id) { linksIn { upstream { name } } } }"
UPSTREAM = "query($id: ID!) { upstream(siteId: $id, depth: 10) { sites { site { name } } links { id } truncated } }"
ALERTS = "{ riskAlerts(first: 10) { edges { node { score } } } }"
MILLS = '{ sites(first: 10, search: "Mill", sortBy: {field: NAME}) { edges { node { name linksIn(first: 3) { upstream { name } } } } } }'


def lists_of_objects(graphql_schema):
    """(type, field) of every field of the schema returning a list of objects (lists of scalars multiply nothing)."""
    for type_name, graphql_type in graphql_schema.type_map.items():
        if type_name.startswith("__") or not isinstance(graphql_type, (GraphQLObjectType, GraphQLInterfaceType)):
            continue
        for field_name, field in graphql_type.fields.items():
            returned = get_nullable_type(field.type)
            if is_list_type(returned) and not is_leaf_type(get_named_type(returned)):
                yield type_name, field_name


def test_every_list_of_objects_declares_its_bound():
    bounds = bounds_of(schema.graphql_schema)
    lists = set(lists_of_objects(schema.graphql_schema))
    assert len(lists) > 40  # the walk sees the schema's lists
    assert sorted(lists - set(bounds)) == []


@pytest.fixture
def mill_with_three_suppliers(analyst):
    mill = add_site(analyst, "Mill")
    for name in ("Gin A", "Gin B", "Gin C"):
        add_link(analyst, add_site(analyst, name), mill, share=0.3)
    add_link(analyst, mill, None, share=1)
    return mill


def test_a_paged_list_returns_its_first_items_oldest_first(api, analyst, mill_with_three_suppliers):
    client = api(analyst)
    mill = to_global_id("Site", mill_with_three_suppliers.pk)
    two = client.data(LINKS_IN, {"id": mill, "first": 2})["site"]["linksIn"]
    assert [link["upstream"]["name"] for link in two] == ["Gin A", "Gin B"]
    every = client.data(LINKS_IN_BY_DEFAULT, {"id": mill})["site"]["linksIn"]
    assert [link["upstream"]["name"] for link in every] == ["Gin A", "Gin B", "Gin C"]


@pytest.mark.parametrize("first", [0, 101])
def test_a_paged_list_refuses_a_page_out_of_range(api, analyst, mill_with_three_suppliers, first):
    result = api(analyst)(LINKS_IN, {"id": to_global_id("Site", mill_with_three_suppliers.pk), "first": first})
    assert result["errors"][0]["extensions"]["code"] == "OUT_OF_RANGE"
    assert result["errors"][0]["message"] == f"first must be between 1 and 100, got {first}."


def test_a_loader_reads_at_most_a_page_of_each_sites_links(api, analyst, monkeypatch):
    """One query for the whole page, cut per site: each mill's first two links, not the page's first two."""
    for number in (1, 2):
        mill = add_site(analyst, f"Mill {number}")
        for gin in ("A", "B", "C"):
            add_link(analyst, add_site(analyst, f"Gin {gin}{number}"), mill, share=0.3)
    monkeypatch.setattr(dataloaders, "MAX_PAGE_SIZE", 2)
    edges = api(analyst).data(MILLS)["sites"]["edges"]
    assert {edge["node"]["name"]: [link["upstream"]["name"] for link in edge["node"]["linksIn"]] for edge in edges} == {
        "Mill 1": ["Gin A1", "Gin B1"], "Mill 2": ["Gin A2", "Gin B2"],
    }


def test_a_walk_stops_at_its_site_limit(api, analyst, mill_with_three_suppliers, monkeypatch):
    monkeypatch.setattr(traversal, "MAX_CONE_SIZE", 2)
    cone = api(analyst).data(UPSTREAM, {"id": to_global_id("Site", mill_with_three_suppliers.pk)})["upstream"]
    assert [s["site"]["name"] for s in cone["sites"]] == ["Gin A", "Gin B"]
    assert len(cone["links"]) == 2 and cone["truncated"]


def test_a_walk_stops_at_its_link_limit(api, analyst, mill_with_three_suppliers, monkeypatch):
    monkeypatch.setattr(traversal, "MAX_CONE_LINKS", 1)
    cone = api(analyst).data(UPSTREAM, {"id": to_global_id("Site", mill_with_three_suppliers.pk)})["upstream"]
    assert [s["site"]["name"] for s in cone["sites"]] == ["Gin A"]
    assert len(cone["links"]) == 1 and cone["truncated"]


def test_risk_alerts_come_newest_first_without_sort(api, analyst, company):
    site = add_site(analyst, "Gin")
    now = timezone.now()
    for score, days_ago in ((0.71, 3), (0.73, 1), (0.72, 2)):  # ids ascend; times do not
        alert = RiskAlert.objects.create(company=company, site=site, dimension="forced_labour", from_band="medium",
                                         to_band="high", score=score, rise_of=now - datetime.timedelta(days=days_ago))
        RiskAlert.objects.filter(pk=alert.pk).update(created_at=now - datetime.timedelta(days=days_ago))
    edges = api(analyst).data(ALERTS)["riskAlerts"]["edges"]
    assert [edge["node"]["score"] for edge in edges] == [0.73, 0.72, 0.71]
