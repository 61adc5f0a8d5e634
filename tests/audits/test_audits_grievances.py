"""Grievances through the API: filing, routing to the companies that source from the site, the lifecycle, and
the reporter's identity, which no company ever sees by any route."""

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType

from audits.models import Grievance, GrievanceRouting
from audits.services import grievances
from backend.schema import schema
from factories import add_site
from support.audits_world import MILL_OS_ID, REPORTER_CONTACT, REPORTER_NAME, SECRET

FILE = """mutation($site: ID!, $input: GrievanceInput!) { grievanceFile(siteId: $site, input: $input) {
  grievance { id state reporter { name contact } } errors { field code message } } }"""
ACKNOWLEDGE = "mutation($id: ID!) { grievanceAcknowledge(id: $id) { grievance { state } errors { field code message } } }"
INVESTIGATE = "mutation($id: ID!) { grievanceInvestigate(id: $id) { grievance { state } errors { field code message } } }"
CONCLUDE = """mutation($id: ID!, $yes: Boolean!) { grievanceConclude(id: $id, substantiated: $yes) {
  grievance { state } errors { field code message } } }"""
REMEDIATE = "mutation($id: ID!) { grievanceRemediate(id: $id) { grievance { state } errors { field code message } } }"
CLOSE = "mutation($id: ID!) { grievanceClose(id: $id) { grievance { state } errors { field code message } } }"
ACTION_CREATE = """mutation($input: CorrectiveActionInput!) { correctiveActionCreate(input: $input) {
  correctiveAction { id } errors { field code } } }"""
ACTION_START = "mutation($id: ID!) { correctiveActionStart(id: $id) { errors { code } } }"
ACTION_COMPLETE = "mutation($id: ID!) { correctiveActionComplete(id: $id, note: \"Passports returned\") { errors { code } } }"
GRIEVANCES = "{ grievances(first: 10) { totalCount edges { node { id state reporter { name } } } } }"
HISTORY = """query($id: ID!) { grievance(id: $id) { state history { fromState toState at actor actorKind actorOrganization } } }"""

NEW_GRIEVANCE = {
    "channel": "HOTLINE", "category": "WORST_FORMS_CHILD_LABOUR", "description": "Children work nights at the looms.",
    "eventsOn": "2026-02-01", "workersAffected": 7, "childrenInvolved": True,
    "reporter": {"name": REPORTER_NAME, "contact": REPORTER_CONTACT},
}


def mutate(client, query, variables, field):
    return client.data(query, variables)[field]


