"""Entity resolution: which registry site, if any, an uploaded site is.

A site described in an upload is matched, in this order:
1. by the company's own reference: the site already in its network under that `site_ref`, or under any
   reference the company imported it by before (NetworkSiteAlias);
2. by Open Supply Hub ID, exactly;
3. by an earlier decision of the organization about the same normalized row (name, address, country): "same as
   site X", or "a new site", which the commit binds to the site it created (`bind_decisions`), so that the next
   upload of that row goes to that same site;
4. by normalized name + address + country, exactly (score 100), even when the company knows the site under
   another reference: the site then keeps both references (graph/services/network_batch.py);
5. by similarity within the same country (rapidfuzz), among sites sharing a blocking key with it.
Steps 2 to 5 consider only the sites the organization may see (`visible()`): a site hidden from it is never
matched nor offered as a candidate (with its name and address) for review, and an earlier decision for a site
that has become hidden since is not followed, so an upload learns nothing about another organization's sites.

A registry site with another Open Supply Hub ID than the uploaded site's is never a candidate in steps 4 and
5: two OS IDs name two facilities, however alike their names (two gins of one district are often "X Ginning &
Pressing" and "Y Ginning & Pressing").

Steps 1–4 match on their own when they find exactly one site. Several exact matches and every similarity
match above REVIEW_THRESHOLD are never merged silently: they go to the review queue, where a person picks the site
or says "new site"; the answer is remembered (ResolutionDecision), so the same row is not asked again.
Everything else is a new site.

Blocking keeps step 5 fast: a registry site is compared only with uploaded sites of the same country
that share the first three letters of a significant word of the name (blocks larger than MAX_BLOCK are
too common to be informative and are skipped).
"""

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from rapidfuzz import fuzz, process

from backend.tenancy import owned, visible
from graph.models import NetworkSite, NetworkSiteAlias, Site
from graph.services.names import normalize_name, normalize_text
from imports.models import ResolutionDecision

REVIEW_THRESHOLD = 85.0
MAX_CANDIDATES = 5
MAX_BLOCK = 2_000
ADDRESS_WEIGHT = 0.25
STOP_WORDS = frozenset("and de del des do da du et la le les of the y e".split())


@dataclass(frozen=True)
class UploadedSite:
    """A site as an upload describes it (first row that names it)."""

    ref: str
    row: int
    name: str
    address: str
    country: str
    os_id: str | None = None

    @property
    def key(self) -> str:
        return row_key(self.name, self.address, self.country)


@dataclass(frozen=True)
class RegistrySite:
    id: int
    name: str
    address: str
    country: str
    os_id: str | None = None


@dataclass(frozen=True)
class Match:
    site_id: int
    method: str  # network_ref, os_id, decision, exact


@dataclass(frozen=True)
class Candidate:
    site_id: int
    score: float
    method: str  # exact, fuzzy


@dataclass
class Resolution:
    """For each uploaded reference: a match, candidates awaiting review, or nothing (a new site)."""

    matched: dict[str, Match] = field(default_factory=dict)
    ambiguous: dict[str, list[Candidate]] = field(default_factory=dict)
    new: set[str] = field(default_factory=set)


def row_key(name: str, address: str | None, country: str) -> str:
    """The identity of an uploaded row for remembered decisions: SHA-256 of its normalized fields."""
    text = "\x1f".join((normalize_name(name), normalize_text(address), (country or "").upper()))
    return hashlib.sha256(text.encode()).hexdigest()


def derived_ref(name: str, address: str | None, country: str, os_id: str | None = None) -> str:
    """The reference of a site given by a list without references: its Open Supply Hub ID, else its normalized name
    and country with a digest of its normalized name, address and country (the same row of the next list gets the
    same reference)."""
    if os_id:
        return os_id
    return f"{normalize_name(name)[:60]} / {country} / {row_key(name, address, country)[:10]}"


def blocking_keys(name: str) -> set[str]:
    """First three letters of each significant word of a normalized name."""
    return {word[:3] for word in name.split() if len(word) >= 3 and word not in STOP_WORDS}


def similarity(name_a: str, address_a: str, name_b: str, address_b: str) -> float:
    """0–100: name similarity (word order ignored), blended with address similarity when both have one."""
    score = fuzz.token_sort_ratio(name_a, name_b)
    if address_a and address_b:
        score = (1 - ADDRESS_WEIGHT) * score + ADDRESS_WEIGHT * fuzz.token_sort_ratio(address_a, address_b)
    return round(score, 1)


