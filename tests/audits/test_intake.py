"""Grievance intake (audits/services/intake.py): a workers' organization files about a site it may not see, the
server finds the site among every registry site and routes the grievance to the companies holding it, and the
filer learns nothing about which site or companies those are; an unmatched filing waits and is matched again when
sites join a network."""

import dataclasses

import pytest
from django.core.exceptions import ValidationError

from audits.crypto import decrypt_json
from audits.models import FilingState, Grievance, GrievanceFiling, GrievanceRouting, SuggestionDecision
from audits.services import intake
from backend.db.writer import Writer
from backend.models import OrganizationKind, Role
from backend.tenancy import Viewer
from factories import add_site
from graph.models import NetworkSite
from graph.services.network_batch import plan_network
from graph.services.network_rows import NetworkBatch, SiteResolution, SiteRow
from graph.services.network_write import write_network

pytestmark = pytest.mark.usefixtures("postgres")

PRIVATE_NAME = "Sunrise Garments Pvt Ltd"
EVENTS = {"channel": "hotline", "description": "The managers keep our passports and wages are paid late.",
          "reporter": {"name": "Reporter Meena", "contact": "+91 90000 11111"}}


@pytest.fixture
def orgs(make_org, make_user):
    """Companies A and B source from A's private site "Sunrise Garments"; C holds a site of another name in
    another town; workers' organizations W (the filer) and W2."""
    made = {key: make_org(name, kind) for key, name, kind in (
        ("a", "Company A", OrganizationKind.COMPANY), ("b", "Company B", OrganizationKind.COMPANY),
        ("c", "Company C", OrganizationKind.COMPANY), ("w", "Workers W", OrganizationKind.WORKERS_ORG),
        ("w2", "Workers W2", OrganizationKind.WORKERS_ORG))}
    users = {key: make_user(org, Role.ANALYST) for key, org in made.items()}
    site = add_site(users["a"], PRIVATE_NAME, address="12 Mill Road, Tiruppur")
    NetworkSite.objects.create(company=made["b"], site=site)
    add_site(users["c"], "Lakeside Spinning Mills", address="4 Lake View, Coimbatore")
    return {"orgs": made, "viewers": {key: Viewer.of(user) for key, user in users.items()}, "site": site}


def file(viewer, site: dict, events: dict = EVENTS, category: str = "retention_of_identity_documents", **send):
    filing = intake.start_filing(viewer, site)
    intake.describe_events(filing, events)
    return intake.send_filing(viewer, filing, {"category": category, **send})


def test_a_filing_by_name_and_address_reaches_both_companies_holding_the_site_and_no_other(orgs):
    # given the site is private to A (and held by B): W cannot see it
    w = orgs["viewers"]["w"]
    # when W files by the name and address it knows
    filing = file(w, {"site_name": "Sunrise Garments", "site_address": "12 Mill Rd, Tiruppur", "site_country": "India"})
    # then the grievance is about that site and routed to A and B only
    assert filing.state == FilingState.FILED
    grievance = filing.grievance
    assert grievance.site == orgs["site"] and grievance.filed_by == orgs["orgs"]["w"]
    routed = set(GrievanceRouting.objects.filter(grievance=grievance).values_list("company__name", flat=True))
    assert routed == {"Company A", "Company B"}
    # and the reporter lives encrypted on the grievance alone
    assert decrypt_json(grievance.reporter_ciphertext) == EVENTS["reporter"]
    assert GrievanceFiling.objects.get(pk=filing.pk).reporter_ciphertext == ""


def test_what_the_filer_sees_names_no_company_and_no_private_site(orgs):
    w = orgs["viewers"]["w"]
    filing = file(w, {"site_name": "Sunrise Garments", "site_address": "12 Mill Road Tiruppur", "site_country": "IN"})
    status = intake.status_of(w, intake.filing_of(w, filing.reference))
    suggestions = intake.site_suggestions(w, filing)
    shown = repr(dataclasses.asdict(status)) + repr(suggestions)
    assert status.state == "received" and status.reference == filing.reference
    for secret in ("Company A", "Company B", PRIVATE_NAME, "Mill Road"):
        assert secret not in shown
    assert suggestions == []  # the private site is never suggested


def test_an_unmatched_filing_waits_with_the_same_status_as_a_matched_one(orgs):
    w = orgs["viewers"]["w"]
    filing = file(w, {"site_name": "Golden Thread Knitting", "site_country": "IN"})
    assert filing.state == FilingState.WAITING and filing.grievance is None
    assert intake.status_of(w, filing).state == "received"
    assert not Grievance.objects.exists()


def test_a_name_alone_is_not_enough_to_route(orgs):
    filing = file(orgs["viewers"]["w"], {"site_name": "Sunrise Garments"})
    assert filing.state == FilingState.WAITING


def test_two_sites_as_alike_leave_the_filing_waiting_rather_than_guess(orgs):
    add_site(orgs["viewers"]["c"].user, "Sunrise Garments Ltd", address="12 Mill Road, Tiruppur")
    filing = file(orgs["viewers"]["w"], {"site_name": "Sunrise Garments", "site_address": "12 Mill Road, Tiruppur",
                                         "site_country": "IN"})
    assert filing.state == FilingState.WAITING


