"""Audit-findings imports (audit firms) and grievance imports (workers' organizations)."""

import datetime
import io
from pathlib import Path

import pytest
from django.test import Client
from graphql_relay import to_global_id
from openpyxl import load_workbook

from audits.models import Audit, Finding, Grievance, GrievanceRouting, StateChange
from audits.services import assignments
from audits.services.grievances import reporter_of
from backend.models import ApiToken, OrganizationKind, Role
from backend.tenancy import Viewer
from factories import add_site
from graph.models import NetworkSite
from backend.models import ImportedRecord
from imports.models import ImportProblem, Status
from imports.services import findings_intake, spool
from support.import_helpers import commit, csv_text, dry_run, problems

MILL_OS_ID = "IN2019067X1K87E"
FINDINGS_HEADER = ["Audit reference", "Site reference", "Open Supply Hub ID", "Audit standard", "Audit type",
                   "Audit start date", "Audit end date", "Finding reference", "Category", "Severity", "Description",
                   "Status"]
GRIEVANCES_HEADER = ["Grievance reference", "Open Supply Hub ID", "Site reference", "Channel", "Category",
                     "Description", "Date of events", "Date received", "Workers affected", "Children involved",
                     "Reporter name", "Reporter contact"]
BAD = Path(__file__).parents[1] / "fixtures" / "bad"


@pytest.fixture
def firm(make_org, make_user):
    return make_user(make_org("Audit Firm F", OrganizationKind.AUDIT_FIRM), Role.ANALYST)


@pytest.fixture
def workers(make_org, make_user):
    return make_user(make_org("Workers Org W", OrganizationKind.WORKERS_ORG), Role.ANALYST)


@pytest.fixture
def sites(analyst, firm):
    """Company A's public mill (OS ID) and private farm, the audit firm assigned to both."""
    mill = add_site(analyst, "Shared Mill", os_id=MILL_OS_ID)
    farm = add_site(analyst, "A's farm", internal_ref="FARM")
    for site in (mill, farm):
        assignments.assign(Viewer.of(analyst), site, firm.organization)
    return {"mill": mill, "farm": farm, "farm_id": to_global_id("Site", farm.pk)}


def findings_file(sites, severity="major", status="open") -> str:
    return csv_text(FINDINGS_HEADER, [
        ["AU-1", "M", MILL_OS_ID, "SMETA", "unannounced", "2026-03-02", "2026-03-04", "F-1", "debt_bondage", severity,
         "Recruitment fees of 1200 USD", status],
        ["AU-1", "M", "", "", "", "2026-03-02", "", "F-2", "Excessive overtime", "minor", "72-hour weeks", ""],
        ["AU-2", sites["farm_id"], "", "SA8000", "announced", "2026-01-10", "", "F-1", "below_minimum_age",
         "critical", "Two 13-year-olds picking", ""],
    ])


def test_findings_import_creates_audits_findings_and_their_history(firm, sites):
    # given three findings of two audits, sites named by OS ID, by an alias learnt on row 2, and by Tributary ID
    # when the audit firm commits them
    job = commit(firm, "findings", findings_file(sites))
    # then the audits and findings exist, dated by the audit, with history rows as the services write them
    assert job.status == Status.COMMITTED, problems(job)
    assert job.summary["entities"] == {"audits": {"created": 2, "updated": 0, "unchanged": 0},
                                       "findings": {"created": 3, "updated": 0, "unchanged": 0}}
    first = Audit.objects.get(standard="smeta")
    assert (first.site, first.audit_type, first.end_date) == (sites["mill"], "unannounced", datetime.date(2026, 3, 4))
    assert sorted(first.findings.values_list("category", "found_on")) == [
        ("debt_bondage", datetime.date(2026, 3, 4)), ("excessive_overtime", datetime.date(2026, 3, 4))]
    assert Finding.objects.get(category="below_minimum_age").site == sites["farm"]
    assert StateChange.objects.filter(subject="finding", to_state="open").count() == 3
    assert StateChange.objects.filter(subject="audit", to_state="recorded").count() == 2


def test_findings_file_twice_changes_nothing_then_a_change_updates_and_closes(firm, sites):
    # given the findings committed once
    commit(firm, "findings", findings_file(sites))
    before = list(Finding.objects.order_by("pk").values())
    # when the same file comes again
    again = commit(firm, "findings", findings_file(sites))
    # then nothing changes
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    assert list(Finding.objects.order_by("pk").values()) == before
    # and when F-1 of AU-1 is now critical and closed, only it changes
    changed = commit(firm, "findings", findings_file(sites, severity="critical", status="closed"))
    assert (changed.created_count, changed.updated_count, changed.unchanged_count) == (0, 1, 2)
    finding = Finding.objects.get(audit__standard="smeta", category="debt_bondage")
    assert (finding.severity, finding.status) == ("critical", "closed")
    assert StateChange.objects.filter(subject="finding", object_id=finding.pk, to_state="closed").count() == 1


