"""Each compliance page runs a fixed number of queries, whatever the size of the network it shows: the counts below
hold before and after five more farms join Northwind's network (tests of pytest-django's django_assert_num_queries).

Of each count, three are the session, the user and its organization, and one the session's save (sessions expire);
the site page's explanation loads the company's graph as the riskExplanation query does (graph/services/
explanations.py), and its upstream picture walks one query per tier (at most graph/views/site.py PICTURE_DEPTH)."""

import pytest
from django.urls import reverse

from factories import add_link, add_site
from graph.services.risk_jobs import recompute
from test_dashboard_pages import build_dashboard_world, client_of

PAGES = {  # page → (URL name, argument, queries)
    "dashboard": ("graph:dashboard", None, 17),
    "register": ("graph:register", None, 12),
    "site": ("graph:site", "mill", 32),
    "company": ("graph:company", None, 20),
    "supplier": ("graph:supplier", "operator", 9),
    "grievances": ("audits:board-grievances", None, 10),
    "remediation": ("audits:board-remediation", None, 9),
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
def test_a_page_runs_a_fixed_number_of_queries(name, dashboard_world, django_assert_num_queries):
    # given Northwind's network, then the same with five more farms
    w = dashboard_world
    url_name, argument, queries = PAGES[name]
    args = [] if argument is None else [(w.sites.get(argument) or w.objects[argument]).pk]
    client = client_of(w.users["north"])
    for grown in (False, True):
        if grown:
            more_farms(w, 5)
        # when the analyst opens the page, then it takes the same number of queries
        with django_assert_num_queries(queries):
            assert client.get(reverse(url_name, args=args)).status_code == 200