def test_an_os_id_finds_its_site_exactly(orgs):
    public = add_site(orgs["viewers"]["c"].user, "Coastal Dye House", os_id="IN2020011ABCDEF")
    filing = file(orgs["viewers"]["w"], {"site_os_id": "in2020011abcdef"})
    assert filing.grievance.site == public
    assert set(filing.grievance.routings.values_list("company__name", flat=True)) == {"Company C"}


def test_a_picked_public_site_is_filed_as_picked_and_the_suggestions_recorded(orgs):
    public = add_site(orgs["viewers"]["c"].user, "Coastal Dye House", os_id="IN2020011ABCDEF")
    w = orgs["viewers"]["w"]
    filing = intake.start_filing(w, {"site_name": "Coastal Dye", "site_country": "IN"})
    assert [site.site_id for site in intake.site_suggestions(w, filing)] == [public.pk]
    intake.describe_events(filing, EVENTS)
    sent = intake.send_filing(w, filing, {"category": "wages", "chosen_site": str(public.pk),
                                          "suggested": ["retention_of_identity_documents", "wages"]})
    assert sent.grievance.site == public and sent.grievance.category == "wages"
    decision = SuggestionDecision.objects.get(grievance=sent.grievance)
    assert decision.suggested == ["retention_of_identity_documents", "wages"] and decision.accepted


def test_a_private_site_cannot_be_picked_and_the_refusal_is_that_of_a_missing_site(orgs):
    w = orgs["viewers"]["w"]
    filing = intake.start_filing(w, {"site_name": "Anything", "site_country": "IN"})
    intake.describe_events(filing, EVENTS)
    errors = []
    for chosen in (str(orgs["site"].pk), "99999999"):
        with pytest.raises(ValidationError) as raised:
            intake.send_filing(w, filing, {"category": "wages", "chosen_site": chosen})
        errors.append(raised.value.message_dict["chosen_site"][0].replace(chosen, "ID"))
    assert errors[0] == errors[1]
    assert GrievanceFiling.objects.get(pk=filing.pk).state == FilingState.DRAFT


def test_a_waiting_filing_is_filed_when_a_supply_map_brings_its_site(orgs, make_org, make_user,
                                                                     django_capture_on_commit_callbacks):
    # given a filing about a site no registry holds yet
    w = orgs["viewers"]["w"]
    filing = file(w, {"site_name": "Golden Thread Knitting Co", "site_address": "7 Canal Street, Tiruppur",
                      "site_country": "IN"})
    assert filing.state == FilingState.WAITING
    # when company D commits a supply map with that site (and an unrelated one)
    d = make_user(make_org("Company D"), Role.ADMIN)
    batch = NetworkBatch(sites={
        "K1": SiteRow("K1", 2, {"name": "Golden Thread Knitting", "address": "7 Canal St, Tiruppur",
                                "country": "IN"}, {"cotton"}, None, [2]),
        "X1": SiteRow("X1", 3, {"name": "Other Mill", "country": "IN"}, {"cotton"}, None, [3]),
    })
    planned = plan_network(Viewer.of(d), batch, SiteResolution({}), str.casefold)
    with django_capture_on_commit_callbacks(execute=True):
        write_network(planned, Writer())
    # then the outbox's task files the grievance, routed to D alone
    filing.refresh_from_db()
    assert filing.state == FilingState.FILED
    assert filing.grievance.site.name == "Golden Thread Knitting"
    assert set(filing.grievance.routings.values_list("company__name", flat=True)) == {"Company D"}
    assert intake.match_waiting_filings([filing.grievance.site_id]) == 0  # idempotent


def test_another_organization_reaches_neither_the_draft_nor_the_filing(orgs):
    w, w2, a = orgs["viewers"]["w"], orgs["viewers"]["w2"], orgs["viewers"]["a"]
    draft = intake.start_filing(w, {"site_name": "Sunrise Garments"})
    assert intake.draft_of(w, draft.reference) == draft
    for other in (w2, a):
        assert intake.draft_of(other, draft.reference) is None
        assert intake.filing_of(other, draft.reference) is None


@pytest.mark.parametrize(("data", "field", "code"), [
    ({"site_address": "12 Mill Road"}, "site_name", "required"),
    ({"site_name": "Mill", "site_country": "Atlantis"}, "site_country", "invalid"),
    ({"site_name": "M" * 301}, "site_name", "too_long"),
])
def test_a_bad_site_step_names_its_field(orgs, data, field, code):
    with pytest.raises(ValidationError) as raised:
        intake.start_filing(orgs["viewers"]["w"], data)
    assert raised.value.error_dict[field][0].code == code


def test_what_happened_is_checked_by_the_grievance_rules(orgs):
    filing = intake.start_filing(orgs["viewers"]["w"], {"site_name": "Mill"})
    with pytest.raises(ValidationError) as raised:
        intake.describe_events(filing, {**EVENTS, "workers_affected": -3})
    assert raised.value.error_dict["workers_affected"][0].code == "out_of_range"
    with pytest.raises(ValidationError) as raised:
        intake.describe_events(filing, {**EVENTS, "channel": "pigeon"})
    assert raised.value.error_dict["channel"][0].code == "invalid"