def test_findings_problems_are_each_reported(firm, sites, make_org, analyst):
    # given a site the firm is not assigned to, and rows breaking the audits rules
    elsewhere = add_site(analyst, "Unassigned", os_id="IN2019067X1K99Z")
    rows = [
        ["AU-1", "", elsewhere.os_id, "SMETA", "announced", "2026-03-02", "", "F-1", "deception", "minor", "x", ""],
        ["AU-2", "", MILL_OS_ID, "SMETA", "announced", "2026-03-05", "2026-03-01", "F-1", "deception", "minor", "x", ""],
        ["AU-3", "", MILL_OS_ID, "", "announced", "2026-03-05", "", "F-1", "deception", "minor", "x", ""],
        ["AU-3", "", MILL_OS_ID, "", "unannounced", "2026-03-05", "", "F-1", "isolation", "minor", "y", ""],
        ["AU-4", "NOPE", "", "SMETA", "announced", "2026-03-05", "", "F-1", "deception", "minor", "", ""],
        ["AU-5", "", "XX0000000AAAAAA", "SMETA", "announced", "2026-03-05", "", "F-1", "witchcraft", "minor", "x", ""],
    ]
    # when they are validated
    job = dry_run(firm, "findings", csv_text(FINDINGS_HEADER, rows))
    # then each problem names its cell
    assert job.status == Status.INVALID
    assert problems(job) == [
        (2, "Open Supply Hub ID", "not_assigned"),
        (3, "Audit end date", "out_of_range"),
        (4, "Audit standard", "required"),
        (5, "Audit type", "conflict"),
        (5, "Finding reference", "duplicate_ref"),
        (6, "Site reference", "unknown_reference"),
        (6, "Description", "required"),
        (7, "Category", "invalid_choice"),
        (7, "Open Supply Hub ID", "unknown_site"),
    ]


@pytest.fixture
def small_parts(monkeypatch):
    """Plan an upload in the smallest parts: sites looked up 2 rows at a time, rows spooled to disk every 3, and
    each bucket's audits and findings written as soon as they are planned."""
    monkeypatch.setattr(findings_intake, "SITE_CHUNK", 2)
    monkeypatch.setattr(spool, "FLUSH_ITEMS", 3)
    monkeypatch.setattr(findings_intake, "WRITE_AT", 1)


def finding_row(audit_ref, site_ref, os_id, finding_ref, category="deception", start="2026-03-02"):
    return [audit_ref, site_ref, os_id, "SMETA", "announced", start, "", finding_ref, category, "minor", "x", ""]


def test_an_upload_planned_in_parts_finds_each_audits_rows_wherever_they_are(firm, sites, small_parts):
    # given audits whose rows are spread over the file, and a site reference taught on row 2 and used on row 8
    rows = [finding_row("AU-1", "M", MILL_OS_ID, "F-1")]
    rows += [finding_row(f"AU-{n}", "", MILL_OS_ID, "F-1") for n in range(2, 7)]
    rows += [finding_row("AU-1", "M", "", "F-2", category="isolation"), finding_row("AU-1", "", MILL_OS_ID, "F-3")]
    # when it is committed, then committed again
    job = commit(firm, "findings", csv_text(FINDINGS_HEADER, rows))
    again = commit(firm, "findings", csv_text(FINDINGS_HEADER, rows))
    # then every row is where it belongs, and the second time nothing changes
    assert job.status == Status.COMMITTED, problems(job)
    assert job.summary["entities"] == {"audits": {"created": 6, "updated": 0, "unchanged": 0},
                                       "findings": {"created": 8, "updated": 0, "unchanged": 0}}
    first = Audit.objects.get(findings__category="isolation")
    assert sorted(first.findings.values_list("category", flat=True)) == ["deception", "deception", "isolation"]
    assert set(Finding.objects.values_list("site", flat=True)) == {sites["mill"].pk}
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 8)


def test_a_problem_found_after_a_first_part_was_written_undoes_the_whole_commit(firm, sites, small_parts):
    # given two audits in different buckets, the one planned later repeating a finding reference
    refs = sorted((f"AU-{n}" for n in range(1, 40)), key=spool.bucket_of)
    early, late = refs[0], refs[-1]
    assert spool.bucket_of(early) < spool.bucket_of(late)
    rows = [finding_row(early, "", MILL_OS_ID, "F-1"), finding_row(late, "", MILL_OS_ID, "F-1"),
            finding_row(late, "", MILL_OS_ID, "F-1", category="isolation")]
    # when it is committed
    job = commit(firm, "findings", csv_text(FINDINGS_HEADER, rows))
    # then the problem is reported and nothing at all is kept, the early audit included
    assert job.status == Status.INVALID
    assert problems(job) == [(4, "Finding reference", "duplicate_ref")]
    assert not Audit.objects.exists() and not Finding.objects.exists()
    assert not StateChange.objects.filter(subject__in=["audit", "finding"]).exists()
    assert not ImportedRecord.objects.filter(entity="audit").exists()


