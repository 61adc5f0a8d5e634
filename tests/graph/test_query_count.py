"""A page of sites with supplier, links and commodities costs the same number of SQL queries at any size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.tenancy import Viewer
from factories import add_link, add_site
from graph import services

SITES_PAGE = """
query($first: Int!) {
  sites(first: $first, sortBy: {field: NAME}) {
    totalCount
    edges { node {
      id name tier internalRef supplier { name internalRef }
      commodities { code }
      linksOut { share commodity { code } downstream { name supplier { name } } }
      linksIn { upstream { name } }
    } }
  }
}"""
LINKS_PAGE = """
query($first: Int!) {
  supplyLinks(first: $first) { edges { node { share upstream { name tier } downstream { name } commodity { code } } } }
}"""


@pytest.fixture
def network_of(analyst):
    def build(size: int):
        viewer = Viewer.of(analyst)
        previous = None
        for index in range(size):
            supplier = services.register_supplier(viewer, {"name": f"Supplier {index}", "country": "IN", "tax_id": f"T{index}"})
            site = add_site(analyst, f"Site {index:03d}", supplier=supplier)
            add_link(analyst, site, previous, share=0.5)
            previous = site

    return build


def queries_for(client, query, first: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.data(query, {"first": first})
    return len(captured)


@pytest.mark.parametrize("query", [SITES_PAGE, LINKS_PAGE], ids=["sites", "supplyLinks"])
def test_query_count_does_not_grow_with_page_size(api, analyst, network_of, query):
    network_of(100)
    client = api(analyst)
    small, large = queries_for(client, query, 5), queries_for(client, query, 100)
    assert small == large, f"{small} queries for 5 rows but {large} for 100"


def test_page_of_100_sites_is_a_small_constant(api, analyst, network_of, django_assert_max_num_queries):
    network_of(100)
    client = api(analyst)
    with django_assert_max_num_queries(16):
        data = client.data(SITES_PAGE, {"first": 100})
    assert len(data["sites"]["edges"]) == 100
    assert all(edge["node"]["supplier"] for edge in data["sites"]["edges"])
