"""`python manage.py import_file KIND PATH --org ORG [--dry-run]`: import a spreadsheet from the shell.

Runs the same job as an upload through the API (stored, hashed, validated, committed unless --dry-run), in
this process, with a progress bar on stderr. The uploader it names must hold the import's permission
(Permission.IMPORT_DATA), as through the API; without one (an organization with no analyst), the operator is
trusted with the organization's role. Exits with status 1 when the file has problems or sites await
a decision (decide them through the API: importSiteMatchDecide), 0 otherwise.
"""

import os
import sys
import time

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from backend.models import Organization, Role, User
from backend.permissions import Permission
from backend.tenancy import Viewer
from imports.columns import KINDS
from imports.models import Status
from imports.services import jobs

BAR_WIDTH = 30
SHOWN_PROBLEMS = 20


class ProgressBar:
    """`phase [#####-----] 1,200/4,000 rows` on one line of a terminal, redrawn at most ten times a second."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.last = (None, 0.0)

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase == self.last[0] and now - self.last[1] < 0.1 and done < total:
            return
        if phase != self.last[0] and self.last[0] is not None:
            self.stream.write("", ending="\n")
        self.last = (phase, now)
        if total:
            filled = BAR_WIDTH * min(done, total) // total
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            self.stream.write(f"\r{phase:<11} [{bar}] {done:,}/{total:,}", ending="")
        else:
            self.stream.write(f"\r{phase:<11} {done:,}", ending="")
        self.stream.flush()

    def close(self) -> None:
        if self.last[0] is not None:
            self.stream.write("", ending="\n")


class Command(BaseCommand):
    help = "Import an XLSX or CSV file (supply_map, findings or grievances) for an organization."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("path")
        parser.add_argument("--org", required=True, help="Name (or ID) of the organization importing the file.")
        parser.add_argument("--user", help="Username recorded as the uploader (default: an admin of the organization).")
        parser.add_argument("--dry-run", action="store_true", help="Validate and report only; write nothing.")
        parser.add_argument("--sheet", default="", help="Worksheet to read (default: the first data sheet).")

    def handle(self, kind, path, org, user=None, dry_run=False, sheet="", **options):
        organization = self.organization(org)
        viewer = Viewer(user=self.uploader(organization, user), organization=organization)
        if viewer.user is not None and not Permission.IMPORT_DATA.allows(viewer):
            raise CommandError(f"{viewer.user.username} may not import files: an analyst or an admin is needed.")
        if not os.path.isfile(path):
            raise CommandError(f"No file at {path}.")
        with open(path, "rb") as stream:
            upload = File(stream, name=os.path.basename(path))
            try:
                job = jobs.create_job(viewer, kind, upload, commit=not dry_run, sheet=sheet, queue=False)
            except Exception as error:
                raise CommandError(getattr(error, "messages", [str(error)])[0]) from None
        bar = ProgressBar(self.stderr)
        job = jobs.commit(job, bar) if not dry_run else jobs.validate(job, bar)
        bar.close()
        self.report(job)
        if job.status not in (Status.READY, Status.COMMITTED):
            sys.exit(1)

    def organization(self, name: str) -> Organization:
        found = Organization.objects.filter(name=name).first()
        if found is None and name.isdigit():
            found = Organization.objects.filter(pk=int(name)).first()
        if found is None:
            raise CommandError(f"No organization named '{name}'.")
        return found

    def uploader(self, organization: Organization, username: str | None) -> User | None:
        if username:
            user = organization.users.filter(username=username).first()
            if user is None:
                raise CommandError(f"No user '{username}' in {organization.name}.")
            return user
        users = organization.users.exclude(role=Role.VIEWER)
        return users.filter(role=Role.ADMIN).order_by("pk").first() or users.order_by("pk").first()

    def report(self, job) -> None:
        write = self.stdout.write
        write(f"Job {job.pk} ({job.original_name}, sha256 {job.sha256[:12]}…): {job.status}")
        if job.created_count is not None:
            write(f"  rows: {job.created_count} created, {job.updated_count} updated, {job.unchanged_count} unchanged, "
                  f"{job.rejected_count} rejected, {job.summary.get('review', 0)} awaiting review")
            for entity, counts in sorted(job.summary.get("entities", {}).items()):
                write(f"  {entity}: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
        if job.error:
            write(f"  failed: {job.error}")
        problems = list(job.problems.order_by("row", "id")[:SHOWN_PROBLEMS])
        for problem in problems:
            where = f"row {problem.row}" if problem.row else "file"
            column = f", {problem.column}" if problem.column else ""
            write(f"  {problem.severity} {where}{column}: {problem.message} [{problem.code}]")
        more = job.problems.count() - len(problems)
        if more > 0:
            write(f"  … and {more} more problems.")
        for candidate in job.candidates.order_by("row", "-score")[:SHOWN_PROBLEMS]:
            write(f"  review row {candidate.row} {candidate.site_ref} '{candidate.name}' may be site {candidate.site_id} "
                  f"(score {candidate.score:.0f}, {candidate.method}): decide with importSiteMatchDecide")
