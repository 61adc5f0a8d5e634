"""Grievance intake for workers' organizations: a filing is written in steps (the site as the filer knows it, what
happened, a review), then sent; the server finds the site and files the grievance, routed to the companies whose
networks hold it, without the filer ever learning which site or companies that is.

Finding the site. A workers' organization often knows a factory only by its name and address, and cannot see the
sites companies keep private. So, unlike every read on a viewer's behalf, the match runs over every registry site
(`Site.objects`, not `visible()`): it is the system delivering the grievance, and nothing of what it reads goes
back to the filer. In order:
1. the site the filer picked among the suggestions (sites visible to them: `visible()`), when they picked one;
2. the Open Supply Hub ID, exactly;
3. by similarity (imports/services/resolution.py `similarity`: names without legal forms, word order ignored,
   blended with the address) among the sites whose name shares a significant word with the given name, in the
   given country when there is one. A match by similarity needs the country or the address (a name alone names
   factories the world over), a score of at least MATCH_THRESHOLD (higher than an import's review threshold: no
   person reviews this match), and a lead of MATCH_MARGIN over the next site: two sites as alike as that are two
   candidates, and the grievance waits rather than reach the wrong companies.
A filing that finds no site waits (FilingState.WAITING) and is matched again, by the same rules, when sites join a
company's network (graph's `network_sites_joined`, handed off durably through the outbox to
audits.tasks.match_waiting_filings).

Filing the grievance goes through the grievance batch (audits/services/grievances_batch.py), which states the
rules of a grievance and routes it at filing; the filer's suggestion decision is recorded as the API records it.
The filer sees the filing only: its reference, its status and its deadlines, by their own organization's clock.
"""

import secrets
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audits.crypto import decrypt_json, encrypt_json
from audits.models import Channel, ClockStage, FilingState, GrievanceFiling, GrievanceState
from audits.services import common
from audits.services.clocks import clock_of, received_day, stage_of
from audits.services.grievances import clean_reporter
from audits.services.grievances_batch import GRIEVANCE_TEXT_LIMITS, GrievanceRow, Reporter, plan_grievances
from audits.services.suggestions import Suggested, record_decision, suggest_for_description
from audits.taxonomy import Category
from backend.db.writer import Writer
from backend.dispatch import send
from backend.errors import field_error
from backend.tenancy import Viewer, owned, visible
from graph.countries import country_code_of, unknown_country_message
from graph.models import Site
from graph.services.names import normalize_name, normalize_text
from imports.services.resolution import STOP_WORDS, similarity

MATCH_THRESHOLD = 90.0
MATCH_MARGIN = 3.0
SUGGESTION_THRESHOLD = 60.0  # a public site shown to the filer only needs to look like what they typed
MAX_SITE_SUGGESTIONS = 5
MAX_POOL = 20_000  # a name whose words are in more sites than this cannot single one out
MAX_NAME_WORDS = 4
SITE_TEXT_LIMITS = {"site_name": 300, "site_address": 500, "site_os_id": 15}
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread over the phone
REFERENCE_LENGTH = 8


@dataclass(frozen=True)
class SiteDescription:
    """The site as the filer described it; every part may be blank but the name or the OS ID."""

    name: str = ""
    address: str = ""
    country: str = ""
    os_id: str = ""

    @classmethod
    def of(cls, filing: GrievanceFiling) -> "SiteDescription":
        return cls(filing.site_name, filing.site_address, filing.site_country, filing.site_os_id)


@dataclass(frozen=True)
class SiteSuggestion:
    """A site visible to the filer that looks like their description, for them to pick."""

    site_id: int
    name: str
    address: str
    country: str
    os_id: str | None


@dataclass(frozen=True)
class FilingStatus:
    """What the filer follows: the grievance's state as they may know it and the deadlines by their clock."""

    reference: str
    state: str  # a GrievanceState value; RECEIVED while the site is being found, so that nothing tells matched from not
    sent_on: object
    acknowledge_due_on: object
    conclude_due_on: object
    is_overdue: bool


def new_reference() -> str:
    """A case reference like "G-7KQM-X3TA": 40 random bits, readable aloud."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"G-{chars[:4]}-{chars[4:]}"


def clean_site(data: dict) -> SiteDescription:
    """The site step's fields: the name or the OS ID is needed; the country is read as people write it."""
    values = {field: common.text(data.get(field), field, limit, required=False)
              for field, limit in SITE_TEXT_LIMITS.items()}
    if not values["site_name"] and not values["site_os_id"]:
        raise field_error("site_name", "Give the site's name (or its Open Supply Hub ID).", "required")
    country = (data.get("site_country") or "").strip()
    code = country_code_of(country) if country else ""
    if code is None:
        raise field_error("site_country", unknown_country_message(country), "invalid")
    return SiteDescription(values["site_name"], values["site_address"], code, values["site_os_id"].upper())


