"""The set-based grievance operation (audits/services/grievances_batch.py): planning refuses and credits rows
without writing; writing files, dates, encrypts, logs and routes every new grievance; a later batch naming the same
references changes facts, never state."""

import datetime
from dataclasses import replace

import pytest
from django.utils import timezone

from audits.models import Grievance, GrievanceRouting, GrievanceState, StateChange, Subject
from audits.services.grievances import reporter_of
from audits.services.grievances_batch import GrievanceRow, Reporter, plan_grievances
from backend.batch import Outcome
from backend.db.writer import Writer
from backend.models import OrganizationKind, Role
from backend.tenancy import Viewer
from factories import add_site
from graph.models import NetworkSite

NAME = "Secret Reporter"


@pytest.fixture
def world(make_org, make_user):
    """A site held by companies A and C, and a workers' organization's viewer."""
    a, c = make_org("Company A"), make_org("Company C")
    workers = make_user(make_org("Workers W", OrganizationKind.WORKERS_ORG), Role.ANALYST)
    site = add_site(make_user(a, Role.ANALYST), "Mill", os_id="IN2019067X1K87E")
    NetworkSite.objects.bulk_create([NetworkSite(company=c, site=site)])
    return Viewer.of(workers), site, {a.pk, c.pk}


def row(index: int, site, ref: str | None = None, **values) -> GrievanceRow:
    return GrievanceRow(**{
        "index": index, "site_id": site.pk, "ref": ref, "channel": "hotline", "category": "wages",
        "description": "Wages paid late", **values,
    })


def test_planning_credits_each_row_and_writes_nothing(world):
    viewer, site, _companies = world
    batch = plan_grievances(viewer, [row(2, site, "G-1"), row(3, site, "G-2"), row(4, site)])
    assert [(credit.index, credit.outcome) for credit in batch.result.credits] == [
        (2, Outcome.CREATED), (3, Outcome.CREATED), (4, Outcome.CREATED)]
    assert not batch.result.refusals and not Grievance.objects.exists()


def test_every_broken_rule_of_a_row_is_refused_by_field_without_its_value(world):
    viewer, site, _companies = world
    tomorrow_but_one = timezone.localdate() + datetime.timedelta(days=2)
    rows = [
        row(2, site, "G-1", reporter=Reporter(name=NAME + "x" * 200), events_on=tomorrow_but_one, workers_affected=-1),
        row(3, site, "G-1"),
        row(4, site, "G-3", received_on=tomorrow_but_one),
    ]
    refusals = plan_grievances(viewer, rows).result.refusals
    assert [(r.index, r.field, r.code) for r in refusals] == [
        (2, "reporter_name", "too_long"), (2, "events_on", "out_of_range"), (2, "workers_affected", "out_of_range"),
        (3, "ref", "duplicate_ref"), (4, "received_on", "out_of_range"),
    ]
    assert not any(NAME in refusal.message for refusal in refusals)


def test_a_row_the_caller_refused_is_checked_but_not_planned(world):
    viewer, site, _companies = world
    batch = plan_grievances(viewer, [row(2, site, "G-1", workers_affected=-3, planned=False), row(3, site, "G-1")])
    assert [(r.index, r.code) for r in batch.result.refusals] == [(2, "out_of_range"), (3, "duplicate_ref")]
    assert not batch.result.credits and not batch.new


def test_writing_files_dates_encrypts_logs_and_routes_at_filing(world):
    viewer, site, companies = world
    received = datetime.date(2026, 2, 3)
    batch = plan_grievances(viewer, [
        row(2, site, "G-1", received_on=received, reporter=Reporter(name=NAME, contact="+91 98400 12345")),
        row(3, site),
    ])
    ids = batch.write(Writer())
    first, second = (Grievance.objects.get(pk=pk) for pk in ids)
    assert (first.state, first.received_at.date(), first.filed_by_id) == ("received", received, viewer.organization.pk)
    assert NAME not in first.reporter_ciphertext
    assert reporter_of(viewer, first) == {"name": NAME, "contact": "+91 98400 12345"}
    assert second.reporter_ciphertext == "" and second.received_at.date() == timezone.now().date()
    history = StateChange.objects.filter(subject=Subject.GRIEVANCE)
    assert sorted(history.values_list("object_id", "from_state", "to_state")) == [(pk, "", "received") for pk in ids]
    assert set(GrievanceRouting.objects.values_list("grievance_id", "company_id", "at_filing")) == {
        (pk, company, True) for pk in ids for company in companies}


def test_a_later_batch_changes_facts_never_state_and_leaves_the_same_rows_unchanged(world):
    viewer, site, _companies = world
    first = row(2, site, "G-1")
    [grievance_id] = plan_grievances(viewer, [first]).write(Writer())
    Grievance.objects.filter(pk=grievance_id).update(state=GrievanceState.ACKNOWLEDGED)
    same = plan_grievances(viewer, [first])
    assert [credit.outcome for credit in same.result.credits] == [Outcome.UNCHANGED] and not same.new
    changed = plan_grievances(viewer, [replace(first, workers_affected=40)])
    assert [credit.outcome for credit in changed.result.credits] == [Outcome.UPDATED]
    changed.write(Writer())
    grievance = Grievance.objects.get()
    assert (grievance.workers_affected, grievance.state) == (40, GrievanceState.ACKNOWLEDGED)
    assert StateChange.objects.filter(subject=Subject.GRIEVANCE).count() == 1
    again = plan_grievances(viewer, [replace(first, workers_affected=40)])
    assert [credit.outcome for credit in again.result.credits] == [Outcome.UNCHANGED]
