"""Every value that reaches the risk engine has its weight in the methodology, and every weight a value.

The values are those of the models feeding the engine: finding severity and status, grievance state,
corrective-action status, and the categories that make a finding or grievance evidence of a dimension. The
weights are read from docs/methodology.md's tables, so code and document are checked against each other. Each
value is then produced for real, by moving a finding, grievance or corrective action through the legal
transitions of its service to that value, and its weight is read back through the evidence feed and the engine
(`evidence_array`): a value the engine does not know fails here, naming it, instead of in a worker's log.
"""

import datetime
import re
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import timezone

from audits.models import ActionStatus, FindingStatus, GrievanceState, Severity
from audits.services import assignments, audits, grievances, remediation
from audits.services.evidence import site_evidence
from audits.taxonomy import CHILD_LABOUR_CATEGORIES, FORCED_LABOUR_INDICATORS, Category, dimensions_of
from backend.models import OrganizationKind, Role
from backend.tenancy import Viewer
from factories import add_site
from graph.risk import DEFAULT_METHODOLOGY as M
from graph.risk import FORCED_LABOUR
from graph.risk.evidence import EVIDENCE_KINDS, REMEDIATIONS
from graph.services.risk_graph import evidence_array, load_tenant_graph

METHODOLOGY = Path(__file__).resolve().parents[2] / "docs" / "methodology.md"
# Categories that are about labour standards but evidence neither child nor forced labour (audits/taxonomy.py);
# a new category must be put in one of the taxonomy's groups or here.
NOT_RISK_EVIDENCE = {Category.FREEDOM_OF_ASSOCIATION, Category.DISCRIMINATION, Category.HEALTH_SAFETY,
                     Category.WAGES, Category.WORKING_HOURS}
FORCED_LABOUR_CATEGORY = Category.DEBT_BONDAGE


def methodology_table(header: str) -> dict[str, list[str]]:
    """The rows of docs/methodology.md's table whose first column is headed `header`: first cell → other cells."""
    lines = METHODOLOGY.read_text().splitlines()
    starts = [i for i, line in enumerate(lines) if re.match(rf"\s*\|\s*{re.escape(header)}\s*\|", line)]
    assert len(starts) == 1, f"docs/methodology.md needs exactly one table headed {header!r}"
    rows = {}
    for line in lines[starts[0] + 2:]:
        if not line.strip().startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        rows[cells[0]] = cells[1:]
    return rows


def weights(header: str) -> dict[str, str]:
    return {value: cells[0] for value, cells in methodology_table(header).items()}


def numbers(header: str) -> dict[str, float]:
    return {value: float(weight) for value, weight in weights(header).items()}


def remediation_reached() -> dict[str, str]:
    """Corrective-action status → the remediation it reaches, from the remediation table's last column."""
    reached = {}
    for level, (_factor, statuses) in methodology_table("remediation").items():
        for status in re.findall(r"\b[a-z_]+\b", statuses.split("(")[0]):
            assert status not in reached, f"{status} reaches two remediations in docs/methodology.md"
            reached[status] = level
    return reached


def test_the_methodology_tables_are_the_engines_weights():
    assert numbers("finding severity") == dict(M.finding_severity_weights)
    assert numbers("finding status") == dict(M.finding_status_factors)
    assert numbers("remediation") == dict(M.remediation_factors)
    grievance = weights("grievance status")
    assert grievance.pop(GrievanceState.CLOSED) == "outcome"
    assert {state: float(weight) for state, weight in grievance.items()} == dict(M.grievance_status_weights)


def test_every_value_of_the_models_has_its_row_and_every_row_a_value():
    assert set(weights("finding severity")) == set(Severity.values)
    assert set(weights("finding status")) == set(FindingStatus.values)
    assert set(weights("grievance status")) == set(GrievanceState.values)
    assert set(weights("remediation")) == REMEDIATIONS
    assert set(remediation_reached()) == set(ActionStatus.values)
    assert EVIDENCE_KINDS == {"finding", "grievance"}
    grouped = FORCED_LABOUR_INDICATORS | CHILD_LABOUR_CATEGORIES
    assert grouped | NOT_RISK_EVIDENCE == set(Category.values) and not grouped & NOT_RISK_EVIDENCE


