"""How the upload pages word a job: translatable names of kinds, statuses, phases and entities, and where a job
stands among the steps of an upload. Words only: what a status means is decided by imports/services/jobs.py."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from imports.models import ImportJob, Kind, Phase, Status

KIND_NAMES = {
    Kind.SUPPLY_MAP: _("Supply map"),
    Kind.FINDINGS: _("Audit findings"),
    Kind.GRIEVANCES: _("Grievance log"),
}
KIND_HELP = {
    Kind.SUPPLY_MAP: _("Your suppliers, their sites and who supplies whom: one row per site."),
    Kind.FINDINGS: _("The audits you ran and what each found: one row per finding."),
    Kind.GRIEVANCES: _("A hotline's log of grievances: one row per grievance."),
}
STATUS_TEXT = {
    Status.QUEUED: _("Waiting for a worker"),
    Status.VALIDATING: _("Reading and checking the file"),
    Status.REJECTED: _("The file could not be read"),
    Status.INVALID: _("Problems found: fix the file and upload it again"),
    Status.NEEDS_REVIEW: _("Some sites need your decision before committing"),
    Status.READY: _("Checked: ready to commit"),
    Status.COMMITTING: _("Writing"),
    Status.COMMITTED: _("Committed"),
    Status.FAILED: _("Failed unexpectedly: nothing was written, you can try again"),
}
STATUS_BADGE = {  # the colour of a status's badge, in the bands' palette
    Status.REJECTED: "band-severe", Status.INVALID: "band-high", Status.FAILED: "band-severe",
    Status.NEEDS_REVIEW: "band-medium", Status.READY: "band-low", Status.COMMITTED: "band-low",
}
PHASE_TEXT = {
    Phase.QUEUED: _("Waiting for a worker"),
    Phase.READING: _("Reading the file"),
    Phase.VALIDATING: _("Checking every row"),
    Phase.RESOLVING: _("Matching sites with the registry"),
    Phase.PLANNING: _("Comparing with what is stored"),
    Phase.WRITING: _("Writing"),
    Phase.DONE: _("Done"),
}
ENTITY_NAMES = {
    "sites": _("Sites"), "suppliers": _("Suppliers"), "links": _("Supply links"), "audits": _("Audits"),
    "findings": _("Findings"), "grievances": _("Grievances"),
}
RUNNING = (Status.QUEUED, Status.VALIDATING, Status.COMMITTING)


@dataclass(frozen=True)
class Step:
    """One step of an upload as the step indicator shows it."""

    label: str
    done: bool
    current: bool


def steps(job: ImportJob | None, choosing: bool = False) -> list[Step]:
    """Choose, upload, check, review, commit: the steps done and the current one, for a job (None: before the
    upload; `choosing`: on the page choosing the kind)."""
    labels = [_("Choose the kind"), _("Upload"), _("Check"), _("Review"), _("Commit")]
    if job is None:
        current = 0 if choosing else 1
    elif job.status == Status.COMMITTED:
        current = len(labels)
    elif job.status in (Status.READY, Status.COMMITTING) or (
            job.commit_requested and job.status in (Status.QUEUED, Status.FAILED)):
        current = 4
    elif job.status == Status.NEEDS_REVIEW:
        current = 3
    else:
        current = 2
    return [Step(str(label), index < current, index == current) for index, label in enumerate(labels)]


def entity_rows(job: ImportJob) -> list[dict]:
    """The dry run's (or the commit's) counts by kind of object, named for people."""
    entities = (job.summary or {}).get("entities", {})
    return [{"name": ENTITY_NAMES.get(name, name), **counts} for name, counts in sorted(entities.items())]


def progress_state(job: ImportJob, state: dict) -> dict:
    """What the progress endpoint answers and the job page shows while a job runs: `state` is
    imports/services/progress.current(job); percent = done / total × 100 (None while the total is unknown)."""
    percent = round(100 * state["done"] / state["total"]) if state["total"] else None
    return {
        "status": job.status, "statusText": str(STATUS_TEXT[job.status]), "phase": state["phase"],
        "phaseText": str(PHASE_TEXT.get(state["phase"], state["phase"])), "done": state["done"],
        "total": state["total"], "percent": percent, "running": job.status in RUNNING,
    }
