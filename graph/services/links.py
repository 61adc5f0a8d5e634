"""Creating, editing and deleting a company's supply links, with the checks a supply map needs."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from backend.errors import field_error
from backend.tenancy import Viewer, owned
from graph import validation
from graph.models import EvidenceLevel, NetworkSite, SupplyLink
from graph.services.risk_jobs import schedule_recompute
from graph.services.tiers import refresh_tiers

LINK_FIELDS = (
    "upstream", "downstream", "commodity", "share", "volume", "volume_unit",
    "valid_from", "valid_to", "evidence_level", "external_ref",
)


def clean_link(viewer: Viewer, data: dict, current: SupplyLink | None = None) -> dict:
    """Validate a link's attributes against the rules of a supply map (no self-loop, share in [0, 1], …)."""
    merged = {key: getattr(current, key) for key in LINK_FIELDS} if current else {}
    merged.update(data)
    upstream, downstream = merged.get("upstream"), merged.get("downstream")
    if upstream is not None and downstream is not None and upstream.pk == downstream.pk:
        raise field_error("downstream_id", "A site cannot supply itself: upstream and downstream are the same site.", "self_loop")
    validation.unit_interval(merged.get("share"), "share")
    validation.non_negative(merged.get("volume"), "volume")
    validation.date_range(merged.get("valid_from"), merged.get("valid_to"))
    if merged.get("evidence_level") not in EvidenceLevel.values:
        raise field_error("evidence_level", f"'{merged.get('evidence_level')}' is not an evidence level.", "invalid")
    if merged.get("share") is not None:
        check_share_total(viewer, merged, current)
    for site in (upstream, downstream):
        if site is not None:
            NetworkSite.objects.get_or_create(company=viewer.organization, site=site)
    merged["external_ref"] = (merged.get("external_ref") or "").strip() or None
    if merged["external_ref"]:
        clash = owned(SupplyLink, viewer).filter(external_ref=merged["external_ref"])
        if current is not None:
            clash = clash.exclude(pk=current.pk)
        if clash.exists():
            raise field_error("external_ref", f"Your reference '{merged['external_ref']}' is already used by another link.", "unique")
    return merged


@dataclass(frozen=True)
class ShareClaim:
    """Row `index` gives its link `share` of the `commodity` that `downstream` (a site, its ID or a placeholder for
    a site still to be added; None for the company itself) takes in."""

    index: int
    downstream: object
    commodity: object
    share: Decimal


@dataclass(frozen=True)
class StoredShare:
    """A stored link's share, which the claims leave as it is, of what `downstream` takes in of `commodity`."""

    downstream: object
    commodity: object
    share: Decimal


@dataclass(frozen=True)
class ShareExcess:
    """The claims on one downstream node's input of one commodity that, with `others` (the stored shares they
    leave as they are), add up to `total` > 1."""

    downstream: object
    commodity: object
    total: Decimal
    others: Decimal
    claims: list[ShareClaim]


def over_full_shares(claims: Iterable[ShareClaim], stored: Iterable[StoredShare]) -> list[ShareExcess]:
    """The rule of shares, for a batch: the shares of one downstream node's input of one commodity may not add up
    to more than 1. Groups the claims by (downstream, commodity), in the order of their first claim."""
    groups: dict[tuple, list[ShareClaim]] = {}
    for claim in claims:
        groups.setdefault((claim.downstream, claim.commodity), []).append(claim)
    others: dict[tuple, Decimal] = {}
    for share in stored:
        key = (share.downstream, share.commodity)
        if key in groups:
            others[key] = others.get(key, Decimal(0)) + share.share
    excesses = []
    for (downstream, commodity), members in groups.items():
        stored_total = others.get((downstream, commodity), Decimal(0))
        total = sum(claim.share for claim in members) + stored_total
        if total > 1:
            excesses.append(ShareExcess(downstream, commodity, total, stored_total, members))
    return excesses


def check_share_total(viewer: Viewer, link: dict, current: SupplyLink | None) -> None:
    """`over_full_shares` for one link: the other links of its downstream node and commodity are summed by the
    database."""
    downstream, commodity = link.get("downstream"), link["commodity"]
    siblings = owned(SupplyLink, viewer).filter(downstream=downstream, commodity=commodity)
    if current is not None:
        siblings = siblings.exclude(pk=current.pk)
    others = siblings.aggregate(total=Sum("share"))["total"] or Decimal(0)
    claim = ShareClaim(0, downstream, commodity, Decimal(str(link["share"])))
    for excess in over_full_shares([claim], [StoredShare(downstream, commodity, others)]):
        target = downstream.name if downstream else "your company"
        raise field_error(
            "share",
            f"The shares of {target}'s {commodity.name} input would add up to {excess.total:.4f}; they cannot exceed 1 "
            f"(the other links already carry {excess.others:.4f}).",
            "out_of_range",
        )


def create_link(viewer: Viewer, data: dict) -> SupplyLink:
    cleaned = clean_link(viewer, data)
    link = SupplyLink.objects.create(company=viewer.organization, **{k: cleaned.get(k) for k in LINK_FIELDS if k in cleaned})
    network_changed(viewer)
    return link


def network_changed(viewer: Viewer) -> None:
    """Links changed: tiers now, and a (debounced) full risk recomputation after commit."""
    refresh_tiers(viewer.organization)
    schedule_recompute(company_ids=[viewer.organization.pk])


def update_link(viewer: Viewer, link: SupplyLink, data: dict) -> SupplyLink:
    cleaned = clean_link(viewer, data, current=link)
    for key in LINK_FIELDS:
        setattr(link, key, cleaned.get(key))
    link.save()
    network_changed(viewer)
    return link


def delete_link(viewer: Viewer, link: SupplyLink) -> None:
    link.delete()
    network_changed(viewer)