def test_grievance_lifecycle_through_the_api(api, world):
    w = world
    workers, company_a, company_c = api(w.users["w"]), api(w.users["a"]), api(w.users["c"])

    # The workers' organization files a grievance about the mill; it sees its reporter
    filed = mutate(workers, FILE, {"site": w.ids["mill"], "input": NEW_GRIEVANCE}, "grievanceFile")
    assert filed["errors"] == [] and filed["grievance"]["state"] == "RECEIVED"
    assert filed["grievance"]["reporter"] == {"name": REPORTER_NAME, "contact": REPORTER_CONTACT}
    gid = filed["grievance"]["id"]

    # It reaches both companies sourcing from the mill, redacted, and no other
    for client in (company_a, company_c):
        page = client.data(GRIEVANCES)["grievances"]
        assert page["totalCount"] == 1 and page["edges"][0]["node"] == {"id": gid, "state": "RECEIVED", "reporter": None}
    assert api(w.users["b"]).data(GRIEVANCES)["grievances"]["totalCount"] == 0

    # The companies work the case; one case for all of them
    assert mutate(company_a, ACKNOWLEDGE, {"id": gid}, "grievanceAcknowledge")["grievance"]["state"] == "ACKNOWLEDGED"
    twice = mutate(company_c, ACKNOWLEDGE, {"id": gid}, "grievanceAcknowledge")
    assert twice["grievance"] is None and twice["errors"][0]["code"] == "ILLEGAL_TRANSITION"
    skip = mutate(company_c, CONCLUDE, {"id": gid, "yes": True}, "grievanceConclude")
    assert skip["errors"][0]["code"] == "ILLEGAL_TRANSITION"
    assert mutate(company_c, INVESTIGATE, {"id": gid}, "grievanceInvestigate")["grievance"]["state"] == "UNDER_INVESTIGATION"
    assert mutate(company_a, CONCLUDE, {"id": gid, "yes": True}, "grievanceConclude")["grievance"]["state"] == "SUBSTANTIATED"

    # Remediated only once a corrective action is done
    early = mutate(company_a, REMEDIATE, {"id": gid}, "grievanceRemediate")
    assert early["errors"][0]["code"] == "REMEDIATION_INCOMPLETE"
    action = mutate(company_a, ACTION_CREATE, {"input": {"grievanceId": gid, "title": "Remove children, pay schooling",
                                                          "dueOn": "2026-12-01"}}, "correctiveActionCreate")
    action_id = action["correctiveAction"]["id"]
    assert mutate(company_a, ACTION_START, {"id": action_id}, "correctiveActionStart")["errors"] == []
    assert mutate(company_a, ACTION_COMPLETE, {"id": action_id}, "correctiveActionComplete")["errors"] == []
    assert mutate(company_a, REMEDIATE, {"id": gid}, "grievanceRemediate")["grievance"]["state"] == "REMEDIATED"

    # A company cannot close it: only the workers can say it is settled
    denied = company_a(CLOSE, {"id": gid})
    assert denied["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED" and denied["data"]["grievanceClose"] is None
    assert mutate(workers, CLOSE, {"id": gid}, "grievanceClose")["grievance"]["state"] == "CLOSED"
    assert mutate(workers, CLOSE, {"id": gid}, "grievanceClose")["errors"][0]["code"] == "ILLEGAL_TRANSITION"

    # Every transition has its time and actor; each side sees names of its own organization only
    history = workers.data(HISTORY, {"id": gid})["grievance"]["history"]
    steps = [(h["fromState"], h["toState"], h["actorKind"]) for h in history]
    assert steps == [
        ("", "received", "workers_org"), ("received", "acknowledged", "company"),
        ("acknowledged", "under_investigation", "company"), ("under_investigation", "substantiated", "company"),
        ("substantiated", "remediated", "company"), ("remediated", "closed", "workers_org"),
    ]
    assert all(h["at"] for h in history)
    assert history[0]["actor"] == "workers-org-w-analyst" and history[1]["actor"] is None
    assert history[1]["actorOrganization"] is None  # W never learns which company sources from the mill
    seen_by_c = company_c.data(HISTORY, {"id": gid})["grievance"]["history"]
    assert seen_by_c[2]["actorOrganization"] == "Company C" and seen_by_c[1]["actorOrganization"] is None


def test_a_not_substantiated_grievance_is_closed_by_the_workers(api, full_world):
    w = full_world
    company = api(w.users["c"])
    mutate(company, INVESTIGATE, {"id": w.ids["grievance"]}, "grievanceInvestigate")
    mutate(company, CONCLUDE, {"id": w.ids["grievance"], "yes": False}, "grievanceConclude")
    assert mutate(company, REMEDIATE, {"id": w.ids["grievance"]}, "grievanceRemediate")["errors"][0]["code"] == "ILLEGAL_TRANSITION"
    assert mutate(api(w.users["w"]), CLOSE, {"id": w.ids["grievance"]}, "grievanceClose")["grievance"]["state"] == "CLOSED"


def test_routing_reaches_exactly_the_companies_sourcing_from_the_site(full_world):
    routed = set(GrievanceRouting.objects.filter(grievance=full_world.objects["grievance"]).values_list("company__name", flat=True))
    assert routed == {"Company A", "Company C"}


def test_a_company_adding_the_site_later_receives_the_open_grievances(api, full_world):
    w = full_world
    closed = Grievance.objects.create(filed_by=w.orgs["w"], site=w.objects["mill"], channel="app",
                                      category="wages", description="old", state="closed")
    add_site(w.users["b"], "The mill, as B calls it", os_id=MILL_OS_ID)
    ids = str(api(w.users["b"]).data(GRIEVANCES))
    assert w.ids["grievance"] in ids
    assert not GrievanceRouting.objects.filter(grievance=closed).exists()
    assert GrievanceRouting.objects.get(grievance=w.objects["grievance"], company=w.orgs["b"]).at_filing is False


def selection(type_, depth: int, seen: tuple = ()) -> str:
    """Every field of an object type reachable without required arguments (connections get first: 5)."""
    while isinstance(type_, (GraphQLNonNull, GraphQLList)):
        type_ = type_.of_type
    if not isinstance(type_, GraphQLObjectType):
        return ""
    if depth == 0 or type_.name in seen:
        return None
    parts = []
    for name, field in type_.fields.items():
        required = [a for a, arg in field.args.items() if isinstance(arg.type, GraphQLNonNull) and arg.default_value is None]
        arguments = "(first: 5)" if "first" in field.args else ""
        if required:
            continue
        inner = selection(field.type, depth - 1, seen + (type_.name,))
        if inner is None:
            continue
        parts.append(f"{name}{arguments}{' { ' + inner + ' }' if inner else ''}")
    return " ".join(parts) if parts else None


def everything_query() -> str:
    """One query reading every field, to depth 5, of every root list of the audits app and of the network."""
    query_type = schema.graphql_schema.query_type
    roots = ["grievances", "findings", "audits", "correctiveActions", "referrals", "auditAssignments", "sites"]
    return "{ " + " ".join(f"{root}(first: 5) {{ {selection(query_type.fields[root].type, 5)} }}" for root in roots) + " }"


def test_no_field_reachable_by_a_company_holds_the_reporter(api, full_world, settings):
    # the whole schema in one document is far beyond what a client sends; the privacy property is what is tested
    settings.GRAPHQL_MAX_COST = 10**7
    settings.GRAPHQL_MAX_TOKENS = 10**5
    settings.GRAPHQL_MAX_QUERY_LENGTH = 10**6
    query = everything_query()
    assert "reporter { name contact }" in query and "history(first: 5) {" in query
    for company in ("a", "c"):
        result = api(full_world.users[company])(query)
        assert not result.get("errors"), result.get("errors")
        text = str(result)
        assert SECRET in text  # the query does read the grievance
        assert REPORTER_NAME not in text and REPORTER_CONTACT not in text and "Ravi" not in text
    # The same query run by the filing organization does show the reporter (the check can fail)
    assert REPORTER_NAME in str(api(full_world.users["w"])(query))


def test_no_error_message_holds_the_reporter(api, full_world):
    w = full_world
    too_long = {**NEW_GRIEVANCE, "reporter": {"name": REPORTER_NAME * 20, "contact": REPORTER_CONTACT}}
    refused = mutate(api(w.users["w"]), FILE, {"site": w.ids["mill"], "input": too_long}, "grievanceFile")
    assert refused["errors"][0]["field"] == "reporterName" and refused["errors"][0]["code"] == "TOO_LONG"
    assert "Ravi" not in str(refused)
    for query, field in ((CLOSE, "grievanceClose"), (REMEDIATE, "grievanceRemediate"), (CONCLUDE, "grievanceConclude")):
        for company in ("a", "c", "b"):
            result = api(w.users[company])(query, {"id": w.ids["grievance"], "yes": True})
            assert "Ravi" not in str(result) and REPORTER_CONTACT not in str(result)


def test_the_database_holds_the_reporter_only_as_ciphertext(full_world):
    """Read every text column of every table with raw SQL: the reporter's name and contact appear nowhere."""
    grievance = full_world.objects["grievance"]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                text = " ".join(str(value) for value in row)
                assert "Ravi" not in text and "98400" not in text and "ravi.reporter" not in text, table
        cursor.execute("SELECT reporter_ciphertext FROM audits_grievance WHERE id = %s", [grievance.pk])
        (ciphertext,) = cursor.fetchone()
    assert ciphertext.startswith("gAAAAA")  # a Fernet token
    assert grievances.reporter_of(full_world.viewer("w"), grievance) == {"name": REPORTER_NAME, "contact": REPORTER_CONTACT}
    assert grievances.reporter_of(full_world.viewer("a"), grievance) is None
    assert "Ravi" not in repr(grievance)


def test_filing_without_an_encryption_key_fails_loudly(world, settings):
    settings.GRIEVANCE_ENCRYPTION_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="GRIEVANCE_ENCRYPTION_KEY"):
        grievances.file_grievance(world.viewer("w"), world.objects["mill"],
                                  {"channel": "app", "category": "wages", "description": "x"}, reporter={"name": "N"})
    from audits.checks import grievance_key_configured

    assert [error.id for error in grievance_key_configured(None)] == ["audits.E001"]


