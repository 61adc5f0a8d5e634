"""Evidence risk: audit findings and grievances observed at a site.

Each piece of evidence e gets a weight in [0, 1],

    w(e) = base(e) · 2^(−age_days / half_life) · remediation_factor(e)

    base(e) = severity_weight(severity) · status_factor(status)   for a finding
    base(e) = grievance_status_weight(status)                      for a grievance
    base(e) = grievance_status_weight(outcome)                     for a closed grievance

(a closed case is settled: it keeps the weight of the outcome it was closed with, not substantiated or
remediated; closing it neither adds nor removes evidence)

and a site's evidence risk in dimension d is the noisy-OR over the evidence
that concerns d:  evidence_d(v) = 1 − Π_{e at v, d ∈ e.dimensions} (1 − w(e)).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from graph.risk.dimensions import DIMENSIONS
from graph.risk.methodology import Methodology

EvidenceKind = Literal["finding", "grievance"]
Remediation = Literal["none", "done", "verified"]
EVIDENCE_KINDS: frozenset[str] = frozenset({"finding", "grievance"})
REMEDIATIONS: frozenset[str] = frozenset({"none", "done", "verified"})
CLOSED = "closed"  # the grievance status whose weight is its outcome's


@dataclass(frozen=True)
class Evidence:
    """One finding or grievance at node `node`, about the dimensions it names.

    `outcome` is given for a closed grievance only: the status it was closed from.
    """

    node: int
    kind: EvidenceKind
    dimensions: frozenset[int]
    severity: str | None
    status: str
    observed_on: datetime.date
    remediation: Remediation = "none"
    outcome: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "dimensions", frozenset(self.dimensions))
        if self.node < 0:
            raise ValueError(f"node must be a non-negative index, got {self.node}")
        if self.kind not in EVIDENCE_KINDS:
            raise ValueError(f"kind must be one of {sorted(EVIDENCE_KINDS)}, got {self.kind!r}")
        if not self.dimensions or not self.dimensions <= set(DIMENSIONS):
            raise ValueError(f"dimensions must be a non-empty subset of {DIMENSIONS}")
        if self.remediation not in REMEDIATIONS:
            raise ValueError(
                f"remediation must be one of {sorted(REMEDIATIONS)}, got {self.remediation!r}"
            )
        if self.kind == "finding" and self.severity is None:
            raise ValueError("a finding needs a severity")
        closed = self.kind == "grievance" and self.status == CLOSED
        if closed and self.outcome in (None, CLOSED):
            raise ValueError(f"a closed grievance needs the state it was closed from as outcome, got {self.outcome!r}")
        if not closed and self.outcome is not None:
            raise ValueError(f"only a closed grievance has an outcome; this {self.kind} is {self.status!r}")


def _lookup(table: Mapping[str, float], key: str | None, what: str) -> float:
    try:
        return table[key]  # type: ignore[index]
    except KeyError:
        raise ValueError(f"unknown {what} {key!r} (known: {', '.join(table)})") from None


def base_weight(evidence: Evidence, methodology: Methodology) -> float:
    """Severity × status factor for a finding; status weight for a grievance, its outcome's once it is closed."""
    m = methodology
    if evidence.kind == "finding":
        severity = _lookup(m.finding_severity_weights, evidence.severity, "finding severity")
        return severity * _lookup(m.finding_status_factors, evidence.status, "finding status")
    if evidence.status == CLOSED:
        return _lookup(m.grievance_status_weights, evidence.outcome, "outcome of a closed grievance")
    return _lookup(m.grievance_status_weights, evidence.status, "grievance status")


def decay(age_days: float, methodology: Methodology) -> float:
    """2^(−age / half_life); evidence dated in the future counts as fresh (age 0)."""
    return 2.0 ** (-max(age_days, 0.0) / methodology.decay_half_life_days)


def evidence_weight(evidence: Evidence, as_of: datetime.date, methodology: Methodology) -> float:
    """w(e) = base(e) · decay(age) · remediation_factor(e)."""
    age_days = (as_of - evidence.observed_on).days
    remediation = _lookup(methodology.remediation_factors, evidence.remediation, "remediation")
    return base_weight(evidence, methodology) * decay(age_days, methodology) * remediation


def evidence_risk(
    evidence: Iterable[Evidence], n_nodes: int, as_of: datetime.date, methodology: Methodology
) -> np.ndarray:
    """(n_nodes, 2) array: evidence_d(v) = 1 − Π_{e at v about d} (1 − w(e))."""
    survival = np.ones((n_nodes, len(DIMENSIONS)))
    for item in evidence:
        if item.node >= n_nodes:
            raise ValueError(f"evidence names node {item.node}, but there are {n_nodes} nodes")
        weight = evidence_weight(item, as_of, methodology)
        for dimension in item.dimensions:
            survival[item.node, dimension] *= 1.0 - weight
    return 1.0 - survival
