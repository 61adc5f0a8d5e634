"""Registry resolution reveals nothing: an identifier joins only an entry the organization may already see.

Company B registers entries; company A (an admin or an analyst) then gives the same identifiers. A private entry
of B's (one known by DUNS or by country + tax id) is never matched: A gets an entry of its own, with an answer,
and a run of queries, equal to those it gets when B's entry does not exist. A public entry (an LEI, an OS ID, or
marked public) is one row per real-world entity: A joins it and sees its public description, which only B may
change. The same holds for supply-map imports.
"""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql_relay import to_global_id

from backend.models import Role
from backend.tenancy import Viewer
from factories import add_site
from graph import services
from graph.models import NetworkSupplier, Site, Supplier
from imports.models import ResolutionDecision, Status
from imports.services import jobs
from imports.services.resolution import row_key

SUPPLIER_CREATE = """
mutation($input: SupplierInput!) {
  supplierCreate(input: $input) { supplier { id name country inNetwork } errors { field code message } }
}"""
SUPPLIER_UPDATE = """
mutation($id: ID!, $input: SupplierInput!) {
  supplierUpdate(id: $id, input: $input) { supplier { id name country } errors { field code message } }
}"""
SUPPLIER_SEARCH = """query($search: String!) { suppliers(first: 10, search: $search) { totalCount } }"""
SITE_CREATE = """
mutation($input: SiteInput!) { siteCreate(input: $input) { site { id name } errors { field code message } } }"""
SITE_UPDATE = """
mutation($id: ID!, $input: SiteInput!) {
  siteUpdate(id: $id, input: $input) { site { id name } errors { field code message } }
}"""
SITE_SEARCH = """query($search: String!) { sites(first: 10, search: $search) { totalCount } }"""

LEI = "5493001KJTIIGC8Y1R12"
OS_ID = "BD2019067X1K87E"
# A private identifier held by B's entry, and one nobody holds, as API input and as the stored values.
PRIVATE_IDENTIFIERS = {
    "duns": ({"country": "CI", "duns": "123456789"}, {"country": "CI", "duns": "987654321"}),
    "tax id": ({"country": "CI", "taxId": "T1"}, {"country": "CI", "taxId": "T2"}),
}
STORED = {"duns": "duns", "taxId": "tax_id", "country": "country"}


def stored(identifier: dict) -> dict:
    return {STORED[key]: value for key, value in identifier.items()}


def gid(obj) -> str:
    return to_global_id(type(obj).__name__, obj.pk)


@pytest.fixture(params=[Role.ADMIN, Role.ANALYST])
def a_user(request, company, make_user):
    """Company A's user who creates things: an admin and an analyst."""
    return make_user(company, request.param)


def register_private(user, name: str, identifier: dict, **extra) -> Supplier:
    """A private supplier of `user`'s company, through the service the API uses."""
    return services.register_supplier(Viewer.of(user), {"name": name, "country": "CI", **stored(identifier), **extra})


def queries_of(run) -> tuple[object, list[str]]:
    """What `run()` returns, and the SQL it ran with every literal blanked (ids, identifiers, times differ)."""
    with CaptureQueriesContext(connection) as captured:
        result = run()
    shapes = [re.sub(r"'[^']*'|\d+", "?", query["sql"]) for query in captured.captured_queries]
    return result, shapes


def without_ids(data):
    """A GraphQL answer with every `id` removed, to compare two answers about different entries."""
    if isinstance(data, dict):
        return {key: without_ids(value) for key, value in data.items() if key != "id"}
    if isinstance(data, list):
        return [without_ids(item) for item in data]
    return data


@pytest.mark.parametrize("kind", PRIVATE_IDENTIFIERS)
def test_a_private_entry_is_never_joined_by_its_identifier(postgres, api, a_user, other_analyst, kind):
    # given B's private supplier "X", which A's search does not see
    held, free = PRIVATE_IDENTIFIERS[kind]
    theirs = register_private(other_analyst, "X", held)
    client = api(a_user)
    searched = next(value for key, value in held.items() if key != "country")
    assert client.data(SUPPLIER_SEARCH, {"search": searched})["suppliers"]["totalCount"] == 0
    client.data(SUPPLIER_CREATE, {"input": {"name": "warm-up", "country": "CI"}})
    # when A creates a supplier with B's identifier, and another with an identifier nobody holds
    joined, joined_queries = queries_of(lambda: client.data(SUPPLIER_CREATE, {"input": {"name": "any", **held}}))
    fresh, fresh_queries = queries_of(lambda: client.data(SUPPLIER_CREATE, {"input": {"name": "any", **free}}))
    # then both answers are A's own new entry named as A typed it, and the same queries ran for both
    created = joined["supplierCreate"]
    assert created["errors"] == [] and created["supplier"]["name"] == "any"
    assert created["supplier"]["id"] != gid(theirs)
    assert without_ids(joined) == without_ids(fresh)
    assert joined_queries == fresh_queries
    # and B's entry is as B left it, in B's network only
    theirs.refresh_from_db()
    assert theirs.name == "X"
    assert list(NetworkSupplier.objects.filter(supplier=theirs).values_list("company__name", flat=True)) == ["Company B"]