@pytest.mark.parametrize(
    "change, field, code",
    [
        ({"description": " "}, "description", "REQUIRED"),
        ({"eventsOn": "2999-01-01"}, "eventsOn", "OUT_OF_RANGE"),
        ({"workersAffected": -1}, "workersAffected", "OUT_OF_RANGE"),
    ],
)
def test_bad_grievance_input_gets_a_typed_error(api, world, change, field, code):
    result = mutate(api(world.users["w"]), FILE, {"site": world.ids["mill"], "input": {**NEW_GRIEVANCE, **change}},
                    "grievanceFile")
    assert (result["errors"][0]["field"], result["errors"][0]["code"]) == (field, code)
    assert Grievance.objects.count() == 0


def test_a_workers_org_files_only_about_sites_it_can_see(api, world):
    result = mutate(api(world.users["w"]), FILE, {"site": world.ids["farm"], "input": NEW_GRIEVANCE}, "grievanceFile")
    assert result["errors"][0] == {"field": "siteId", "code": "NOT_FOUND", "message": result["errors"][0]["message"]}


def test_a_companys_corrective_actions_stay_its_own(api, full_world):
    query = "query($id: ID!) { grievance(id: $id) { correctiveActions { title } } }"
    variables = {"id": full_world.ids["grievance"]}
    assert len(api(full_world.users["a"]).data(query, variables)["grievance"]["correctiveActions"]) == 1
    for other in ("c", "w"):
        assert api(full_world.users[other]).data(query, variables)["grievance"]["correctiveActions"] == []


def test_reporters_survive_a_key_rotation(full_world, settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    old_key = settings.GRIEVANCE_ENCRYPTION_KEY
    new_key = Fernet.generate_key().decode()
    settings.GRIEVANCE_ENCRYPTION_KEY = f"{new_key},{old_key}"
    call_command("rotate_grievance_key", stdout=io.StringIO())
    settings.GRIEVANCE_ENCRYPTION_KEY = new_key
    grievance = Grievance.objects.get(pk=full_world.objects["grievance"].pk)
    assert grievances.reporter_of(full_world.viewer("w"), grievance)["name"] == REPORTER_NAME