def match_in_registry(uploads: Iterable[UploadedSite], registry: Iterable[RegistrySite]) -> Resolution:
    """Steps 4 and 5 over in-memory data: exact normalized matches, then blocked similarity within a country."""
    uploads = list(uploads)
    countries = {upload.country for upload in uploads}
    exact: dict[tuple, list[int]] = defaultdict(list)
    blocks: dict[tuple[str, str], list[tuple[int, str, str]]] = defaultdict(list)
    os_ids: dict[int, str] = {}
    for site in registry:
        if site.country not in countries:
            continue
        if site.os_id:
            os_ids[site.id] = site.os_id
        name, address = normalize_name(site.name), normalize_text(site.address)
        exact[site.country, name, address].append(site.id)
        for key in blocking_keys(name):
            blocks[site.country, key].append((site.id, name, address))
    resolution = Resolution()
    for upload in uploads:
        name, address = normalize_name(upload.name), normalize_text(upload.address)
        excluded = other_facilities(upload, os_ids)
        same = sorted(site_id for site_id in exact.get((upload.country, name, address), ()) if not excluded(site_id))
        if len(same) == 1:
            resolution.matched[upload.ref] = Match(same[0], "exact")
            continue
        if same:
            resolution.ambiguous[upload.ref] = [Candidate(site_id, 100.0, "exact") for site_id in same[:MAX_CANDIDATES]]
            continue
        candidates = similar_sites(upload.country, name, address, blocks, excluded)
        if candidates:
            resolution.ambiguous[upload.ref] = candidates
        else:
            resolution.new.add(upload.ref)
    return resolution


def other_facilities(upload: UploadedSite, os_ids: dict[int, str]) -> Callable[[int], bool]:
    """Whether a registry site (by ID) has another Open Supply Hub ID than the upload's, given `os_ids` (site ID →
    OS ID): such a site is another facility. Nothing is excluded for an upload without an OS ID."""
    if not upload.os_id:
        return lambda site_id: False
    return lambda site_id: os_ids.get(site_id, upload.os_id) != upload.os_id


def similar_sites(country: str, name: str, address: str, blocks, excluded=lambda site_id: False) -> list[Candidate]:
    """The best registry sites above REVIEW_THRESHOLD that share a blocking key (and are not `excluded`), best first.

    Names are scored in C by rapidfuzz over the whole block at once, keeping only those that could still reach
    the threshold once blended with the address (at best 100); the blend is computed for those few."""
    pool: dict[int, tuple[str, str]] = {}
    for key in blocking_keys(name):
        block = blocks.get((country, key), ())
        if len(block) <= MAX_BLOCK:
            for site_id, other_name, other_address in block:
                if not excluded(site_id):
                    pool[site_id] = (other_name, other_address)
    if not pool:
        return []
    floor = (REVIEW_THRESHOLD - 100 * ADDRESS_WEIGHT) / (1 - ADDRESS_WEIGHT) if address else REVIEW_THRESHOLD
    ids = list(pool)
    hits = process.extract(name, [pool[site_id][0] for site_id in ids], scorer=fuzz.token_sort_ratio,
                           score_cutoff=floor, limit=None)
    scored = []
    for _choice, name_score, index in hits:
        other_name, other_address = pool[ids[index]]
        score = similarity(name, address, other_name, other_address)
        if score >= REVIEW_THRESHOLD:
            scored.append((-score, ids[index]))
    return [Candidate(site_id, -score, "fuzzy") for score, site_id in sorted(scored)[:MAX_CANDIDATES]]


def resolve_sites(uploads: list[UploadedSite], viewer) -> Resolution:
    """Resolve every uploaded site of `viewer`'s organization against its network and the visible registry."""
    resolution = Resolution()
    by_ref = dict(owned(NetworkSite, viewer).filter(internal_ref__isnull=False).values_list("internal_ref", "site_id"))
    by_ref.update(owned(NetworkSiteAlias, viewer).values_list("ref", "site_id"))
    os_ids = {upload.os_id for upload in uploads if upload.os_id}
    by_os_id = dict(visible(Site, viewer).filter(os_id__in=os_ids).values_list("os_id", "id")) if os_ids else {}
    keys = {upload.key: upload for upload in uploads}
    decided = dict(
        visible(ResolutionDecision, viewer).filter(row_key__in=list(keys))
        .filter(Q(site__isnull=True) | Q(site__in=visible(Site, viewer))).values_list("row_key", "site_id")
    )
    remaining = []
    for upload in uploads:
        if upload.ref in by_ref:
            resolution.matched[upload.ref] = Match(by_ref[upload.ref], "network_ref")
        elif upload.os_id and upload.os_id in by_os_id:
            resolution.matched[upload.ref] = Match(by_os_id[upload.os_id], "os_id")
        elif upload.key in decided:
            site_id = decided[upload.key]
            if site_id is None:
                resolution.new.add(upload.ref)
            else:
                resolution.matched[upload.ref] = Match(site_id, "decision")
        else:
            remaining.append(upload)
    if remaining:
        countries = {upload.country for upload in remaining}
        registry = (
            RegistrySite(*values)
            for values in visible(Site, viewer).filter(country__in=countries)
            .values_list("id", "name", "address", "country", "os_id").iterator(chunk_size=5000)
        )
        found = match_in_registry(remaining, registry)
        resolution.matched.update(found.matched)
        resolution.ambiguous.update(found.ambiguous)
        resolution.new |= found.new
    return resolution


def bind_decisions(viewer, new_sites: dict[str, int]) -> None:
    """Bind the organization's "a new site" decisions to the sites the commit created for them (`new_sites`: row
    key → new site ID): the next upload of the same row then goes to that site instead of creating another."""
    pending = list(visible(ResolutionDecision, viewer).filter(site__isnull=True, row_key__in=list(new_sites)))
    for decision in pending:
        decision.site_id = new_sites[decision.row_key]
    ResolutionDecision.objects.bulk_update(pending, ["site"])