@pytest.mark.parametrize("kind", PRIVATE_IDENTIFIERS)
def test_an_identifier_a_hidden_entry_holds_can_be_given_to_an_own_entry(postgres, api, a_user, other_analyst, kind):
    # given B's private supplier with an identifier, and two suppliers of A's own
    held, free = PRIVATE_IDENTIFIERS[kind]
    register_private(other_analyst, "X", held)
    client = api(a_user)
    first, second = (client.data(SUPPLIER_CREATE, {"input": {"name": name, "country": "CI"}})["supplierCreate"]["supplier"]
                     for name in ("Mine", "Also mine"))
    # when A gives B's identifier to one and the free one to the other
    given, given_queries = queries_of(lambda: client.data(SUPPLIER_UPDATE, {"id": first["id"], "input": held}))
    other, other_queries = queries_of(lambda: client.data(SUPPLIER_UPDATE, {"id": second["id"], "input": free}))
    # then both succeed alike: no clash names an entry A cannot see
    assert given["supplierUpdate"]["errors"] == [] and other["supplierUpdate"]["errors"] == []
    assert given_queries == other_queries
    assert Supplier.objects.filter(**stored(held)).count() == 2


@pytest.mark.parametrize("kind", PRIVATE_IDENTIFIERS)
def test_an_own_entry_holding_the_identifier_is_the_clash_the_update_names(postgres, api, a_user, kind):
    # given two suppliers of A's, one with an identifier
    held, _free = PRIVATE_IDENTIFIERS[kind]
    client = api(a_user)
    client.data(SUPPLIER_CREATE, {"input": {"name": "Mine", **held}})
    second = client.data(SUPPLIER_CREATE, {"input": {"name": "Also mine", "country": "CI"}})["supplierCreate"]["supplier"]
    # when A gives the same identifier to the other one
    result = client.data(SUPPLIER_UPDATE, {"id": second["id"], "input": held})["supplierUpdate"]
    # then it is refused on that field, naming A's own entry
    field = next(key for key in held if key != "country")
    assert (result["errors"][0]["field"], result["errors"][0]["code"]) == (field, "UNIQUE")
    assert "'Mine'" in result["errors"][0]["message"]


PUBLIC_SUPPLIERS = {
    "LEI": {"lei": LEI},
    "DUNS, marked public": {"duns": "123456789", "isPublic": True},
    "tax id, marked public": {"country": "CI", "taxId": "T1", "isPublic": True},
}


@pytest.mark.parametrize("kind", PUBLIC_SUPPLIERS)
def test_a_public_supplier_is_joined_and_only_its_registrant_changes_it(postgres, api, a_user, other_analyst, kind):
    # given B's public supplier, which A's search already sees
    identifier = PUBLIC_SUPPLIERS[kind]
    theirs = api(other_analyst).data(SUPPLIER_CREATE, {"input": {"name": "Acme", "country": "CI", **identifier}})
    theirs = theirs["supplierCreate"]["supplier"]
    client = api(a_user)
    searched = next(value for key, value in identifier.items() if key not in ("country", "isPublic"))
    assert client.data(SUPPLIER_SEARCH, {"search": searched})["suppliers"]["totalCount"] == 1
    # when A creates a supplier with its identifier
    given = {key: value for key, value in identifier.items() if key != "isPublic"}
    joined = client.data(SUPPLIER_CREATE, {"input": {"name": "any", "country": "CI", **given}})["supplierCreate"]
    # then A's network holds B's entry, with its public description
    assert joined["errors"] == []
    assert joined["supplier"] == {"id": theirs["id"], "name": "Acme", "country": "CI", "inNetwork": True}
    # and A cannot change it
    refused = client.data(SUPPLIER_UPDATE, {"id": theirs["id"], "input": {"name": "Renamed"}})["supplierUpdate"]
    assert refused["errors"][0]["code"] == "NOT_EDITABLE"
    assert Supplier.objects.get(name="Acme")