def test_the_wrong_types_fixture_reports_each_bad_value(firm, sites):
    content = (BAD / "wrong_types_findings.csv").read_bytes()
    job = dry_run(firm, "findings", content, name="wrong_types_findings.csv")
    codes = {(row, column, code) for row, column, code in problems(job)}
    assert {(2, "audit_start", "invalid_date"), (3, "audit_start", "invalid_date"), (3, "category", "invalid_choice"),
            (3, "severity", "invalid_choice"), (4, "standard", "invalid_choice")} <= codes
    assert job.status == Status.INVALID and not Finding.objects.exists()


def grievances_file(description: str = "Passports kept by the manager") -> str:
    return csv_text(GRIEVANCES_HEADER, [
        ["G-1", MILL_OS_ID, "MILL", "hotline", "retention_of_identity_documents", description, "2026-02-01",
         "2026-02-03", "12", "no", "Ravi Kumar", "+91 98400 12345"],
        ["G-2", "", "MILL", "union", "wages", "Wages paid late", "", "", "", "", "", ""],
    ])


def test_grievances_import_files_routes_and_encrypts(workers, analyst, sites, media_root,
                                                     django_capture_on_commit_callbacks):
    # given a hotline log about the public mill (named by OS ID, then by the reference row 2 paired with it)
    # when the workers' organization commits it
    with django_capture_on_commit_callbacks(execute=True):
        job = commit(workers, "grievances", grievances_file())
    # then both grievances are received, routed to company A, dated as received, the reporter encrypted
    assert job.status == Status.COMMITTED, problems(job)
    first = Grievance.objects.get(category="retention_of_identity_documents")
    assert (first.state, first.workers_affected, first.received_at.date()) == ("received", 12, datetime.date(2026, 2, 3))
    assert GrievanceRouting.objects.filter(company=analyst.organization).count() == 2
    assert "Ravi" not in first.reporter_ciphertext
    assert reporter_of(Viewer.of(workers), first) == {"name": "Ravi Kumar", "contact": "+91 98400 12345"}
    # and the uploaded log, which names reporters in plain text, is not kept once committed
    job.refresh_from_db()
    assert not job.file and not list(media_root.glob("imports/*"))
    _, token = ApiToken.issue(workers, "test")
    report = Client().get(f"/imports/jobs/{to_global_id('ImportJob', job.pk)}/error-report.xlsx",
                          HTTP_AUTHORIZATION=f"Bearer {token}")
    assert report.status_code == 200
    assert load_workbook(io.BytesIO(b"".join(report.streaming_content))).sheetnames == ["Problems"]
    # and the same file again changes nothing
    again = commit(workers, "grievances", grievances_file())
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    assert Grievance.objects.count() == 2


def test_a_reporter_identity_never_lands_in_a_problem(workers, sites):
    long_name = "Secret Reporter " + "x" * 300
    content = csv_text(GRIEVANCES_HEADER, [
        ["G-1", MILL_OS_ID, "", "hotline", "deception", "Lied about wages", "", "", "", "", long_name, ""],
    ])
    job = dry_run(workers, "grievances", content)
    assert problems(job) == [(2, "Reporter name", "too_long")]
    assert not ImportProblem.objects.filter(value__contains="Secret").exists()


def test_a_private_site_of_a_company_is_not_reachable_by_a_workers_organization(workers, sites):
    content = csv_text(GRIEVANCES_HEADER, [
        ["G-1", "", sites["farm_id"], "hotline", "deception", "x", "", "", "", "", "", ""],
    ])
    job = dry_run(workers, "grievances", content)
    assert problems(job) == [(2, "Site reference", "unknown_reference")]


def test_a_company_joining_a_site_by_import_receives_its_open_grievances(workers, analyst, other_analyst, sites):
    # given an open grievance about the mill, routed to company A only
    commit(workers, "grievances", csv_text(GRIEVANCES_HEADER, [
        ["G-1", MILL_OS_ID, "", "hotline", "deception", "Lied about wages", "", "", "", "", "", ""]]))
    # when company B imports a supply map naming the mill by its OS ID
    job = commit(other_analyst, "supply_map", csv_text(
        ["Site reference", "Site name", "Country", "Open Supply Hub ID"], [["B-M", "Mill", "IN", MILL_OS_ID]]))
    # then B's network holds the mill and the grievance reaches B too
    assert job.status == Status.COMMITTED
    assert NetworkSite.objects.filter(company=other_analyst.organization, site=sites["mill"]).exists()
    assert GrievanceRouting.objects.filter(company=other_analyst.organization).count() == 1
