"""Hostile queries are refused before they run: depth, cost, aliases, page size."""

DEEP = "{ sites(first: 1) { edges { node { linksOut { downstream { linksOut { downstream { linksOut { downstream { linksOut { downstream { linksOut { downstream { name } } } } } } } } } } } } } }"
COSTLY = "{ sites(first: 100) { edges { node { supplier { sites { supplier { sites { supplier { sites { name } } } } } } } } } a: sites(first: 100) { edges { node { name } } } }"
NESTED_PAGES = "{ " + " ".join(f"s{i}: sites(first: 100) {{ edges {{ node {{ name commodities {{ code }} }} }} }}" for i in range(40)) + " }"
UNPAGED = "{ sites { edges { node { name } } } }"
TOO_LARGE_PAGE = "{ sites(first: 101) { edges { node { name } } } }"
INTROSPECTION = "{ __schema { types { name } } }"


def codes(result):
    return [error.get("extensions", {}).get("code") for error in result["errors"]]


def test_over_deep_query_is_refused(api, analyst):
    result = api(analyst)(DEEP)
    assert "data" not in result or result["data"] is None
    assert "exceeds maximum operation depth" in result["errors"][0]["message"]


def test_too_many_aliases_are_refused(api, analyst):
    result = api(analyst)(NESTED_PAGES)
    assert "TOO_MANY_ALIASES" in codes(result)


def test_cost_limit(api, analyst, settings):
    settings.GRAPHQL_MAX_COST = 1000
    result = api(analyst)(COSTLY)
    assert "QUERY_TOO_COSTLY" in codes(result)
    assert result.get("data") is None


def test_lists_require_first_or_last_and_cap_at_100(api, analyst):
    assert "must provide a `first` or `last`" in api(analyst)(UNPAGED)["errors"][0]["message"]
    assert "exceeds the `first` limit of 100" in api(analyst)(TOO_LARGE_PAGE)["errors"][0]["message"]


def test_introspection_is_off_without_debug(api, analyst):
    result = api(analyst)(INTROSPECTION)
    assert "introspection is disabled" in result["errors"][0]["message"].lower()


def test_no_did_you_mean_suggestions_without_debug(api, analyst):
    result = api(analyst)("{ site { nam } }")
    assert all("Did you mean" not in error["message"] for error in result["errors"])
