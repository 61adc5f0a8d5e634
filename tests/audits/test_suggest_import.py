"""An import's dry run suggests a category for a row that has a description and no category; it never writes it."""

import pytest

from audits.models import Finding, Grievance
from audits.services import assignments
from backend.models import OrganizationKind, Role
from backend.tenancy import Viewer
from factories import add_site
from imports.models import ImportProblem
from support.import_helpers import csv_text, dry_run

MILL_OS_ID = "IN2019067X1K87E"
FINDINGS_HEADER = ["Audit reference", "Open Supply Hub ID", "Audit standard", "Audit type", "Audit start date",
                   "Finding reference", "Category", "Severity", "Description"]
GRIEVANCES_HEADER = ["Grievance reference", "Open Supply Hub ID", "Channel", "Category", "Description",
                     "Reporter name"]


@pytest.fixture
def mill(analyst):
    return add_site(analyst, "Shared Mill", os_id=MILL_OS_ID)


def suggestion_problems(job) -> list[tuple]:
    return list(job.problems.filter(code="suggested_category").order_by("row").values_list("row", "severity", "message", "value"))


def test_a_findings_row_without_category_gets_a_suggestion_in_the_dry_run(make_org, make_user, analyst, mill):
    # Given an audit firm assigned to the mill, and a file whose second finding has a description but no category
    firm = make_user(make_org("Audit Firm F", OrganizationKind.AUDIT_FIRM), Role.ANALYST)
    assignments.assign(Viewer.of(analyst), mill, firm.organization)
    content = csv_text(FINDINGS_HEADER, [
        ["AU-1", MILL_OS_ID, "SMETA", "unannounced", "2026-03-02", "F-1", "deception", "minor", "Contract substituted"],
        ["AU-1", MILL_OS_ID, "SMETA", "unannounced", "2026-03-02", "F-2", "", "major",
         "Workers repay a recruitment fee of 1,200 USD out of every month's wages."],
    ])
    # When the dry run reads it
    job = dry_run(firm, "findings", content)
    # Then row 3 gets a warning naming the suggested category and its confidence, and nothing is written
    [(row, severity, message, value)] = suggestion_problems(job)
    assert (row, severity, value) == (3, "warning", "")
    assert message.startswith("suggested category: debt_bondage (0.")
    assert job.problems.filter(row=3, code="required").exists()  # the category is still missing: no commit
    assert not Finding.objects.exists()


def test_a_grievance_row_without_category_gets_a_suggestion_and_no_words_of_the_text(make_org, make_user, mill):
    workers = make_user(make_org("Workers Org W", OrganizationKind.WORKERS_ORG), Role.ANALYST)
    description = "Le contremaître garde nos passeports dans son bureau."
    content = csv_text(GRIEVANCES_HEADER, [["G-1", MILL_OS_ID, "hotline", "", description, "Secret Reporter"]])
    job = dry_run(workers, "grievances", content)
    [(row, severity, message, value)] = suggestion_problems(job)
    assert (row, severity, value) == (2, "warning", "")
    assert message.startswith("suggested category: retention_of_identity_documents (")
    assert not ImportProblem.objects.filter(message__contains="passeports").exists()
    assert not ImportProblem.objects.filter(message__contains="Secret").exists()
    assert not Grievance.objects.exists()


def test_a_row_with_a_category_gets_no_suggestion(make_org, make_user, mill):
    workers = make_user(make_org("Workers Org W", OrganizationKind.WORKERS_ORG), Role.ANALYST)
    content = csv_text(GRIEVANCES_HEADER, [["G-1", MILL_OS_ID, "hotline", "wages", "They keep our passports.", ""]])
    assert suggestion_problems(dry_run(workers, "grievances", content)) == []