def shortest_path(transitions: dict, start: str, goal: str) -> list[str]:
    """The states after `start` on a shortest legal way to `goal` ([] when goal is start)."""
    previous, queue = {start: None}, deque([start])
    while queue:
        state = queue.popleft()
        for following in sorted(transitions.get(state, ())):
            if following not in previous:
                previous[following] = state
                queue.append(following)
    assert goal in previous, f"{goal!r} cannot be reached from {start!r}"
    path = []
    while goal != start:
        path.append(goal)
        goal = previous[goal]
    return path[::-1]


def edges(transitions: dict) -> list[tuple[str, str]]:
    return sorted((before, after) for before, afters in transitions.items() for after in afters)


@dataclass
class Parties:
    company: object
    analyst: Viewer
    admin: Viewer
    firm: Viewer
    workers: Viewer
    mill: object

    def forced_labour_weight(self) -> float:
        """The mill's forced-labour evidence risk as the engine computes it for the company: with one piece of
        evidence, dated today, that is its weight."""
        graph = load_tenant_graph(self.company)
        evidence = evidence_array(graph, M)
        return float(evidence[graph.node_of(self.mill.pk), FORCED_LABOUR])


@pytest.fixture
def parties(make_org, make_user) -> Parties:
    company = make_org("Company A")
    firm = make_user(make_org("Audit Firm F", OrganizationKind.AUDIT_FIRM), Role.ANALYST)
    workers = make_user(make_org("Workers Org W", OrganizationKind.WORKERS_ORG), Role.ANALYST)
    analyst, admin = make_user(company, Role.ANALYST), make_user(company, Role.ADMIN)
    mill = add_site(analyst, "Mill")
    assignments.assign(Viewer.of(analyst), mill, firm.organization)
    return Parties(company, Viewer.of(analyst), Viewer.of(admin), Viewer.of(firm), Viewer.of(workers), mill)


def file_grievance(parties: Parties, category: str = FORCED_LABOUR_CATEGORY):
    return grievances.file_grievance(parties.workers, parties.mill, {
        "channel": "hotline", "category": category, "description": "Recruitment fees deducted from wages",
    })


def create_action(parties: Parties, **parent):
    return remediation.create_action(parties.analyst, {"title": "Repay the fees", "due_on": timezone.localdate()},
                                     **parent)


def move_grievance(parties: Parties, grievance, to_state: str) -> None:
    """Take the one legal step to `to_state` as the party entitled to it."""
    if to_state == GrievanceState.REMEDIATED:  # needs a corrective action done
        action = create_action(parties, grievance=grievance)
        move_action(parties, action, ActionStatus.DONE)
    steps = {
        GrievanceState.ACKNOWLEDGED: lambda: grievances.acknowledge(parties.analyst, grievance),
        GrievanceState.UNDER_INVESTIGATION: lambda: grievances.investigate(parties.analyst, grievance),
        GrievanceState.SUBSTANTIATED: lambda: grievances.conclude(parties.analyst, grievance, True),
        GrievanceState.NOT_SUBSTANTIATED: lambda: grievances.conclude(parties.analyst, grievance, False),
        GrievanceState.REMEDIATED: lambda: grievances.remediate(parties.analyst, grievance),
        GrievanceState.CLOSED: lambda: grievances.close(parties.workers, grievance),
    }
    steps[to_state]()


def move_action(parties: Parties, action, to_status: str) -> None:
    for status in shortest_path(remediation.TRANSITIONS, action.status, to_status):
        steps = {
            ActionStatus.IN_PROGRESS: lambda: remediation.start(parties.analyst, action),
            ActionStatus.DONE: lambda: remediation.complete(parties.analyst, action, "Fees repaid"),
            ActionStatus.VERIFIED: lambda: remediation.verify(parties.admin, action),
            ActionStatus.REJECTED: lambda: remediation.reject(parties.admin, action, "No receipts"),
        }
        steps[status]()


