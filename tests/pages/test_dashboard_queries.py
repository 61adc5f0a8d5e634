"""Each compliance page runs a fixed number of queries, whatever the size of the network it shows: the count measured
holds exactly after five more farms join Northwind's network (pytest-django's django_assert_num_queries), within the
budget below (the counts measured on 2 December, plus one: the engine's reads of reference data are not this page's).

Of each count, three are the session, the user and its organization, and one the session's save (sessions expire);
the site page's explanation loads the company's graph as the riskExplanation query does (graph/services/
explanations.py), and its upstream picture walks one query per tier (at most graph/views/site.py PICTURE_DEPTH)."""

import pytest
from django.urls import reverse

from factories import add_link, add_site
from graph.services.risk_jobs import recompute
from test_dashboard_pages import build_dashboard_world, client_of

PAGES = {  # page → (URL name, argument, most queries: the count measured, with room for one more reference read)
    "dashboard": ("graph:dashboard", None, 18),
    "register": ("graph:register", None, 13),
    "site": ("graph:site", "mill", 34),
    "company": ("graph:company", None, 22),
    "supplier": ("graph:supplier", "operator", 10),
    "grievances": ("audits:board-grievances", None, 11),
    "remediation": ("audits:board-remediation", None, 10),
}


@pytest.fixture
def dashboard_world(make_org, make_user):
    return build_dashboard_world(make_org, make_user)


def more_farms(world, how_many: int) -> None:
    for number in range(how_many):
        farm = add_site(world.users["north"], f"Extra farm {number}", country="TM", kind="farm")
        add_link(world.users["north"], farm, world.sites["mill"])
    recompute(world.orgs["north"].pk, full=True)


@pytest.mark.parametrize("name", PAGES)
def test_a_page_runs_a_fixed_number_of_queries(name, dashboard_world, django_assert_max_num_queries,
                                               django_assert_num_queries):
    # given Northwind's network
    w = dashboard_world
    url_name, argument, most = PAGES[name]
    args = [] if argument is None else [(w.sites.get(argument) or w.objects[argument]).pk]
    client = client_of(w.users["north"])
    url = reverse(url_name, args=args)
    client.get(url)  # the first request of a process fills its caches of reference data; a page is measured after
    # when the analyst opens the page, it takes at most its budget
    with django_assert_max_num_queries(most) as first:
        assert client.get(url).status_code == 200
    # then, five more farms later, exactly as many
    more_farms(w, 5)
    with django_assert_num_queries(len(first)):
        assert client.get(url).status_code == 200
