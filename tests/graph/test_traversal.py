"""upstream, downstream and paths walk the company's own links and nothing else."""

from graphql_relay import to_global_id

from factories import add_link, add_site, chain

UPSTREAM = "query($id: ID) { upstream(siteId: $id, depth: 10) { sites { distance site { name } } links { id } truncated } }"
DOWNSTREAM = "query($id: ID!) { downstream(siteId: $id, depth: 10) { sites { distance site { name } } } }"
PATHS = "query($from: ID!, $to: ID) { paths(fromId: $from, toId: $to, limit: 10) { sites { name } reachesCompany } }"


def gid(site):
    return to_global_id("Site", site.pk)


def test_upstream_of_the_company_is_the_whole_network_by_tier(api, analyst):
    chain(analyst, ["Farm", "Gin", "Spinner"])
    data = api(analyst).data(UPSTREAM, {"id": None})["upstream"]
    assert [(s["site"]["name"], s["distance"]) for s in data["sites"]] == [("Spinner", 1), ("Gin", 2), ("Farm", 3)]


def test_downstream_and_paths_through_a_diamond(api, analyst):
    farm, gin_a, gin_b, mill = (add_site(analyst, n) for n in ("Farm", "Gin A", "Gin B", "Mill"))
    add_link(analyst, farm, gin_a, 0.5)
    add_link(analyst, farm, gin_b, 0.5)
    add_link(analyst, gin_a, mill, 0.5)
    add_link(analyst, gin_b, mill, 0.5)
    add_link(analyst, mill, None, 1)
    client = api(analyst)
    down = client.data(DOWNSTREAM, {"id": gid(farm)})["downstream"]["sites"]
    assert sorted((s["site"]["name"], s["distance"]) for s in down) == [("Gin A", 1), ("Gin B", 1), ("Mill", 2)]
    paths = client.data(PATHS, {"from": gid(farm)})["paths"]
    assert sorted([s["name"] for s in p["sites"]] for p in paths) == [["Farm", "Gin A", "Mill"], ["Farm", "Gin B", "Mill"]]
    assert all(p["reachesCompany"] for p in paths)
    to_mill = client.data(PATHS, {"from": gid(farm), "to": gid(mill)})["paths"]
    assert len(to_mill) == 2 and not any(p["reachesCompany"] for p in to_mill)


def test_cycle_does_not_loop_forever(api, analyst):
    a, b = add_site(analyst, "Trader A"), add_site(analyst, "Trader B")
    add_link(analyst, a, b, 0.1)
    add_link(analyst, b, a, 0.1)
    add_link(analyst, a, None, 1)
    data = api(analyst).data(UPSTREAM, {"id": None})["upstream"]
    assert sorted(s["site"]["name"] for s in data["sites"]) == ["Trader A", "Trader B"]


def test_walks_ignore_other_companies_links(api, analyst, other_analyst):
    shared = add_site(analyst, "Shared mill", country="BD", os_id="BD2019067X1K87E")
    theirs = add_site(other_analyst, "Their gin")
    add_link(other_analyst, theirs, add_site(other_analyst, "Shared", country="BD", os_id="BD2019067X1K87E"), 0.5)
    add_link(analyst, shared, None, 1)
    data = api(analyst).data(UPSTREAM, {"id": gid(shared)})["upstream"]
    assert data["sites"] == [] and data["links"] == []


def test_depth_out_of_range_is_an_error(api, analyst):
    result = api(analyst)("{ upstream(depth: 99) { truncated } }")
    assert result["errors"][0]["extensions"]["code"] == "OUT_OF_RANGE"