def test_a_tax_id_resolves_within_its_country_only(postgres, api, a_user, other_analyst):
    # given B's public supplier with tax id T1 in Ghana
    api(other_analyst).data(SUPPLIER_CREATE, {"input": {"name": "Acme", "country": "GH", "taxId": "T1", "isPublic": True}})
    # when A creates a supplier with tax id T1 in Côte d'Ivoire
    created = api(a_user).data(SUPPLIER_CREATE, {"input": {"name": "any", "country": "CI", "taxId": "T1"}})
    # then it is a new entry of A's
    assert created["supplierCreate"]["supplier"]["name"] == "any"


def test_a_site_with_an_os_id_is_joined_and_only_its_registrant_changes_it(postgres, api, a_user, other_analyst):
    # given B's site with an Open Supply Hub ID, public by it, which A's search already sees
    theirs = add_site(other_analyst, "Shared Garments", country="BD", os_id=OS_ID)
    client = api(a_user)
    assert client.data(SITE_SEARCH, {"search": OS_ID})["sites"]["totalCount"] == 1
    # when A creates a site with that OS ID
    joined = client.data(SITE_CREATE, {"input": {"name": "any", "country": "BD", "osId": OS_ID.lower()}})["siteCreate"]
    # then A's network holds B's site with its public description, which A cannot change
    assert (joined["site"]["id"], joined["site"]["name"]) == (gid(theirs), "Shared Garments")
    refused = client.data(SITE_UPDATE, {"id": gid(theirs), "input": {"name": "Renamed"}})["siteUpdate"]
    assert refused["errors"][0]["code"] == "NOT_EDITABLE"
    assert Site.objects.get().name == "Shared Garments"


def test_an_os_id_clash_on_update_names_the_public_site_on_the_os_id_field(postgres, api, a_user, other_analyst):
    # given B's site with an OS ID and a site of A's without one
    add_site(other_analyst, "Shared Garments", country="BD", os_id=OS_ID)
    mine = add_site(a_user, "Mine", country="BD")
    # when A gives its site that OS ID
    result = api(a_user).data(SITE_UPDATE, {"id": gid(mine), "input": {"osId": OS_ID}})["siteUpdate"]
    # then it is refused on osId, naming the public site (A sees it anyway) so that A can join it instead
    assert (result["errors"][0]["field"], result["errors"][0]["code"]) == ("osId", "UNIQUE")
    assert "'Shared Garments'" in result["errors"][0]["message"]


def test_a_hidden_supplier_cannot_be_named_as_a_sites_operator(postgres, api, a_user, other_analyst):
    # given B's private supplier and an ID nobody holds
    theirs = register_private(other_analyst, "X", {"duns": "123456789"})
    client = api(a_user)
    answers = []
    for supplier_id in (gid(theirs), to_global_id("Supplier", theirs.pk + 1000)):
        # when A creates a site operated by it
        answer = client.data(SITE_CREATE, {"input": {"name": "Gin", "country": "CI", "supplierId": supplier_id}})
        answers.append(repr(answer).replace(supplier_id, "?"))
    # then the answer is the one for a supplier that does not exist
    assert answers[0] == answers[1]
    assert "NOT_FOUND" in answers[0]


def test_b_makes_its_entry_public_while_a_holds_a_private_twin(postgres, api, analyst, other_analyst, make_org, make_user):
    # given B's private supplier and A's own entry with the same DUNS (A could not see B's)
    duns = {"duns": "123456789"}
    theirs = register_private(other_analyst, "X", duns)
    twin = api(analyst).data(SUPPLIER_CREATE, {"input": {"name": "Mine", "country": "CI", **duns}})["supplierCreate"]
    # when B marks its entry public
    published = api(other_analyst).data(SUPPLIER_UPDATE, {"id": gid(theirs), "input": {"isPublic": True}})
    # then it may: nothing tells B of A's private twin
    assert published["supplierUpdate"]["errors"] == []
    # and A, naming the DUNS again, keeps the entry of its network, while a newcomer joins the public one
    again = api(analyst).data(SUPPLIER_CREATE, {"input": {"name": "any", "country": "CI", **duns}})["supplierCreate"]
    assert again["supplier"]["id"] == twin["supplier"]["id"]
    newcomer = make_user(make_org("Company C"), Role.ANALYST)
    joined = api(newcomer).data(SUPPLIER_CREATE, {"input": {"name": "any", "country": "CI", **duns}})["supplierCreate"]
    assert (joined["supplier"]["id"], joined["supplier"]["name"]) == (gid(theirs), "X")
    # and A cannot make its twin public too: that clash is with a public entry, named on the DUNS field
    refused = api(analyst).data(SUPPLIER_UPDATE, {"id": twin["supplier"]["id"], "input": {"isPublic": True}})
    error = refused["supplierUpdate"]["errors"][0]
    assert (error["field"], error["code"]) == ("duns", "UNIQUE") and "'X'" in error["message"]


