"""Corrective action plans as Sedex/SMETA and RBA auditors write them (issue 16 §2): root cause, preventive action,
verification method, default due dates by severity, the finding closing with its last verified action, and the
follow-up audit that verified an action."""

import datetime
import threading
import time

import pytest
from django.db import connection, transaction

from audits.models import Finding, FindingStatus, StateChange, Subject
from audits.services import audits, remediation
from graph.risk import DEFAULT_METHODOLOGY
from graph.risk.evidence import Evidence, evidence_weight
from support.audits_world import gid

CREATE = """mutation($input: CorrectiveActionInput!) { correctiveActionCreate(input: $input) {
  correctiveAction { id dueOn rootCause preventiveAction verificationMethod verificationAudit { id } }
  errors { field code message } } }"""
VERIFY = """mutation($id: ID!, $method: VerificationMethod, $audit: ID) {
  correctiveActionVerify(id: $id, method: $method, auditId: $audit) {
    correctiveAction { status verificationMethod verificationAudit { id } finding { status } }
    errors { field code message } } }"""
DEADLINES = "{ remediationDeadlines { criticalDays majorDays minorDays observationDays } }"
SET_DEADLINES = """mutation($input: RemediationDeadlinesInput!) { remediationDeadlinesSet(input: $input) {
  remediationDeadlines { criticalDays majorDays minorDays observationDays } errors { field code message } } }"""

MILL_FINDING_DAY = datetime.date(2026, 3, 4)  # the critical finding of the SMETA audit, dated by the audit's end


def done(world, action, by="a"):
    remediation.start(world.viewer(by), action)
    remediation.complete(world.viewer(by), action, "Fees repaid to 40 workers")


def test_a_plan_records_root_cause_preventive_action_and_method_and_is_due_by_the_finding_severity(api, full_world):
    # Given F's critical finding of 4 March 2026 and company A's defaults
    client = api(full_world.users["a"])
    assert client.data(DEADLINES)["remediationDeadlines"] == {
        "criticalDays": 7, "majorDays": 14, "minorDays": 30, "observationDays": 90}

    # When A plans an action without a due date
    plan = {"findingId": full_world.ids["finding"], "title": "Repay recruitment fees",
            "rootCause": "Agents charge fees the mill never audited", "preventiveAction": "Employer-pays policy",
            "verificationMethod": "FOLLOW_UP_AUDIT"}
    created = client.data(CREATE, {"input": plan})["correctiveActionCreate"]

    # Then it is due 7 days after the finding (RBA: priority findings within 7) and keeps the plan's parts
    assert created["errors"] == []
    assert created["correctiveAction"] | {"id": None} == {
        "id": None, "dueOn": "2026-03-11", "rootCause": "Agents charge fees the mill never audited",
        "preventiveAction": "Employer-pays policy", "verificationMethod": "FOLLOW_UP_AUDIT", "verificationAudit": None}


