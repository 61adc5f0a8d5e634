"""The EU Forced Labour Regulation evidence pack's table: every upstream site of the company's network that handles
a commodity, with what an authority asks an operator to produce about it (Regulation (EU) 2024/3015): its
identifiers, its risk, the evidence held (audits, findings, how its links were evidenced), the corrective actions
and their outcomes. A fixed number of queries whatever the number of sites, each through the tenancy chokepoint.

A site handles the commodity when the registry says so (Site.commodities) or when one of the company's supply links
carries the commodity from it.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.utils import timezone

from audits.models import ActionStatus, Audit, CorrectiveAction, Finding, FindingStatus, Grievance
from audits.models.remediation import PENDING_STATUSES
from backend.tenancy import Viewer, visible
from graph.models import NetworkSite, RiskScore, SupplyLink


@dataclass(frozen=True)
class EvidenceRow:
    """One upstream site of the commodity; scores 0–1 (None when the site has no stored score)."""

    site_id: int
    name: str
    os_id: str
    country: str
    subdivision: str
    coordinates: str
    supplier: str
    supplier_ids: str
    tier: int | None
    band: str
    forced_labour: float | None
    child_labour: float | None
    link_evidence: str
    audits: int
    last_audit: datetime.date | None
    findings: int
    open_findings: int
    grievances: int
    actions_open: int
    actions_overdue: int
    actions_verified: int
    outcome: str


def evidence_rows(viewer: Viewer, commodity: str) -> list[EvidenceRow]:
    """The sites of the company's network that handle `commodity`, nearest tier first, then by name."""
    links = visible(SupplyLink, viewer).filter(commodity__code=commodity)
    entries = list(
        visible(NetworkSite, viewer)
        .filter(Q(site__commodities__code=commodity) | Q(site_id__in=links.values("upstream_id"))).distinct()
        .values("site_id", "tier", "site__name", "site__os_id", "site__country", "site__subdivision",
                "site__latitude", "site__longitude", "site__supplier__name", "site__supplier__lei",
                "site__supplier__duns", "site__supplier__tax_id")
        .order_by("tier", "site__name", "site_id")
    )
    ids = [entry["site_id"] for entry in entries]
    scores = {row["site_id"]: row for row in visible(RiskScore, viewer).filter(site_id__in=ids)
              .values("site_id", "band", "child_labour", "forced_labour")}
    evidence = defaultdict(Counter)
    for row in links.filter(upstream_id__in=ids).values("upstream_id", "evidence_level").annotate(n=Count("id")):
        evidence[row["upstream_id"]][row["evidence_level"]] += row["n"]
    audits = {row["site_id"]: row for row in visible(Audit, viewer).filter(site_id__in=ids).values("site_id")
              .annotate(n=Count("id"), last=Max("start_date"))}
    findings = {row["site_id"]: row for row in visible(Finding, viewer).filter(site_id__in=ids).values("site_id")
                .annotate(n=Count("id"), open=Count("id", filter=Q(status=FindingStatus.OPEN)))}
    grievances = dict(visible(Grievance, viewer).filter(site_id__in=ids).values("site_id").annotate(n=Count("id"))
                      .values_list("site_id", "n"))
    actions = action_counts(viewer, ids)
    return [row_of(entry, scores.get(entry["site_id"]), evidence[entry["site_id"]], audits.get(entry["site_id"]),
                   findings.get(entry["site_id"]), grievances.get(entry["site_id"], 0), actions[entry["site_id"]])
            for entry in entries]


def action_counts(viewer: Viewer, site_ids: list[int]) -> dict[int, Counter]:
    """Per site: its corrective actions (on a finding or a grievance at it) open, overdue and verified."""
    today = timezone.localdate()
    counts = defaultdict(Counter)
    rows = (visible(CorrectiveAction, viewer)
            .filter(Q(finding__site_id__in=site_ids) | Q(grievance__site_id__in=site_ids))
            .values_list("finding__site_id", "grievance__site_id", "status", "due_on"))
    for finding_site, grievance_site, status, due_on in rows:
        site = finding_site or grievance_site
        counts[site]["open"] += status in PENDING_STATUSES
        counts[site]["overdue"] += status in PENDING_STATUSES and due_on < today
        counts[site]["verified"] += status == ActionStatus.VERIFIED
    return counts


def outcome(open_findings: int, actions: Counter) -> str:
    """The site's standing in one phrase, worst first."""
    if actions["overdue"]:
        return "Corrective actions overdue"
    if actions["open"]:
        return "Remediation under way"
    if open_findings:
        return "Open findings without an action in progress"
    if actions["verified"]:
        return "Remediated and verified"
    return "No open case"


def row_of(entry: dict, score: dict | None, evidence: Counter, audits: dict | None, findings: dict | None,
           grievances: int, actions: Counter) -> EvidenceRow:
    latitude, longitude = entry["site__latitude"], entry["site__longitude"]
    supplier_ids = "; ".join(f"{label} {value}" for label, value in (
        ("LEI", entry["site__supplier__lei"]), ("DUNS", entry["site__supplier__duns"]),
        ("Tax ID", entry["site__supplier__tax_id"])) if value)
    open_findings = findings["open"] if findings else 0
    return EvidenceRow(
        site_id=entry["site_id"], name=entry["site__name"], os_id=entry["site__os_id"] or "",
        country=entry["site__country"], subdivision=entry["site__subdivision"],
        coordinates=f"{latitude:.4f}, {longitude:.4f}" if latitude is not None and longitude is not None else "",
        supplier=entry["site__supplier__name"] or "", supplier_ids=supplier_ids, tier=entry["tier"],
        band=score["band"] if score else "not scored",
        forced_labour=round(score["forced_labour"], 3) if score else None,
        child_labour=round(score["child_labour"], 3) if score else None,
        link_evidence=", ".join(f"{level} {n}" for level, n in sorted(evidence.items())) or "no link of its own",
        audits=audits["n"] if audits else 0, last_audit=audits["last"] if audits else None,
        findings=findings["n"] if findings else 0, open_findings=open_findings, grievances=grievances,
        actions_open=actions["open"], actions_overdue=actions["overdue"], actions_verified=actions["verified"],
        outcome=outcome(open_findings, actions),
    )