def expected_grievance_weight(state: str, outcome: str, remediation_level: str) -> float:
    table = weights("grievance status")
    weighed_as = outcome if table[state] == "outcome" else state
    return float(table[weighed_as]) * numbers("remediation")[remediation_level]


@pytest.mark.parametrize(("before", "after"), edges(grievances.TRANSITIONS),
                         ids=[f"{a}-to-{b}" for a, b in edges(grievances.TRANSITIONS)])
def test_a_grievance_reaching_any_state_by_any_transition_is_weighed_as_the_methodology_says(parties, before, after):
    # given a forced-labour grievance about the mill, routed to the company, moved legally to `before`
    grievance = file_grievance(parties)
    for state in shortest_path(grievances.TRANSITIONS, GrievanceState.RECEIVED, before):
        move_grievance(parties, grievance, state)
    # when it takes the transition to `after`
    move_grievance(parties, grievance, after)
    # then the engine weighs it by the methodology's table (a closed case by its outcome, `before`), with the
    # remediation its corrective actions reached (an action is done on the way to remediated)
    done = GrievanceState.REMEDIATED in (before, after)
    assert parties.forced_labour_weight() == pytest.approx(
        expected_grievance_weight(after, before, "done" if done else "none"))


def share_finding(parties: Parties, severity: str, category: str = FORCED_LABOUR_CATEGORY):
    finding = audits.create_finding(parties.firm, {
        "category": category, "severity": severity, "description": "Recruitment fees",
        "found_on": timezone.localdate(),
    }, site=parties.mill)
    assignments.share(parties.firm, parties.company, finding=finding)
    return finding


@pytest.mark.parametrize("severity", Severity.values)
@pytest.mark.parametrize("status", FindingStatus.values)
def test_a_finding_of_every_severity_in_every_status_is_weighed_as_the_methodology_says(parties, severity, status):
    # given a shared forced-labour finding of that severity, moved legally to that status
    finding = share_finding(parties, severity)
    for step in shortest_path(audits.FINDING_TRANSITIONS, FindingStatus.OPEN, status):
        assert step == FindingStatus.CLOSED, f"no step for a finding becoming {step!r}"
        audits.close_finding(parties.firm, finding)
    # then its weight is severity weight × status factor
    expected = numbers("finding severity")[severity] * numbers("finding status")[status]
    assert parties.forced_labour_weight() == pytest.approx(expected)


@pytest.mark.parametrize("parent", ["finding", "grievance"])
@pytest.mark.parametrize("status", ActionStatus.values)
def test_a_corrective_action_in_every_status_remediates_as_the_methodology_says(parties, parent, status):
    # given a critical shared finding, or a grievance under investigation, with one corrective action
    if parent == "finding":
        subject = share_finding(parties, Severity.CRITICAL)
        base = numbers("finding severity")[Severity.CRITICAL]
    else:
        subject = file_grievance(parties)
        for state in shortest_path(grievances.TRANSITIONS, GrievanceState.RECEIVED, GrievanceState.UNDER_INVESTIGATION):
            move_grievance(parties, subject, state)
        base = float(weights("grievance status")[GrievanceState.UNDER_INVESTIGATION])
    action = create_action(parties, **{parent: subject})
    # when the action is moved legally to that status
    move_action(parties, action, status)
    # then the evidence is remediated as the methodology's table says for that status
    level = remediation_reached()[status]
    assert parties.forced_labour_weight() == pytest.approx(base * numbers("remediation")[level])


@pytest.mark.parametrize("category", Category.values)
def test_a_finding_and_a_grievance_of_every_category_are_evidence_of_the_dimensions_of_its_category(parties, category):
    # given a shared finding and a grievance of that category about the mill
    share_finding(parties, Severity.MAJOR, category)
    file_grievance(parties, category)
    # then the feed gives both, about the category's dimensions, or neither when it evidences no dimension
    evidence = site_evidence([parties.mill.pk], parties.company)
    expected = [] if category in NOT_RISK_EVIDENCE else [("finding", dimensions_of(category)),
                                                         ("grievance", dimensions_of(category))]
    assert sorted((item.kind, item.dimensions) for item in evidence) == expected
    assert all(item.kind in EVIDENCE_KINDS for item in evidence)
