"""`python manage.py import_file KIND PATH --org ORG [--dry-run]`: import a spreadsheet from the shell.

Runs the same job as an upload through the API (stored, hashed, validated, committed unless --dry-run), in
this process, with a progress bar on stderr. The uploader it names must hold the import's permission
(Permission.IMPORT_DATA), as through the API; without one (an organization with no analyst), the operator is
trusted with the organization's role. Exits with status 1 when the file has problems (rows held back included) or sites await
a decision, 0 otherwise.

`--mapping FILE.json` says how the file's headers map to the kind's columns ({"columns": {header: key or null},
"build": {key: [header, …]}}, imports/mapping.py's `user_mapping_of`); `--preset oshub` is the mapping of an Open
Supply Hub facility list (imports/presets/oshub.json). Sites awaiting review can be decided in the same command:
`--accept-exact` (every candidate scored 100), `--accept-above SCORE`, `--decisions FILE.csv` (site_ref,site_id
rows; site_id "new" for a new site), or later through the API (importSiteMatchDecide, importSiteMatchDecideAll).
"""

import json
import os
import sys
import time
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from backend.models import Organization, Role, User
from backend.permissions import Permission
from backend.tenancy import Viewer
from imports.columns import KINDS
from imports.models import Status
from imports.services import jobs, review

BAR_WIDTH = 30
SHOWN_PROBLEMS = 20
PRESETS = {path.stem: path for path in (Path(__file__).resolve().parents[2] / "presets").glob("*.json")}


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
        parser.add_argument("--mapping", help="JSON file mapping the file's headers to columns (see above).")
        parser.add_argument("--preset", choices=sorted(PRESETS), help="A shipped mapping: oshub (Open Supply Hub).")
        parser.add_argument("--accept-exact", action="store_true",
                            help="Answer every site awaiting review whose best candidate scores 100 with it.")
        parser.add_argument("--accept-above", type=float, metavar="SCORE",
                            help="Answer every site awaiting review whose best candidate scores SCORE or more.")
        parser.add_argument("--decisions", metavar="FILE.csv", help="Review decisions: site_ref,site_id rows.")

    def handle(self, kind, path, org, user=None, dry_run=False, sheet="", mapping=None, preset=None, **options):
        organization = self.organization(org)
        viewer = Viewer(user=self.uploader(organization, user), organization=organization)
        if viewer.user is not None and not Permission.IMPORT_DATA.allows(viewer):
            raise CommandError(f"{viewer.user.username} may not import files: an analyst or an admin is needed.")
        if not os.path.isfile(path):
            raise CommandError(f"No file at {path}.")
        column_mapping = self.column_mapping(mapping, preset)
        with open(path, "rb") as stream:
            upload = File(stream, name=os.path.basename(path))
            try:
                job = jobs.create_job(viewer, kind, upload, commit=not dry_run, sheet=sheet, mapping=column_mapping,
                                      queue=False)
            except Exception as error:
                raise CommandError(getattr(error, "messages", [str(error)])[0]) from None
        job = self.run(job, dry_run)
        if job.status == Status.NEEDS_REVIEW and self.decide(viewer, job, options):
            job.refresh_from_db()
            job = self.run(job, dry_run)
        self.report(job)
        if job.status not in (Status.READY, Status.COMMITTED) or job.rejected_count:
            sys.exit(1)  # rows held back (an unknown country) are problems too, though the rest was imported

    def run(self, job, dry_run: bool):
        bar = ProgressBar(self.stderr)
        job = jobs.commit(job, bar) if not dry_run else jobs.validate(job, bar)
        bar.close()
        return job

    def column_mapping(self, path: str | None, preset: str | None) -> dict:
        if path and preset:
            raise CommandError("Give --mapping or --preset, not both.")
        chosen = PRESETS[preset] if preset else path
        if not chosen:
            return {}
        try:
            return json.loads(Path(chosen).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"The mapping {chosen} could not be read: {error}") from None

    def decide(self, viewer, job, options) -> int:
        """Answer the job's questions as the options say; how many were answered."""
        decisions = []
        if options.get("decisions"):
            try:
                text = Path(options["decisions"]).read_text(encoding="utf-8-sig")
            except OSError as error:
                raise CommandError(f"The decisions {options['decisions']} could not be read: {error}") from None
            decisions += review.read_decisions(text)
        threshold = 100.0 if options.get("accept_exact") else options.get("accept_above")
        if threshold is not None:
            given = {decision.site_ref for decision in decisions}
            decisions += [d for d in review.best_candidates(job, threshold) if d.site_ref not in given]
        if not decisions:
            return 0
        try:
            count = review.decide_all(viewer, job, decisions)
        except Exception as error:
            raise CommandError(getattr(error, "messages", [str(error)])[0]) from None
        self.stdout.write(f"  {count} review decisions given")
        return count

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
                  f"(score {candidate.score:.0f}, {candidate.method}): decide with --decisions or importSiteMatchDecide")