def start_filing(viewer: Viewer, data: dict) -> GrievanceFiling:
    """A new draft, from the site step."""
    site = clean_site(data)
    return GrievanceFiling.objects.create(
        reference=new_reference(), filed_by=viewer.organization, created_by=viewer.user, site_name=site.name,
        site_address=site.address, site_country=site.country, site_os_id=site.os_id)


def draft_of(viewer: Viewer, reference: str) -> GrievanceFiling | None:
    """The organization's draft of that reference, or None (another organization's is none too)."""
    return owned(GrievanceFiling, viewer).filter(reference=reference, state=FilingState.DRAFT).first()


def filing_of(viewer: Viewer, reference: str) -> GrievanceFiling | None:
    return visible(GrievanceFiling, viewer).filter(reference=reference).select_related("grievance").first()


def filings_of(viewer: Viewer):
    """The organization's sent filings, newest first."""
    return visible(GrievanceFiling, viewer).exclude(state=FilingState.DRAFT).select_related("grievance")


def describe_site(filing: GrievanceFiling, data: dict) -> GrievanceFiling:
    site = clean_site(data)
    filing.site_name, filing.site_address, filing.site_country, filing.site_os_id = (
        site.name, site.address, site.country, site.os_id)
    filing.save()
    return filing


def describe_events(filing: GrievanceFiling, data: dict) -> GrievanceFiling:
    """The "what happened" step: the facts as the grievance batch will check them, the category optional until
    the review (where suggestions help choose it), the reporter encrypted at once."""
    common.require(data, "channel", "description")
    filing.channel = common.choice(data["channel"], "channel", Channel)
    filing.category = common.choice(data["category"], "category", Category) if data.get("category") else ""
    filing.description = common.text(data["description"], "description", GRIEVANCE_TEXT_LIMITS["description"])
    filing.events_on = common.not_in_future(data.get("events_on"), "events_on")
    filing.workers_affected = common.non_negative(data.get("workers_affected"), "workers_affected")
    filing.children_involved = bool(data.get("children_involved"))
    identity = clean_reporter(data.get("reporter")).identity()
    filing.reporter_ciphertext = encrypt_json(identity) if identity else ""
    filing.save()
    return filing


def reporter_of_filing(filing: GrievanceFiling) -> Reporter:
    """The reporter, decrypted for the filing organization's own review step."""
    return Reporter(**decrypt_json(filing.reporter_ciphertext))


def category_suggestions(filing: GrievanceFiling) -> Suggested:
    return suggest_for_description(filing.description)


def name_words(name: str) -> list[str]:
    """The significant words of a normalized name, longest first (the rarest, as a rule)."""
    words = {word for word in name.split() if len(word) >= 4 and word not in STOP_WORDS}
    return sorted(words, key=lambda word: (-len(word), word))[:MAX_NAME_WORDS]


def scored_sites(sites, description: SiteDescription) -> list[tuple[float, SiteSuggestion]]:
    """Sites of `sites` (a queryset) sharing a significant word with the description's name, scored, best first;
    none when that is more than MAX_POOL sites."""
    name, address = normalize_name(description.name), normalize_text(description.address)
    words = name_words(name)
    if not words:
        return []
    if description.country:
        sites = sites.filter(country=description.country)
    pool = list(sites.filter(reduce(or_, (Q(name__icontains=word) for word in words)))
                .values_list("id", "name", "address", "country", "os_id")[:MAX_POOL + 1])
    if len(pool) > MAX_POOL:
        return []
    scored = []
    for site_id, site_name, site_address, country, os_id in pool:
        if description.os_id and os_id and os_id != description.os_id:
            continue  # two OS IDs name two facilities, however alike their names
        score = similarity(name, address, normalize_name(site_name), normalize_text(site_address))
        scored.append((score, SiteSuggestion(site_id, site_name, site_address, country, os_id)))
    return sorted(scored, key=lambda pair: (-pair[0], pair[1].site_id))


def site_suggestions(viewer: Viewer, filing: GrievanceFiling) -> list[SiteSuggestion]:
    """Sites visible to the filer (public registry sites, those they registered or were granted) that look like
    their description, best first: what they may pick on the review step."""
    description = SiteDescription.of(filing)
    found = []
    if description.os_id:
        found = [SiteSuggestion(*values) for values in visible(Site, viewer).filter(os_id=description.os_id)
                 .values_list("id", "name", "address", "country", "os_id")]
    scored = scored_sites(visible(Site, viewer), description) if description.name else []
    found += [site for score, site in scored if score >= SUGGESTION_THRESHOLD and site not in found]
    return found[:MAX_SITE_SUGGESTIONS]


def match_site(description: SiteDescription) -> int | None:
    """The registry site the description names, by the rules of the module's docstring, or None."""
    if description.os_id:
        by_os_id = Site.objects.filter(os_id=description.os_id).values_list("id", flat=True).first()
        if by_os_id is not None:
            return by_os_id
    if not description.name or not (description.country or description.address):
        return None
    scored = scored_sites(Site.objects.all(), description)
    if not scored or scored[0][0] < MATCH_THRESHOLD:
        return None
    if len(scored) > 1 and scored[0][0] - scored[1][0] < MATCH_MARGIN:
        return None
    return scored[0][1].site_id


