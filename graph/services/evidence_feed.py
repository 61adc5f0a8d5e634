"""The evidence feed of the risk engine: other apps register providers of evidence about sites.

The supply network does not know about audits or grievances; the audits app registers a provider in its
AppConfig.ready(). A provider takes site IDs and the company whose risk is being computed, and returns the
`SiteEvidence` that company may know of (an audit firm's unshared finding must not move a company's score, or
the score would reveal it); the risk service turns them into the engine's `Evidence` (graph/risk/evidence.py),
which states how each one is weighted.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from backend.models import Organization


@dataclass(frozen=True)
class SiteEvidence:
    """A finding or grievance about one site, as the risk engine needs it.

    kind: "finding" or "grievance"; dimensions: a subset of {0 (child labour), 1 (forced labour)};
    severity: critical/major/minor/observation for findings, None for grievances; status: the finding's
    open/closed or the grievance's lifecycle state; remediation: "none", "done" or "verified"; outcome: for a
    closed grievance, the state it was closed from (its weight is that state's), else None; evidence_id and
    category: the finding's or grievance's key and category, for explanations naming it (None: not given).
    """

    site_id: int
    kind: str
    dimensions: frozenset[int]
    severity: str | None
    status: str
    observed_on: datetime.date
    remediation: str = "none"
    outcome: str | None = None
    evidence_id: int | None = None
    category: str | None = None


# A provider receives the site IDs either as a list or, for a whole network, as a values_list queryset: it
# should filter with `site_id__in=site_ids` (a subquery then) and never materialise a million IDs in Python.
EvidenceProvider = Callable[[Iterable[int], Organization], list[SiteEvidence]]
_providers: list[EvidenceProvider] = []


def register_evidence_provider(provider: EvidenceProvider) -> None:
    """Add a provider (once); called from an AppConfig.ready()."""
    if provider not in _providers:
        _providers.append(provider)


def collect_evidence(site_ids: Iterable[int], company: Organization) -> list[SiteEvidence]:
    """All registered providers' evidence about these sites (a list, or a queryset of IDs) known to the company."""
    return [item for provider in _providers for item in provider(site_ids, company)]
