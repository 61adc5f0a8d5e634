"""Alerts on evidence: a compliance officer hears of a serious case in the network even when the score barely moves.

A critical finding five tiers up may move the company's score by less than a hundredth (the model dilutes it
along the path, as it should), and a band rise alone would say nothing. So, after every risk computation of a
company (graph.signals.risk_recomputed, sent inside its transaction), the evidence the company may know of at
the changed sites (the same evidence that feeds its score: findings shared with it, grievances routed to it) is
read, and the company is alerted, once per piece of evidence, to:
- a critical or major finding, or a substantiated grievance (one that reached "substantiated", whatever its state
  since), at any site of its network, at any tier: an evidence alert, with the path from the site to the company;
- any other finding or grievance recorded since the company last set its region watch, at a site of its network
  the watch matches (graph/models/alerts.py:RegionWatch): a region evidence alert.
"""

from django.db.models import Exists, OuterRef

from audits.models import Finding, Grievance, GrievanceState, Severity, StateChange, Subject
from audits.taxonomy import Category
from backend.tenancy import Viewer, owned, visible
from graph.models import AlertKind, EvidenceKind, NetworkSite, RegionWatch, RiskAlert, Site
from graph.services.traversal import find_paths

SERIOUS_SEVERITIES = (Severity.CRITICAL, Severity.MAJOR)


def raise_evidence_alerts(sender, company, site_ids, **kwargs) -> int:
    """Alert `company` to the evidence at `site_ids` (None: its whole network) not alerted yet; return how many."""
    viewer = Viewer(user=None, organization=company)
    network = owned(NetworkSite, viewer)
    if site_ids is not None:
        network = network.filter(site_id__in=site_ids)
    sites = network.values("site_id")
    watched = WatchedSites(owned(RegionWatch, viewer).first())
    alerts = [*finding_alerts(viewer, sites, watched), *grievance_alerts(viewer, sites, watched)]
    if not alerts:
        return 0
    names = dict(Site.objects.filter(pk__in={alert.site_id for alert in alerts}).values_list("pk", "name"))
    for alert in alerts:
        alert.summary = alert.summary.format(site=names.get(alert.site_id, ""))[:300]
        if alert.kind == AlertKind.EVIDENCE:
            alert.path = path_to_company(company, alert.site_id)
    return len(RiskAlert.objects.bulk_create(alerts, ignore_conflicts=True))


def finding_alerts(viewer: Viewer, sites, watched: "WatchedSites") -> list[RiskAlert]:
    """An alert for each visible finding at `sites` that is serious, or new to a matching watch."""
    findings = visible(Finding, viewer).filter(site_id__in=sites).exclude(
        Exists(alerted(viewer, EvidenceKind.FINDING))
    ).values_list("pk", "site_id", "category", "severity", "created_at")
    alerts = []
    for pk, site_id, category, severity, created_at in findings:
        words = f"{Severity(severity).label} finding: {Category(category).label} at {{site}}"
        kind = AlertKind.EVIDENCE if severity in SERIOUS_SEVERITIES else watched.kind_for(site_id, created_at)
        if kind:
            alerts.append(evidence_alert(viewer, kind, EvidenceKind.FINDING, pk, site_id, words, watched.watch))
    return alerts


def grievance_alerts(viewer: Viewer, sites, watched: "WatchedSites") -> list[RiskAlert]:
    """An alert for each visible grievance at `sites` that was substantiated, or is new to a matching watch."""
    substantiated = StateChange.objects.filter(
        subject=Subject.GRIEVANCE, object_id=OuterRef("pk"), to_state=GrievanceState.SUBSTANTIATED)
    grievances = visible(Grievance, viewer).filter(site_id__in=sites).exclude(
        Exists(alerted(viewer, EvidenceKind.GRIEVANCE))
    ).annotate(was_substantiated=Exists(substantiated)).values_list(
        "pk", "site_id", "category", "was_substantiated", "received_at")
    alerts = []
    for pk, site_id, category, was_substantiated, received_at in grievances:
        if was_substantiated:
            kind, words = AlertKind.EVIDENCE, f"Substantiated grievance: {Category(category).label} at {{site}}"
        else:
            kind, words = watched.kind_for(site_id, received_at), f"Grievance: {Category(category).label} at {{site}}"
        if kind:
            alerts.append(evidence_alert(viewer, kind, EvidenceKind.GRIEVANCE, pk, site_id, words, watched.watch))
    return alerts


def alerted(viewer: Viewer, evidence_kind: str):
    """The company's alerts about the outer row's evidence (to leave out evidence already alerted)."""
    return owned(RiskAlert, viewer).filter(evidence_kind=evidence_kind, evidence_id=OuterRef("pk"))


def evidence_alert(viewer: Viewer, kind: str, evidence_kind: str, evidence_id: int, site_id: int, words: str,
                   watch: RegionWatch | None) -> RiskAlert:
    return RiskAlert(company=viewer.organization, kind=kind, site_id=site_id, evidence_kind=evidence_kind,
                     evidence_id=evidence_id, summary=words,
                     watch=watch if kind == AlertKind.REGION_EVIDENCE else None)


class WatchedSites:
    """Which sites a region watch matches, asked site by site and read from the database once, on first use."""

    def __init__(self, watch: RegionWatch | None) -> None:
        self.watch = watch
        self._site_ids: set[int] | None = None

    def kind_for(self, site_id: int, recorded_at) -> str | None:
        """REGION_EVIDENCE for evidence recorded at a watched site since the watch was set, else None."""
        watch = self.watch
        if watch is None or not watch.watches_anything or recorded_at < watch.updated_at:
            return None
        if self._site_ids is None:
            self._site_ids = set(watched_sites(watch).values_list("pk", flat=True))
        return AlertKind.REGION_EVIDENCE if site_id in self._site_ids else None


def watched_sites(watch: RegionWatch):
    """The sites of the watching company's network in its countries or subdivisions, supplying its commodities."""
    sites = Site.objects.filter(pk__in=owned(NetworkSite, Viewer(user=None, organization=watch.company)).values("site_id"))
    if watch.countries or watch.subdivisions:
        sites = sites.filter(country__in=watch.countries) | sites.filter(subdivision__in=watch.subdivisions)
    if watch.commodities:
        sites = sites.filter(commodities__code__in=watch.commodities)
    return sites.distinct()


def path_to_company(company, site_id: int) -> list[int]:
    """The sites of the shortest path from `site_id` down to the company, the site first (empty if none is active)."""
    paths = find_paths(company, site_id, None, limit=1)
    if not paths:
        return []
    return [link.upstream_id for link in paths[0]]