def send_filing(viewer: Viewer, filing: GrievanceFiling, data: dict) -> GrievanceFiling:
    """The review step's "send": the category confirmed, the picked site (if any) checked visible, then the
    grievance filed about the site found, or the filing kept waiting for it."""
    category = common.choice(data.get("category"), "category", Category)
    chosen = data.get("chosen_site")
    chosen_site = None
    if chosen:
        chosen_site = visible(Site, viewer).filter(pk=chosen).first() if str(chosen).isdigit() else None
        if chosen_site is None:
            raise field_error("chosen_site", f"No site {chosen!r} is among the sites you can see.", "not_found")
    suggested = [category for category in data.get("suggested") or () if category in Category.values]
    with transaction.atomic():
        filing = GrievanceFiling.objects.select_for_update().get(pk=filing.pk)
        if filing.state != FilingState.DRAFT:
            raise field_error(None, f"Grievance {filing.reference} has been sent already.", "invalid")
        if not filing.description or not filing.channel:
            raise field_error("description", "Say what happened before sending.", "required")
        filing.category, filing.chosen_site, filing.suggested = category, chosen_site, suggested
        filing.state, filing.sent_at = FilingState.WAITING, timezone.now()
        site_id = chosen_site.pk if chosen_site else match_site(SiteDescription.of(filing))
        if site_id is not None:
            file_grievance_of(viewer, filing, site_id)
        filing.save()
    return filing


def file_grievance_of(viewer: Viewer, filing: GrievanceFiling, site_id: int) -> None:
    """File the filing's grievance about `site_id` through the grievance batch (which routes it); the reporter's
    ciphertext then lives on the grievance alone. The caller saves the filing, in its transaction."""
    row = GrievanceRow(
        index=0, site_id=site_id, channel=filing.channel, category=filing.category, description=filing.description,
        events_on=filing.events_on, workers_affected=filing.workers_affected,
        children_involved=filing.children_involved, received_on=None, reporter=reporter_of_filing(filing))
    batch = plan_grievances(viewer, [row])
    batch.result.raise_refused()
    [grievance_id] = batch.write(Writer())
    filing.grievance_id, filing.state, filing.reporter_ciphertext = grievance_id, FilingState.FILED, ""
    if filing.suggested:
        record_decision(viewer, filing.grievance, filing.suggested)


def match_waiting_filings(site_ids: list[int]) -> int:
    """Match again the waiting filings that may name one of `site_ids` (sites that just joined a network): those
    sharing a significant name word with one of them, or their OS ID; the full match decides, as at sending.
    Idempotent (a filed filing is no longer waiting). Returns how many were filed."""
    sites = Site.objects.filter(pk__in=site_ids).values_list("name", "os_id")
    words, os_ids = set(), set()
    for name, os_id in sites.iterator(chunk_size=5000):
        words.update(normalize_name(name).split())
        if os_id:
            os_ids.add(os_id)
    filed = 0
    waiting = GrievanceFiling.objects.filter(state=FilingState.WAITING).values_list("pk", flat=True)
    for pk in list(waiting):
        with transaction.atomic():
            filing = (GrievanceFiling.objects.select_for_update(skip_locked=True, of=("self",))
                      .filter(pk=pk, state=FilingState.WAITING).select_related("filed_by", "created_by").first())
            description = SiteDescription.of(filing) if filing else None
            if description is None or not (description.os_id in os_ids
                                           or set(name_words(normalize_name(description.name))) & words):
                continue
            site_id = match_site(description)
            if site_id is not None:
                file_grievance_of(Viewer(user=filing.created_by, organization=filing.filed_by), filing, site_id)
                filing.save()
                filed += 1
    return filed


def rematch_after_join(sender, site_ids, **kwargs) -> None:
    """graph's `network_sites_joined`, inside the network write's transaction: when filings wait, hand the new
    sites to audits.tasks.match_waiting_filings through the outbox (stored with the write, run after it)."""
    if site_ids and GrievanceFiling.objects.filter(state=FilingState.WAITING).exists():
        send("audits.tasks.match_waiting_filings", sorted(set(site_ids)))


def status_of(viewer: Viewer, filing: GrievanceFiling) -> FilingStatus:
    """The filing's state as the filer may know it and its deadlines by their organization's clock, counted from
    the day it was sent (the grievance is received that day)."""
    grievance = filing.grievance
    state = grievance.state if grievance else GrievanceState.RECEIVED
    sent_on = received_day(grievance.received_at if grievance else filing.sent_at)
    clock = clock_of(viewer)
    stage = stage_of(state)
    return FilingStatus(
        reference=filing.reference, state=state, sent_on=sent_on,
        acknowledge_due_on=clock.deadline(sent_on, ClockStage.ACKNOWLEDGE),
        conclude_due_on=clock.deadline(sent_on, ClockStage.CONCLUDE),
        is_overdue=stage is not None and clock.deadline(sent_on, stage) < timezone.localdate(),
    )
