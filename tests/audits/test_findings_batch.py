"""audits/services/findings_batch.py: audits and findings recorded in bulk, the rules of finding_rules.py applied to
each row, refusals keyed by row and field; planning reads, only `write` writes."""

import datetime

import pytest

from audits.models import Audit, Finding, StateChange
from audits.services import assignments, finding_rules, remediation
from audits.services.findings_batch import FindingRow, plan_findings
from backend.batch import Outcome
from backend.db.writer import Writer

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 3, 2), datetime.date(2026, 3, 4)


def row(index, finding_ref="F-1", site=None, audit_ref="AU-1", **values) -> FindingRow:
    given = {"standard": "smeta", "audit_type": "announced", "start_date": START, "end_date": END,
             "lead_auditor": None, "report_reference": None, "category": "deception", "severity": "minor",
             "description": "x", "found_on": None, "status": None, **values}
    return FindingRow(index=index, audit_ref=audit_ref, finding_ref=finding_ref, site_id=site, **given)


def refusals(batch) -> list[tuple]:
    return [(r.index, r.field, r.code) for r in batch.result.refusals]


def credits(batch) -> list[tuple]:
    return sorted((c.index, c.entity, c.outcome) for c in batch.result.credits)


def test_planning_counts_without_writing_and_writing_stores_audits_findings_and_history(world):
    # given two findings of one audit about the mill
    mill, firm = world.objects["mill"].pk, world.viewer("f")
    rows = [row(2, site=mill), row(3, "F-2", site=mill, category="isolation")]
    # when the batch is planned
    batch = plan_findings(firm, rows)
    # then it would create one audit and two findings, and nothing is written yet
    assert credits(batch) == [(2, "audit", Outcome.CREATED), (2, "finding", Outcome.CREATED),
                              (3, "finding", Outcome.CREATED)]
    assert not refusals(batch) and not Audit.objects.exists()
    # when it is written
    batch.write(Writer())
    # then the audit and its findings exist, dated by the audit's end, with their history
    audit = Audit.objects.get()
    assert sorted(audit.findings.values_list("category", "found_on")) == [("deception", END), ("isolation", END)]
    assert StateChange.objects.filter(subject="finding", to_state="open").count() == 2
    # and the same rows planned again are unchanged, without reading any finding
    assert credits(plan_findings(firm, rows)) == [(2, "audit", Outcome.UNCHANGED), (2, "finding", Outcome.UNCHANGED),
                                                  (3, "finding", Outcome.UNCHANGED)]


def test_each_rule_refuses_its_row_and_field(world):
    mill, farm = world.objects["mill"].pk, world.objects["farm"].pk
    tomorrow_but_one = datetime.date.today() + datetime.timedelta(days=2)
    rows = [
        row(2, site=farm, audit_ref="AU-1"),  # the firm is not assigned to A's farm
        row(3, site=mill, audit_ref="AU-2", end_date=datetime.date(2026, 3, 1)),
        row(4, site=mill, audit_ref="AU-3", standard=None),
        row(5, site=mill, audit_ref="AU-4", found_on=tomorrow_but_one, description=None),
        row(6, site=mill, audit_ref="AU-4", audit_type="unannounced"),
        row(7, site=mill, audit_ref="AU-5", lead_auditor="n" * 201),
    ]
    batch = plan_findings(world.viewer("f"), rows, label=str.upper)
    assert refusals(batch) == [
        (2, "site", "not_assigned"),
        (3, "end_date", "out_of_range"),
        (5, "found_on", "out_of_range"),
        (5, "description", "required"),
        (6, "audit_type", "conflict"),
        (6, "finding_ref", "duplicate_ref"),
        (7, "lead_auditor", "too_long"),
        (4, "standard", "required"),
    ]
    # messages name fields as the caller does
    assert batch.result.refusals[-1].message == "STANDARD is required for a new audit (AU-3)."


def test_a_closed_finding_is_not_edited_and_not_reopened_and_closes_only_when_its_actions_are_verified(world):
    mill, firm = world.objects["mill"].pk, world.viewer("f")
    plan_findings(firm, [row(2, site=mill)]).write(Writer())
    finding = Finding.objects.get()
    assignments.share(firm, world.orgs["a"], audit=finding.audit)
    action = remediation.create_action(world.viewer("a"), {"title": "repay", "due_on": datetime.date(2026, 6, 1)},
                                       finding=finding)
    # while its corrective action is open, closing is refused
    assert refusals(plan_findings(firm, [row(2, site=mill, status="closed")])) == [(2, "status", "actions_pending")]
    action.delete()
    closing = plan_findings(firm, [row(2, site=mill, status="closed")])
    assert credits(closing)[-1] == (2, "finding", Outcome.UPDATED)
    closing.write(Writer())
    assert Finding.objects.get().status == "closed"
    assert refusals(plan_findings(firm, [row(2, site=mill, status="open")])) == [(2, "status", "illegal_transition")]
    assert refusals(plan_findings(firm, [row(2, site=mill, status="closed", severity="major")])) == [
        (2, "finding_ref", "not_editable")]


def test_the_rules_decide_alone():
    assert finding_rules.ends_before_start(END, START) and not finding_rules.ends_before_start(START, END)
    assert not finding_rules.ends_before_start(START, None)
    assert finding_rules.default_found_on(START, END) == END and finding_rules.default_found_on(START, None) == START
    assert finding_rules.can_move("open", "closed") and not finding_rules.can_move("closed", "open")
    assert finding_rules.can_edit("open") and not finding_rules.can_edit("closed")