def test_a_registrant_finds_again_the_entry_it_registered_after_letting_it_go(postgres, api, analyst, other_analyst):
    # given A's supplier operating A's public mill, which B joined (it sees it through the mill)
    duns = {"country": "CI", "duns": "123456789"}
    client = api(analyst)
    mine = client.data(SUPPLIER_CREATE, {"input": {"name": "Mine", **duns}})["supplierCreate"]["supplier"]
    mill = add_site(analyst, "Mill", country="CI", os_id="CI2019067X1K87E")
    services.update_site(Viewer.of(analyst), mill, {"supplier": Supplier.objects.get(name="Mine")})
    add_site(other_analyst, "Mill", country="CI", os_id="CI2019067X1K87E")
    joined = api(other_analyst).data(SUPPLIER_CREATE, {"input": {"name": "B's", **duns}})["supplierCreate"]
    assert joined["supplier"]["id"] == mine["id"]
    # and A then let it go: the mill no longer names it, A's network no longer holds it (B's still does)
    services.update_site(Viewer.of(analyst), mill, {"supplier": None})
    client.data("mutation($id: ID!) { supplierDelete(id: $id) { errors { code } } }", {"id": mine["id"]})
    # when A names its DUNS again
    again = client.data(SUPPLIER_CREATE, {"input": {"name": "any", **duns}})["supplierCreate"]
    # then A finds the entry it registered (and still alone may change), not a clash with it
    assert again["errors"] == [] and (again["supplier"]["id"], again["supplier"]["name"]) == (mine["id"], "Mine")


# The import path: supply maps resolve suppliers by identifier and sites by OS ID, exact names and similarity.