def test_an_admin_sets_the_deadlines_of_its_own_organization_only(api, full_world):
    # Given A's admin, A's analyst and audit firm F's analyst
    admin, analyst = api(full_world.users["a_admin"]), api(full_world.users["a"])

    # When the analyst tries, the viewer-role is refused; when the admin sets critical findings to 3 days
    denied = analyst(SET_DEADLINES, {"input": {"criticalDays": 3}})
    changed = admin.data(SET_DEADLINES, {"input": {"criticalDays": 3}})["remediationDeadlinesSet"]
    refused = admin.data(SET_DEADLINES, {"input": {"majorDays": 400}})["remediationDeadlinesSet"]

    # Then only the admin's change lands, a day count out of range names its field, and F keeps its defaults
    assert denied["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert changed["remediationDeadlines"] == {"criticalDays": 3, "majorDays": 14, "minorDays": 30, "observationDays": 90}
    assert refused["errors"][0]["field"] == "majorDays" and refused["errors"][0]["code"] == "OUT_OF_RANGE"
    assert analyst.data(DEADLINES)["remediationDeadlines"]["criticalDays"] == 3
    assert api(full_world.users["f"]).data(DEADLINES)["remediationDeadlines"]["criticalDays"] == 7
    a_action = analyst.data(CREATE, {"input": {"findingId": full_world.ids["finding"], "title": "x"}})
    f_action = api(full_world.users["f"]).data(CREATE, {"input": {"findingId": full_world.ids["finding"], "title": "y"}})
    assert a_action["correctiveActionCreate"]["correctiveAction"]["dueOn"] == "2026-03-07"
    assert f_action["correctiveActionCreate"]["correctiveAction"]["dueOn"] == "2026-03-11"


def test_a_grievance_action_still_needs_its_due_date(api, full_world):
    created = api(full_world.users["a"]).data(CREATE, {"input": {"grievanceId": full_world.ids["grievance"],
                                                                  "title": "Return passports"}})
    assert created["correctiveActionCreate"]["errors"][0]["field"] == "dueOn"
    assert created["correctiveActionCreate"]["errors"][0]["code"] == "REQUIRED"


def test_the_finding_closes_when_its_last_action_is_verified(api, full_world):
    # Given F's finding with A's action and a second action of F's own, both done
    w = full_world
    finding, first = w.objects["finding"], w.objects["finding_action"]
    second = remediation.create_action(w.viewer("f"), {"title": "Interview workers"}, finding=finding)
    done(w, first)
    done(w, second, by="f")

    # When F verifies the first, the finding stays open; when F's admin verifies the second, it closes
    firm, firm_admin = api(w.users["f"]), api(w.users["f_admin"])
    one = firm.data(VERIFY, {"id": w.ids["finding_action"]})["correctiveActionVerify"]
    assert one["errors"] == [] and one["correctiveAction"]["finding"]["status"] == "OPEN"
    last = firm_admin.data(VERIFY, {"id": gid("CorrectiveAction", second)})["correctiveActionVerify"]

    # Then the finding is closed, by the verifier, and the verification defaulted to a desk review
    assert last["errors"] == [] and last["correctiveAction"]["finding"]["status"] == "CLOSED"
    assert last["correctiveAction"]["verificationMethod"] == "DESK_REVIEW"
    closing = StateChange.objects.get(subject=Subject.FINDING, object_id=finding.pk, to_state=FindingStatus.CLOSED)
    assert closing.actor == w.users["f_admin"] and closing.from_state == FindingStatus.OPEN


def test_a_follow_up_audit_verifies_an_action_and_is_linked(api, full_world):
    # Given A's done action on F's finding; a follow-up audit of the mill in May, and F's audit of another site
    w = full_world
    done(w, w.objects["finding_action"])
    follow_up = audits.create_audit(w.viewer("f"), w.objects["mill"], {
        "standard": "smeta", "audit_type": "semi_announced", "start_date": datetime.date(2026, 5, 12)})
    firm = api(w.users["f"])
    verify = {"id": w.ids["finding_action"], "method": "FOLLOW_UP_AUDIT"}

    # When F names no audit or the finding's own audit, or A's admin names F's audit F never shared with A, or an
    # outsider firm tries: each is refused
    missing = firm.data(VERIFY, verify)["correctiveActionVerify"]["errors"][0]
    same = firm.data(VERIFY, verify | {"audit": w.ids["audit"]})["correctiveActionVerify"]["errors"][0]
    unshared = api(w.users["a_admin"]).data(VERIFY, verify | {"audit": gid("Audit", follow_up)})
    outsider = api(w.users["g"]).data(VERIFY, verify | {"audit": gid("Audit", follow_up)})
    assert (missing["field"], missing["code"]) == ("auditId", "REQUIRED")
    assert (same["field"], same["code"]) == ("auditId", "OUT_OF_RANGE")
    assert [(e["field"], e["code"]) for e in unshared["correctiveActionVerify"]["errors"]] == [("auditId", "NOT_FOUND")]
    assert [(e["field"], e["code"]) for e in outsider["correctiveActionVerify"]["errors"]] == [("id", "NOT_FOUND")]
    assert Finding.objects.get(pk=w.objects["finding"].pk).status == FindingStatus.OPEN

    # When F names its follow-up audit
    verified = firm.data(VERIFY, verify | {"audit": gid("Audit", follow_up)})["correctiveActionVerify"]

    # Then the action is verified by follow-up audit, linked to it, and the finding (its last action) closes
    assert verified["errors"] == []
    assert verified["correctiveAction"] == {"status": "VERIFIED", "verificationMethod": "FOLLOW_UP_AUDIT",
                                            "verificationAudit": {"id": gid("Audit", follow_up)},
                                            "finding": {"status": "CLOSED"}}


def test_a_desk_review_names_no_audit(api, full_world):
    w = full_world
    done(w, w.objects["finding_action"])
    refused = api(w.users["f"]).data(VERIFY, {"id": w.ids["finding_action"], "method": "DESK_REVIEW",
                                              "audit": w.ids["audit"]})["correctiveActionVerify"]
    assert (refused["errors"][0]["field"], refused["errors"][0]["code"]) == ("auditId", "INVALID")


def test_closing_on_verification_leaves_the_site_risk_where_verification_put_it():
    """Verified remediation already weighs a finding 0 (docs/methodology.md), as a closed finding does: closing it
    changes no evidence weight, so no score (methodology version unchanged)."""
    as_of = datetime.date(2026, 6, 1)
    open_verified, closed_verified = (
        Evidence(node=0, kind="finding", dimensions=frozenset({1}), severity="critical", status=status,
                 observed_on=MILL_FINDING_DAY, remediation="verified")
        for status in (FindingStatus.OPEN, FindingStatus.CLOSED)
    )
    assert evidence_weight(open_verified, as_of, DEFAULT_METHODOLOGY) == 0
    assert evidence_weight(closed_verified, as_of, DEFAULT_METHODOLOGY) == 0


def waiting_for_a_lock() -> int:
    """How many sessions wait for a lock (the statistics snapshot is cleared: inside a transaction it stays put)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = "
                       "current_database()")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_last_two_actions_verified_at_once_still_close_the_finding(postgres, full_world):
    # Given F's finding with two done actions (A's, and F's own)
    w = full_world
    finding = w.objects["finding"]
    second = remediation.create_action(w.viewer("f"), {"title": "Interview workers"}, finding=finding)
    done(w, w.objects["finding_action"])
    done(w, second, by="f")
    verifications = [(w.viewer("f"), w.objects["finding_action"]), (w.viewer("f_admin"), second)]

    failures = []

    def verify(viewer, action):
        try:
            remediation.verify(viewer, action)
        except Exception as error:  # reported below: a thread's exception would otherwise be lost
            failures.append(error)
        finally:
            connection.close()

    # When both are verified at once: each has marked its action verified and waits for the finding's row
    with transaction.atomic():
        Finding.objects.select_for_update().get(pk=finding.pk)
        threads = [threading.Thread(target=verify, args=pair) for pair in verifications]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        while waiting_for_a_lock() < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert waiting_for_a_lock() == 2, failures
    for thread in threads:
        thread.join(timeout=60)

    # Then neither saw the other's verification before taking the row, yet the second to take it closes the finding
    assert failures == []
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.CLOSED
    assert StateChange.objects.filter(subject=Subject.FINDING, object_id=finding.pk, to_state="closed").count() == 1
