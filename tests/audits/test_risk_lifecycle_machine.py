"""A stateful property test of everything that feeds the risk engine, through the API.

Hypothesis drives random legal sequences of assignments, findings, shares, grievances and corrective actions
(RuleBasedStateMachine), each step a GraphQL mutation by the organization entitled to it, its recomputation run
after its commit through the outbox as in production (eager). After every step:
- the step succeeded and so did its recomputation (the outbox is empty: no task failed);
- every score of the company (its sites and the company itself, both dimensions) lies in [0, 1];
- a step that adds evidence (a share, a grievance, an investigation, a substantiation, a rejected remediation)
  lowers no score; one that remedies (a completed or verified action, a remediated grievance, a case found not
  substantiated, a closed finding, a revoked share) raises none; the others (assignments, a new action, an
  acknowledgement, closing a grievance) change none;
- when every finding and grievance is settled (closed, not substantiated, verified, not shared) the scores are
  back at the baseline, the scores before any evidence.
Examples: RISK_MACHINE_EXAMPLES (25 by default, the suite's; docs/methodology.md says how to run 1,000).
"""

import os

import pytest
from django.db import transaction
from django.test import TestCase
from django.utils import timezone
from graphql_relay import to_global_id
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine, initialize, invariant, precondition, rule, run_state_machine_as_test,
)

from audits.taxonomy import Category, dimensions_of
from backend.models import OrganizationKind, OutboxMessage, Role
from factories import add_link, add_site
from graph.models import RiskScore

EXAMPLES = int(os.environ.get("RISK_MACHINE_EXAMPLES", "25"))
STEPS = 30
MOST = 2  # findings, and grievances, in one example: few enough that steps carry them to their ends
TOLERANCE = 1e-9
CATEGORIES = [Category.DEBT_BONDAGE, Category.BELOW_MINIMUM_AGE, Category.WORST_FORMS_CHILD_LABOUR, Category.WAGES]
SEVERITIES = ["CRITICAL", "MAJOR", "MINOR", "OBSERVATION"]
UP, DOWN, SAME = "adds evidence", "remedies", "changes nothing"

ASSIGN = """mutation($firm: ID!, $site: ID!) { auditAssignmentCreate(auditFirmId: $firm, siteId: $site) {
  assignment { id } errors { field code message } } }"""
UNASSIGN = "mutation($id: ID!) { auditAssignmentRevoke(id: $id) { errors { field code message } } }"
FINDING = """mutation($site: ID!, $input: FindingInput!) { findingCreate(siteId: $site, input: $input) {
  finding { id } errors { field code message } } }"""
SHARE = """mutation($finding: ID!, $company: ID!) { findingShare(findingId: $finding, companyId: $company) {
  errors { field code message } } }"""
UNSHARE = """mutation($finding: ID!, $company: ID!) { findingShareRevoke(findingId: $finding, companyId: $company) {
  errors { field code message } } }"""
CLOSE_FINDING = "mutation($id: ID!) { findingClose(id: $id) { errors { field code message } } }"
FILE = """mutation($site: ID!, $input: GrievanceInput!) { grievanceFile(siteId: $site, input: $input) {
  grievance { id } errors { field code message } } }"""
GRIEVANCE_STEPS = {
    "acknowledged": ("mutation($id: ID!) { grievanceAcknowledge(id: $id) { errors { field code message } } }", SAME),
    "under_investigation": ("mutation($id: ID!) { grievanceInvestigate(id: $id) { errors { field code message } } }",
                            UP),
    "substantiated": ("""mutation($id: ID!) { grievanceConclude(id: $id, substantiated: true) {
      errors { field code message } } }""", UP),
    "not_substantiated": ("""mutation($id: ID!) { grievanceConclude(id: $id, substantiated: false) {
      errors { field code message } } }""", DOWN),
    "remediated": ("mutation($id: ID!) { grievanceRemediate(id: $id) { errors { field code message } } }", DOWN),
    "closed": ("mutation($id: ID!) { grievanceClose(id: $id) { errors { field code message } } }", SAME),
}
GRIEVANCE_NEXT = {"received": ["acknowledged"], "acknowledged": ["under_investigation"],
                  "under_investigation": ["substantiated", "not_substantiated"], "substantiated": ["remediated"],
                  "not_substantiated": ["closed"], "remediated": ["closed"], "closed": []}