SITE_NAMES = {"S-0": "Abidjan Ginnery", "S-1": "Bouake Cotton Works", "S-2": "Korhogo Spinning"}
IMPORT_HEADER = ["Site reference", "Site name", "Address", "Country", "Supplier reference", "Supplier name",
                 "Supplier DUNS", "Supplier tax ID", "Supplier country"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def import_map(user, rows: list[list]) -> tuple[object, int]:
    """Commit a supply map of `rows` as `user`'s company; the job and the number of queries it ran."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([IMPORT_HEADER, *rows])
    upload = SimpleUploadedFile("map.csv", out.getvalue().encode())
    with CaptureQueriesContext(connection) as captured:
        job = jobs.commit(jobs.create_job(Viewer.of(user), "supply_map", upload, commit=True, queue=False))
    return job, len(captured.captured_queries)


def import_row(site_ref: str, supplier_ref: str, identifier: dict, name: str | None = None) -> list:
    """A row: a site, and the supplier operating it (named after its reference unless `name` is given)."""
    values = stored(identifier)
    return [site_ref, SITE_NAMES[site_ref], "", "CI", supplier_ref, name or f"Vendor {supplier_ref}", values.get("duns", ""),
            values.get("tax_id", ""), values.get("country", "")]


def outcome(job) -> tuple:
    """What an import job tells its company: status, counts and problems."""
    problems = list(job.problems.order_by("row", "id").values_list("row", "column", "code", "message"))
    return job.status, job.summary["entities"], problems


@pytest.mark.parametrize("kind", PRIVATE_IDENTIFIERS)
def test_an_import_never_joins_a_hidden_supplier(postgres, a_user, other_analyst, kind):
    # given B's private supplier "X"
    held, free = PRIVATE_IDENTIFIERS[kind]
    theirs = register_private(other_analyst, "X", held)
    import_map(a_user, [import_row("S-0", "V-0", {})])
    # when A imports a supplier with B's identifier, and another with an identifier nobody holds
    joined, joined_queries = import_map(a_user, [import_row("S-1", "V-1", held)])
    fresh, fresh_queries = import_map(a_user, [import_row("S-2", "V-2", free)])
    # then each is a new supplier of A's, told alike, with as many queries
    assert joined.status == Status.COMMITTED
    assert outcome(joined) == outcome(fresh)
    assert joined_queries == fresh_queries
    mine = NetworkSupplier.objects.get(company=a_user.organization, internal_ref="V-1").supplier
    assert mine != theirs and (mine.name, mine.registered_by) == ("Vendor V-1", a_user.organization)
    assert not NetworkSupplier.objects.filter(company=a_user.organization, supplier=theirs).exists()


@pytest.mark.parametrize("kind", PRIVATE_IDENTIFIERS)
def test_an_import_gives_an_own_supplier_an_identifier_a_hidden_entry_holds(postgres, a_user, other_analyst, kind):
    # given B's private supplier, and two suppliers of A's without identifiers
    held, free = PRIVATE_IDENTIFIERS[kind]
    register_private(other_analyst, "X", held)
    import_map(a_user, [import_row("S-1", "V-1", {}), import_row("S-2", "V-2", {})])
    # when A's next files give them B's identifier and the free one
    given, given_queries = import_map(a_user, [import_row("S-1", "V-1", held)])
    other, other_queries = import_map(a_user, [import_row("S-2", "V-2", free)])
    # then both are updated alike
    assert given.status == Status.COMMITTED, outcome(given)
    assert outcome(given) == outcome(other)
    assert given_queries == other_queries
    mine = NetworkSupplier.objects.get(company=a_user.organization, internal_ref="V-1").supplier
    assert (mine.name, mine.duns, mine.tax_id) == ("Vendor V-1", stored(held).get("duns"), stored(held).get("tax_id"))


def test_an_import_prefers_the_entry_of_its_network_then_the_public_one(
    postgres, analyst, other_analyst, make_org, make_user
):
    # given B's supplier made public after A registered a private twin with the same DUNS
    duns = {"duns": "123456789"}
    theirs = register_private(other_analyst, "X", duns)
    twin = register_private(analyst, "Mine", duns)
    assert twin != theirs
    services.update_supplier(Viewer.of(other_analyst), theirs, {"is_public": True})
    newcomer = make_user(make_org("Company C"), Role.ANALYST)
    # when A and a newcomer import a supplier with that DUNS
    import_map(analyst, [import_row("S-1", "", duns, name="Mine")])
    import_map(newcomer, [import_row("S-1", "", duns, name="X")])
    # then A's rows name its twin, and the newcomer's the public entry
    assert Site.objects.get(network_entries__company=analyst.organization).supplier == twin
    assert Site.objects.get(network_entries__company=newcomer.organization).supplier == theirs


def test_an_import_offers_no_hidden_site_as_a_candidate(postgres, a_user, other_analyst):
    # given B's private site, and an upload naming it exactly, and one naming a near twin of it
    add_site(other_analyst, "Usine Nord", country="CI", address="12 rue du Port")
    rows = [["S-1", "Usine Nord", "12 rue du Port", "CI", "", "", "", "", ""],
            ["S-2", "Usine du Nord", "12 rue du Port", "CI", "", "", "", "", ""]]
    # when A imports them
    job, _queries = import_map(a_user, rows)
    # then they are new sites of A's: no candidate, no review
    assert job.status == Status.COMMITTED and not job.candidates.exists()
    assert job.summary["entities"]["sites"]["created"] == 2


def test_an_earlier_decision_for_a_site_now_hidden_is_not_followed(postgres, a_user, other_analyst):
    # given A's remembered decision that its row is B's site, which B has since made private
    theirs = add_site(other_analyst, "Usine Nord", country="CI", address="12 rue du Port", is_public=True)
    ResolutionDecision.objects.create(organization=a_user.organization, row_key=row_key(SITE_NAMES["S-1"], "", "CI"),
                                      site=theirs, decided_by=a_user)
    services.update_site(Viewer.of(other_analyst), theirs, {"is_public": False})
    # when A imports that row
    job, _queries = import_map(a_user, [import_row("S-1", "", {})])
    # then it is a new site of A's, and B's site stays out of A's network, unchanged
    assert job.status == Status.COMMITTED, outcome(job)
    assert job.summary["entities"]["sites"] == {"created": 1, "updated": 0, "unchanged": 0}
    assert Site.objects.get(network_entries__company=a_user.organization) != theirs


def test_two_new_suppliers_of_one_file_cannot_share_an_identifier(postgres, a_user):
    # given a file whose rows describe two new suppliers (two references) with one DUNS number
    duns = {"duns": "123456789"}
    rows = [import_row("S-1", "V-1", duns), import_row("S-2", "V-2", duns)]
    # when A imports it
    job, _queries = import_map(a_user, rows)
    # then the later row is refused on its DUNS cell, naming the earlier row, and nothing is written
    assert job.status == Status.INVALID
    assert [problem[:3] for problem in outcome(job)[2]] == [(3, "Supplier DUNS", "conflict")]
    assert "Row 2" in outcome(job)[2][0][3]
    assert not Supplier.objects.exists()
