"""The endpoint's limits: every standard rule runs, documents are measured through their fragments, list fields
count their bounds, `__typename` is allowed, and execution stops at its deadline and its response size limit.
The hostile corpus (tests/fixtures/hostile_queries/) is run by test_hostile_queries.py."""

import json

import pytest
from graphql import get_introspection_query

from backend.models import ApiToken
from factories import add_link, add_site
from graph.models import Site
from support.servers import current_database_url, gunicorn, timed

UNKNOWN_FIELD = "{ me { usernam } }"
UNKNOWN_ARGUMENT = "{ sites(first: 2, nonsense: 5) { totalCount } }"
FRAGMENT_ON_WRONG_TYPE = "{ me { ...OnSite } } fragment OnSite on Site { name }"
VARIABLE_OF_WRONG_TYPE = "query($f: String) { sites(first: $f) { totalCount } }"
ENUM_VARIABLE = "query($s: SiteSortingInput) { sites(first: 1, sortBy: $s) { totalCount } }"
DEEP = "{ sites(first: 1) { edges { node { " + "linksOut(first: 1) { downstream { " * 5 + "name" + " } }" * 5 + " } } } }"
DEEP_THROUGH_FRAGMENTS = """{ sites(first: 1) { edges { node { ...A } } } }
fragment A on Site { linksOut(first: 1) { downstream { ...B } } }
fragment B on Site { linksOut(first: 1) { downstream { ...C } } }
fragment C on Site { linksOut(first: 1) { downstream { ...D } } }
fragment D on Site { linksOut(first: 1) { downstream { ...E } } }
fragment E on Site { linksOut(first: 1) { downstream { name } } }"""
TWENTY_ALIASES = " ".join(f"a{i}: username" for i in range(20))
ALIASES_IN_A_FRAGMENT_SPREAD_TWICE = f"{{ me {{ ...Names }} again: me {{ ...Names }} }} fragment Names on Me {{ {TWENTY_ALIASES} }}"
COSTLY = "{ sites(first: 100) { edges { node { supplier { sites { supplier { sites { supplier { sites { name } } } } } } } } } a: sites(first: 100) { edges { node { name } } } }"
CONES_OF_LINKS = "{ upstream(depth: 10) { sites { site { linksIn { upstream { linksIn { upstream { name } } } } } } } }"
PAGE_BY_VARIABLE = "query($n: Int!) { sites(first: $n) { edges { node { linksIn { share } } } } }"
LINKS_BY_VARIABLE = "query($links: Int) { sites(first: 5) { edges { node { linksIn(first: $links) { share } } } } }"
UNPAGED = "{ sites { edges { node { name } } } }"
TOO_LARGE_PAGE = "{ sites(first: 101) { edges { node { name } } } }"
TYPENAME = "{ __typename me { __typename username } }"
SCHEMA = "{ __schema { types { name } } }"
TYPE = '{ __type(name: "Site") { name } }'
SITES_PAGE = "{ sites(first: 100) { edges { node { name country kind supplier { name } commodities { code } linksOut { share } } } } }"
SITE_CREATE = 'mutation { siteCreate(input: {name: "Late Mill", country: "IN"}) { site { name country kind address } errors { code } } }'


def codes(result):
    return [error.get("extensions", {}).get("code") for error in result["errors"]]


def refused(result, code: str) -> bool:
    """No data, and every error carries `code`."""
    return result.get("data") is None and set(codes(result)) == {code}


def test_an_unknown_field_is_refused_not_answered_empty(api, analyst):
    result = api(analyst)(UNKNOWN_FIELD)
    assert refused(result, "GRAPHQL_VALIDATION_FAILED")
    assert result["errors"][0]["message"] == "Cannot query field 'usernam' on type 'Me'."


def test_an_unknown_argument_is_refused(api, analyst):
    result = api(analyst)(UNKNOWN_ARGUMENT)
    assert refused(result, "GRAPHQL_VALIDATION_FAILED")
    assert result["errors"][0]["message"] == "Unknown argument 'nonsense' on field 'Query.sites'."


def test_a_fragment_on_the_wrong_type_is_refused(api, analyst):
    result = api(analyst)(FRAGMENT_ON_WRONG_TYPE)
    assert refused(result, "GRAPHQL_VALIDATION_FAILED")
    assert "Fragment 'OnSite' cannot be spread here" in result["errors"][0]["message"]


def test_a_variable_of_the_wrong_type_is_refused_by_name(api, analyst):
    result = api(analyst)(VARIABLE_OF_WRONG_TYPE, {"f": "2"})
    assert refused(result, "GRAPHQL_VALIDATION_FAILED")
    assert result["errors"][0]["message"] == "Variable '$f' of type 'String' used in position expecting type 'Int'."


def test_no_did_you_mean_suggestions_without_debug(api, analyst):
    client = api(analyst)
    messages = [error["message"] for error in client(UNKNOWN_FIELD)["errors"] + client(ENUM_VARIABLE, {"s": {"field": "NAM"}})["errors"]]
    assert len(messages) == 2
    assert all("Did you mean" not in message for message in messages), messages


def test_suggestions_are_given_with_debug(api, analyst, settings):
    settings.DEBUG = True
    client = api(analyst)
    assert client(UNKNOWN_FIELD)["errors"][0]["message"].endswith("Did you mean 'username'?")
    assert "Did you mean the enum value 'NAME'?" in client(ENUM_VARIABLE, {"s": {"field": "NAM"}})["errors"][0]["message"]


def test_an_over_deep_query_is_refused(api, analyst):
    result = api(analyst)(DEEP)
    assert refused(result, "QUERY_TOO_DEEP")
    assert result["errors"][0]["message"] == "Query depth 13 exceeds the limit of 12 nested selections."