ACTION = """mutation($input: CorrectiveActionInput!) { correctiveActionCreate(input: $input) {
  correctiveAction { id } errors { field code message } } }"""
ACTION_STEPS = {  # to status: (mutation, who, direction, from statuses)
    "in_progress": ("mutation($id: ID!) { correctiveActionStart(id: $id) { errors { field code message } } }",
                    "analyst", SAME, ("open", "rejected")),
    "done": ("""mutation($id: ID!) { correctiveActionComplete(id: $id, note: "Fees repaid") {
      errors { field code message } } }""", "analyst", DOWN, ("in_progress",)),
    "verified": ("""mutation($id: ID!) { correctiveActionVerify(id: $id, note: "Receipts seen") {
      errors { field code message } } }""", "admin", DOWN, ("done",)),
    "rejected": ("""mutation($id: ID!) { correctiveActionReject(id: $id, note: "No receipts") {
      errors { field code message } } }""", "admin", UP, ("done",)),
}


def scores(company) -> dict:
    """Every stored score of the company: (site or None for the company, dimension) → score."""
    rows = RiskScore.objects.filter(company=company).values_list("site_id", "child_labour", "forced_labour")
    return {(site, dimension): value for site, child, forced in rows
            for dimension, value in (("child", child), ("forced", forced))}


@pytest.fixture
def lifecycle_world(api, make_org, make_user, django_capture_on_commit_callbacks):
    """Company A (an analyst and an admin), audit firm F, workers' organization W; A's network: two public
    sites, a farm supplying a mill, and the mill supplying A; scored, with no evidence yet."""
    company = make_org("Company A")
    analyst, admin = make_user(company, Role.ANALYST), make_user(company, Role.ADMIN)
    firm = make_user(make_org("Audit Firm F", OrganizationKind.AUDIT_FIRM), Role.ANALYST)
    workers = make_user(make_org("Workers Org W", OrganizationKind.WORKERS_ORG), Role.ANALYST)
    with django_capture_on_commit_callbacks(execute=True):
        farm = add_site(analyst, "Cotton farm", kind="farm", os_id="IN2020001ABCDE0")
        mill = add_site(analyst, "Spinning mill", os_id="IN2020002ABCDE1")
        add_link(analyst, farm, mill, share=0.6)
        add_link(analyst, mill, None, share=1.0)
    return {
        "company": company, "company_id": to_global_id("Party", company.pk),
        "firm_id": to_global_id("Party", firm.organization.pk),
        "sites": [to_global_id("Site", farm.pk), to_global_id("Site", mill.pk)],
        "clients": {"analyst": api(analyst), "admin": api(admin), "firm": api(firm), "workers": api(workers)},
    }


