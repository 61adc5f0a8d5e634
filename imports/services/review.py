"""Answering a job's review questions in bulk: every exact match, every match at or above a score, or a list of
decisions (a CSV of `site_ref,site_id`, where site_id is a candidate's ID or "new").

Each answer is the one `jobs.decide` gives a single question (remembered for the organization, the job validated
again once no question is left); a bulk answer never picks between candidates of equal standing: a reference whose
two best candidates are tied is left for a person.
"""

import csv
import io
from dataclasses import dataclass
from itertools import groupby

from django.db import transaction

from backend.errors import field_error
from backend.tenancy import Viewer
from imports.models import ImportJob, ResolutionCandidate
from imports.services import jobs
from imports.services.site_refs import site_id_of_global

NEW_SITE = "new"


@dataclass(frozen=True)
class Decision:
    """The answer for one uploaded site reference: a candidate's site ID, or None for a new site."""

    site_ref: str
    site_id: int | None


def best_candidates(job: ImportJob, min_score: float) -> list[Decision]:
    """For each reference awaiting review, its best candidate when it scores at least `min_score` and no other
    candidate of that reference scores as much."""
    decisions = []
    ordered = job.candidates.order_by("site_ref", "-score", "id")
    for site_ref, group in groupby(ordered, key=lambda candidate: candidate.site_ref):
        best, *others = list(group)
        if best.score >= min_score and not (others and others[0].score == best.score):
            decisions.append(Decision(site_ref, best.site_id))
    return decisions


def read_decisions(text: str) -> list[Decision]:
    """Decisions from CSV text: a header naming `site_ref` and `site_id` columns, then one row per reference;
    site_id is the candidate's ID (numeric or its Tributary ID) or "new". A bad row is refused with its number."""
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"site_ref", "site_id"} <= {name.strip() for name in reader.fieldnames}:
        raise field_error("decisions", "The decisions need a header with the columns site_ref and site_id.", "invalid")
    decisions = []
    for number, row in enumerate(reader, 2):
        values = {name.strip(): (value or "").strip() for name, value in row.items() if name}
        site_ref, given = values["site_ref"], values["site_id"]
        if not site_ref or not given:
            raise field_error("decisions", f"Row {number}: give both site_ref and site_id (or \"new\").", "invalid")
        if given.lower() == NEW_SITE:
            decisions.append(Decision(site_ref, None))
            continue
        site_id = int(given) if given.isdigit() else site_id_of_global(given)
        if site_id is None:
            raise field_error("decisions", f"Row {number}: '{given}' is neither a site ID nor \"new\".", "invalid")
        decisions.append(Decision(site_ref, site_id))
    return decisions


def decide_all(viewer: Viewer, job: ImportJob, decisions: list[Decision]) -> int:
    """Give each decision (each must answer a question of the job, with one of its candidates); how many were
    given. All are checked before any is remembered."""
    waiting = {}
    for candidate in ResolutionCandidate.objects.filter(job=job):
        waiting.setdefault(candidate.site_ref, set()).add(candidate.site_id)
    for decision in decisions:
        if decision.site_ref not in waiting:
            raise field_error("site_ref", f"No site '{decision.site_ref}' of this job is waiting for a decision.",
                              "not_found")
        if decision.site_id is not None and decision.site_id not in waiting[decision.site_ref]:
            raise field_error("site_id", f"Site {decision.site_id} is not a candidate for '{decision.site_ref}'.",
                              "not_a_candidate")
    with transaction.atomic():
        for decision in decisions:
            jobs.decide(viewer, job, decision.site_ref, decision.site_id)
    return len(decisions)
