"""Loading the demo: organizations and users, then each company's supply map through the import pipeline, once.

The networks come from the files shipped in backend/demo/data/ (backend/demo/files.py), imported as the company's
admin the way `python manage.py import_file` does: stored, validated, resolved against the registry and
committed by imports/services/jobs.py. Facilities that both companies map carry an Open Supply Hub ID, so
Harbor's rows about them resolve to the registry entries Northwind's import created. A file that does not import
cleanly (any problem, even a warning, or a site awaiting review) raises DemoImportFailed, and since everything
runs in one transaction nothing of the demo is left behind.
"""

from pathlib import Path

from django.core.files import File
from django.db import transaction

from backend.demo.files import DEMO_DIR, DEMO_FILES
from backend.models import Organization, OrganizationKind, Role, User
from backend.tenancy import Viewer
from imports.models import ImportJob, Kind, Status
from imports.services import jobs

ORGANIZATIONS = {
    "northwind": ("Northwind Apparel", OrganizationKind.COMPANY, "DE"),
    "harbor": ("Harbor Retail Group", OrganizationKind.COMPANY, "GB"),
    "clearwater": ("Clearwater Social Audits", OrganizationKind.AUDIT_FIRM, "NL"),
    "voice": ("Workers' Voice Network", OrganizationKind.WORKERS_ORG, "BD"),
}
DEMO_PASSWORD = "tributary-demo"
SHOWN_PROBLEMS = 5


class DemoImportFailed(Exception):
    """A shipped demo file did not import cleanly; the message names the file and its first problems."""


def demo_loaded() -> bool:
    return Organization.objects.filter(name=ORGANIZATIONS["northwind"][0]).exists()


@transaction.atomic
def load_demo(directory: Path = DEMO_DIR) -> dict[str, Organization]:
    """Create the demo once, importing the supply maps found in `directory`; a second call changes nothing."""
    if demo_loaded():
        return {key: Organization.objects.get(name=name) for key, (name, *_rest) in ORGANIZATIONS.items()}
    orgs = create_organizations()
    imported = []
    for company, filename in DEMO_FILES.items():
        job = import_supply_map(orgs[company], directory / filename)
        imported.append(job)
        if job.status != Status.COMMITTED or job.problems.exists():
            report = failure_report(directory / filename, job)
            for stored in imported:
                stored.file.delete(save=False)  # the transaction rolls the jobs back; their stored uploads go too
            raise DemoImportFailed(report)
    return orgs


def create_organizations() -> dict[str, Organization]:
    """Each organization with an admin, an analyst and a viewer (`<key>-<role>`, password DEMO_PASSWORD)."""
    orgs = {}
    for key, (name, kind, country) in ORGANIZATIONS.items():
        orgs[key] = Organization.objects.create(name=name, kind=kind, country=country)
        for role in Role:
            user = User(username=f"{key}-{role.value}", organization=orgs[key], role=role.value,
                        email=f"{key}-{role.value}@example.org")
            user.set_password(DEMO_PASSWORD)
            user.save()
    return orgs


def import_supply_map(company: Organization, path: Path) -> ImportJob:
    """Upload and commit one supply map as the company's admin, in this process (no worker needed)."""
    admin = Viewer(user=company.users.get(role=Role.ADMIN), organization=company)
    with path.open("rb") as stream:
        job = jobs.create_job(admin, Kind.SUPPLY_MAP, File(stream, name=path.name), commit=True, queue=False)
    return jobs.commit(job)


def failure_report(path: Path, job: ImportJob) -> str:
    """`path`, the job's status and error, its first problems and its first sites awaiting review."""
    lines = [f"{path} did not import cleanly: the import job ended {job.status}."]
    if job.error:
        lines.append(f"  {job.error}")
    for problem in job.problems.order_by("row", "id")[:SHOWN_PROBLEMS]:
        where = f"row {problem.row}" + (f", {problem.column}" if problem.column else "") if problem.row else "file"
        lines.append(f"  {problem.severity} {where}: {problem.message} [{problem.code}]")
    for candidate in job.candidates.order_by("row", "-score")[:SHOWN_PROBLEMS]:
        lines.append(f"  awaiting review, row {candidate.row}: {candidate.site_ref} '{candidate.name}' may be registry "
                     f"site {candidate.site_id} ({candidate.method}, score {candidate.score:.0f})")
    return "\n".join(lines)