class RiskLifecycles(RuleBasedStateMachine):
    """The model: what the API was asked to do, enough to know which steps are legal and which evidence weighs."""

    world: dict = {}

    @initialize()
    def start(self):
        self.savepoint = transaction.atomic()  # rolled back after each example
        self.savepoint.__enter__()
        self.company = self.world["company"]
        self.clients = self.world["clients"]
        self.baseline = self.previous = scores(self.company)
        self.assignments: dict[str, str] = {}  # site → assignment ID
        self.findings: dict[str, dict] = {}  # ID → {site, category, shared, open}
        self.grievances: dict[str, dict] = {}  # ID → {category, state, outcome}
        self.actions: dict[str, dict] = {}  # ID → {parent, status}

    def teardown(self):
        if hasattr(self, "savepoint"):
            transaction.set_rollback(True)
            self.savepoint.__exit__(None, None, None)

    def mutate(self, who: str, query: str, variables: dict, direction: str) -> dict:
        """Run a mutation that must succeed, with its recomputation after its commit; check the scores."""
        with TestCase.captureOnCommitCallbacks(execute=True):
            result = self.clients[who](query, variables)
        assert "errors" not in result, result["errors"]
        payload = next(iter(result["data"].values()))
        assert payload["errors"] == [], payload["errors"]
        self.check(direction)
        return payload

    def check(self, direction: str) -> None:
        failed = list(OutboxMessage.objects.values_list("task", "last_error"))
        assert failed == [], f"follow-up work left in the outbox: {failed}"
        now = scores(self.company)
        assert now.keys() == self.baseline.keys()
        for key, value in now.items():
            assert 0.0 <= value <= 1.0, (key, value)
            before = self.previous[key]
            if direction == UP:
                assert value >= before - TOLERANCE, f"a step that {direction} lowered {key}: {before} → {value}"
            elif direction == DOWN:
                assert value <= before + TOLERANCE, f"a step that {direction} raised {key}: {before} → {value}"
            else:
                assert value == pytest.approx(before, abs=TOLERANCE), f"a step that {direction} moved {key}"
        self.previous = now

    @invariant()
    def settled_cases_leave_the_baseline(self):
        if hasattr(self, "baseline") and all(self.settled(kind, item) for kind, item in self.cases()):
            for key, value in self.previous.items():
                assert value == pytest.approx(self.baseline[key], abs=TOLERANCE), (key, self.cases())

    def cases(self) -> list:
        return [("finding", f) for f in self.findings.values()] + [("grievance", g) for g in self.grievances.values()]

    def settled(self, kind: str, case: dict) -> bool:
        """Whether the case weighs nothing: about no risk dimension, verified, or (a finding) not shared or
        closed, or (a grievance) found not substantiated, closed so or not."""
        verified = any(a["parent"] is case and a["status"] == "verified" for a in self.actions.values())
        if not dimensions_of(case["category"]) or verified:
            return True
        if kind == "finding":
            return not case["shared"] or not case["open"]
        return "not_substantiated" in (case["state"], case["outcome"])

    # Assignments
    @rule(pick=st.integers(0, 1))
    def assign(self, pick):
        site = self.world["sites"][pick]
        if site in self.assignments:
            return
        payload = self.mutate("analyst", ASSIGN, {"firm": self.world["firm_id"], "site": site}, SAME)
        self.assignments[site] = payload["assignment"]["id"]

    @precondition(lambda self: self.assignments)
    @rule(pick=st.integers(0, 10**6))
    def unassign(self, pick):
        site = sorted(self.assignments)[pick % len(self.assignments)]
        self.mutate("analyst", UNASSIGN, {"id": self.assignments.pop(site)}, SAME)

    # Findings
    @precondition(lambda self: self.assignments and len(self.findings) < MOST)
    @rule(pick=st.integers(0, 10**6), category=st.sampled_from(CATEGORIES), severity=st.sampled_from(SEVERITIES))
    def find(self, pick, category, severity):
        site = sorted(self.assignments)[pick % len(self.assignments)]
        found = {"category": category.upper(), "severity": severity, "description": "Recruitment fees",
                 "foundOn": timezone.localdate().isoformat()}
        payload = self.mutate("firm", FINDING, {"site": site, "input": found}, SAME)
        self.findings[payload["finding"]["id"]] = {"category": category, "shared": False, "open": True}

    def pick_finding(self, pick, **state):
        matching = [key for key, f in self.findings.items() if all(f[k] == v for k, v in state.items())]
        return matching[pick % len(matching)] if matching else None

    @precondition(lambda self: self.findings)
    @rule(pick=st.integers(0, 10**6))
    def share(self, pick):
        finding = self.pick_finding(pick, shared=False)
        if finding:
            self.mutate("firm", SHARE, {"finding": finding, "company": self.world["company_id"]}, UP)
            self.findings[finding]["shared"] = True

    @precondition(lambda self: self.findings)
    @rule(pick=st.integers(0, 10**6))
    def unshare(self, pick):
        finding = self.pick_finding(pick, shared=True)
        if finding:
            self.mutate("firm", UNSHARE, {"finding": finding, "company": self.world["company_id"]}, DOWN)
            self.findings[finding]["shared"] = False

    @precondition(lambda self: self.findings)
    @rule(pick=st.integers(0, 10**6))
    def close_finding(self, pick):
        finding = self.pick_finding(pick, open=True)
        pending = [a for a in self.actions.values() if a["parent"] is self.findings.get(finding)
                   and a["status"] in ("open", "in_progress", "done")]
        if finding and not pending:
            self.mutate("firm", CLOSE_FINDING, {"id": finding}, DOWN)
            self.findings[finding]["open"] = False

    # Grievances
    @precondition(lambda self: len(self.grievances) < MOST)
    @rule(pick=st.integers(0, 1), category=st.sampled_from(CATEGORIES))
    def file(self, pick, category):
        filed = {"channel": "HOTLINE", "category": category.upper(), "description": "Wages withheld for months"}
        payload = self.mutate("workers", FILE, {"site": self.world["sites"][pick], "input": filed}, UP)
        self.grievances[payload["grievance"]["id"]] = {"category": category, "state": "received", "outcome": None}

    @precondition(lambda self: self.grievances)
    @rule(pick=st.integers(0, 10**6), choice=st.integers(0, 1))
    def move_grievance(self, pick, choice):
        movable = [key for key, g in self.grievances.items() if self.next_states(g)]
        if not movable:
            return
        grievance = self.grievances[movable[pick % len(movable)]]
        options = self.next_states(grievance)
        state = options[choice % len(options)]
        query, direction = GRIEVANCE_STEPS[state]
        who = "workers" if state == "closed" else "analyst"
        self.mutate(who, query, {"id": movable[pick % len(movable)]}, direction)
        grievance["outcome"] = grievance["state"] if state == "closed" else None
        grievance["state"] = state

    def next_states(self, grievance: dict) -> list[str]:
        """The legal next states; remediated only once an action on it is done or verified."""
        actions = [a for a in self.actions.values() if a["parent"] is grievance]
        remedied = any(a["status"] in ("done", "verified") for a in actions)
        return [s for s in GRIEVANCE_NEXT[grievance["state"]] if s != "remediated" or remedied]

    # Corrective actions
    @precondition(lambda self: (self.findings or self.grievances) and len(self.actions) < 2 * MOST)
    @rule(pick=st.integers(0, 10**6))
    def plan_action(self, pick):
        parents = [("findingId", key, f) for key, f in self.findings.items() if f["shared"] and f["open"]]
        parents += [("grievanceId", key, g) for key, g in self.grievances.items()
                    if g["state"] not in ("closed", "not_substantiated")]
        if not parents:
            return
        field, key, parent = parents[pick % len(parents)]
        planned = {field: key, "title": "Repay the recruitment fees", "dueOn": timezone.localdate().isoformat()}
        payload = self.mutate("analyst", ACTION, {"input": planned}, SAME)
        self.actions[payload["correctiveAction"]["id"]] = {"parent": parent, "status": "open"}

    @precondition(lambda self: self.actions)
    @rule(pick=st.integers(0, 10**6), choice=st.integers(0, 1))
    def move_action(self, pick, choice):
        key = sorted(self.actions)[pick % len(self.actions)]
        action = self.actions[key]
        options = [status for status, step in ACTION_STEPS.items() if action["status"] in step[3]]
        if options:
            status = options[choice % len(options)]
            query, who, direction, _from = ACTION_STEPS[status]
            self.mutate(who, query, {"id": key}, direction)
            action["status"] = status

def test_every_legal_lifecycle_keeps_the_scores_bounded_monotone_and_settles_back_to_the_baseline(lifecycle_world):
    RiskLifecycles.world = lifecycle_world
    run_state_machine_as_test(RiskLifecycles, settings=settings(
        max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    ))