def test_depth_counts_through_fragments(api, analyst):
    assert refused(api(analyst)(DEEP_THROUGH_FRAGMENTS), "QUERY_TOO_DEEP")


def test_aliases_count_every_spread_of_a_fragment(api, analyst):
    result = api(analyst)(ALIASES_IN_A_FRAGMENT_SPREAD_TWICE)
    assert refused(result, "TOO_MANY_ALIASES")
    assert result["errors"][0]["message"] == "Too many aliases: 41, at most 30 are allowed in one query."


def test_cost_limit(api, analyst, settings):
    settings.GRAPHQL_MAX_COST = 1000
    assert refused(api(analyst)(COSTLY), "QUERY_TOO_COSTLY")


def test_lists_without_first_count_their_bound(api, analyst):
    """The cone lists up to 5,000 sites, a site's links 20 by default: 2 + 5000 × (1 + 1 + 20 × (1 + 1 + 20 × 2))."""
    result = api(analyst)(CONES_OF_LINKS)
    assert refused(result, "QUERY_TOO_COSTLY")
    assert result["errors"][0]["message"].startswith("Query cost 4,210,002 exceeds the limit of 50,000")


@pytest.mark.parametrize("page, allowed", [(5, True), (100, False)])
def test_a_page_size_given_by_a_variable_counts_as_given(api, analyst, settings, page, allowed):
    settings.GRAPHQL_MAX_COST = 1000  # 5 sites × 20 links: 116; 100 sites: 2,301
    result = api(analyst)(PAGE_BY_VARIABLE, {"n": page})
    assert (not result.get("errors")) if allowed else refused(result, "QUERY_TOO_COSTLY")


def test_a_page_variable_left_out_counts_as_the_arguments_default(api, analyst, settings):
    settings.GRAPHQL_MAX_COST = 300  # 5 sites × the default 20 links: 116; × the most, 100 links: 516
    assert not api(analyst)(LINKS_BY_VARIABLE).get("errors")
    assert refused(api(analyst)(LINKS_BY_VARIABLE, {"links": 100}), "QUERY_TOO_COSTLY")


def test_lists_require_first_or_last_and_cap_at_100(api, analyst):
    assert "must provide a `first` or `last`" in api(analyst)(UNPAGED)["errors"][0]["message"]
    assert "exceeds the `first` limit of 100" in api(analyst)(TOO_LARGE_PAGE)["errors"][0]["message"]


def test_typename_is_allowed_without_debug(api, viewer_user):
    data = api(viewer_user).data(TYPENAME)
    assert data == {"__typename": "Query", "me": {"__typename": "Me", "username": viewer_user.username}}


@pytest.mark.parametrize("query", [SCHEMA, TYPE], ids=["__schema", "__type"])
def test_introspection_is_off_without_debug(api, analyst, query):
    result = api(analyst)(query)
    assert refused(result, "INTROSPECTION_DISABLED")
    assert "introspection has been disabled" in result["errors"][0]["message"]


def test_graphiqls_introspection_query_runs_with_debug(api, analyst, settings):
    settings.DEBUG = True
    data = api(analyst).data(get_introspection_query(descriptions=True))
    assert any(t["name"] == "Site" for t in data["__schema"]["types"])


def test_a_query_that_is_not_a_string_is_a_parse_error(api, analyst):
    client = api(analyst)
    response = client.client.post("/graphql/", json.dumps({"query": 5}), content_type="application/json", **client.headers)
    assert response.status_code == 400
    assert refused(response.json(), "GRAPHQL_PARSE_FAILED")


@pytest.fixture
def page_of_sites(analyst):
    sites = [add_site(analyst, f"Site {index:03d}") for index in range(100)]
    for upstream, downstream in zip(sites, sites[1:]):
        add_link(analyst, upstream, downstream, share=0.5)


def test_a_query_past_its_deadline_stops_with_one_error(api, analyst, settings, page_of_sites):
    settings.GRAPHQL_TIMEOUT_SECONDS = 0.001  # resolving 100 sites with their relations takes far longer
    result = api(analyst)(SITES_PAGE)
    assert refused(result, "QUERY_TIMEOUT")
    assert len(result["errors"]) == 1
    assert result["errors"][0]["message"].startswith("The query ran longer than 0.001 s and was stopped")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_gunicorn_stops_a_query_at_the_configured_timeout(postgres, analyst, page_of_sites, tmp_path):
    token = ApiToken.issue(analyst, "timeout test")[1]
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    with gunicorn(tmp_path, {"DATABASE_URL": current_database_url(), "GRAPHQL_TIMEOUT_SECONDS": "0.001"}) as server:
        answer = timed("POST", f"{server.url}/graphql/", json.dumps({"query": SITES_PAGE}).encode(), headers)
    assert answer.status == 200 and answer.seconds < 5, answer
    assert refused(json.loads(answer.body), "QUERY_TIMEOUT")


def test_a_mutation_past_its_deadline_changes_nothing(api, analyst, settings):
    client = api(analyst)
    settings.GRAPHQL_TIMEOUT_SECONDS = 0.001  # the site is written, then its fields are resolved past the deadline
    result = client(SITE_CREATE)
    assert refused(result, "QUERY_TIMEOUT")
    assert not Site.objects.filter(name="Late Mill").exists()


def test_a_response_over_the_size_limit_is_replaced_by_an_error(api, analyst, settings, page_of_sites):
    settings.GRAPHQL_MAX_RESPONSE_BYTES = 5000
    result = api(analyst)(SITES_PAGE)
    assert refused(result, "RESPONSE_TOO_LARGE")
    assert "more than the limit of 5,000" in result["errors"][0]["message"]
