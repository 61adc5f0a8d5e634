"""importFileUpload, importJobCommit, importSiteMatchDecide."""

import graphene

from backend.graphql.errors import error_type
from backend.graphql.ids import decode_id, get_visible
from backend.graphql.mutations import BaseMutation
from backend.graphql.uploads import Upload
from backend.permissions import Permission
from imports.graphql.enums import ImportErrorCode, ImportKindEnum
from imports.graphql.types import ImportJobType
from imports.models import ImportJob, Kind
from imports.reading import Limits
from imports.services import jobs, review
from imports.services.kinds import IMPORT_KINDS

ImportError_ = error_type("ImportError", ImportErrorCode, "imports")


class ImportColumnMappingInput(graphene.InputObjectType):
    """Read one header of the file as a given column (or not at all)."""

    header = graphene.String(required=True, description="The header as written in the file (case, accents and punctuation ignored).")
    column = graphene.String(description="Key of the column it holds (see importKinds); null: ignore this column.")


def upload_description() -> str:
    rows = {kind: f"{importer.limits.max_rows:,}" for kind, importer in IMPORT_KINDS.items()}
    return (
        f"Upload a spreadsheet (XLSX or CSV, at most {Limits().max_bytes // 2**20} MB) as a GraphQL multipart request; "
        "it is validated by a worker (dry run), and committed too when `commit` is true and nothing is wrong. Follow "
        f"the job's status and progress with `importJob`. At most {rows[Kind.SUPPLY_MAP]} data rows in a supply map, "
        f"{rows[Kind.GRIEVANCES]} in a grievance log and {rows[Kind.FINDINGS]} in a findings file, so that any "
        "accepted file fits an import worker's memory; a longer file is refused while it is read, its message "
        "naming the limit."
    )


class ImportFileUpload(BaseMutation):
    """Upload a spreadsheet as a GraphQL multipart request (the schema's description, which states the limits of
    imports/services/sizing.py, is `upload_description()`). The import's role is checked here (Meta.permissions),
    which kinds the organization imports by the service."""

    job = graphene.Field(ImportJobType, description="The queued job, when the upload was accepted.")

    class Arguments:
        kind = ImportKindEnum(required=True, description="What the file holds: supply map (companies), findings (audit firms) or grievances (workers' organizations).")
        file = Upload(required=True, description="The file, sent as a variable of a multipart request.")
        commit = graphene.Boolean(default_value=False, description="Commit as soon as validation finds nothing wrong (default false: dry run only).")
        sheet = graphene.String(description="Worksheet to read; default the first data sheet.")
        column_mapping = graphene.List(graphene.NonNull(ImportColumnMappingInput), description="Headers to read as a given column, or to ignore; wins over the built-in aliases.")

    class Meta:
        permissions = (Permission.IMPORT_DATA,)
        error_type_class = ImportError_
        description = upload_description()

    @classmethod
    def perform(cls, info, viewer, kind, file, commit=False, sheet=None, column_mapping=None):
        mapping = {item.header: item.column for item in column_mapping or ()}
        job = jobs.create_job(viewer, kind, file, commit=commit, sheet=sheet or "", mapping=mapping)
        return cls(job=job, errors=[])


class ImportJobCommit(BaseMutation):
    """Commit a validated job (or retry a failed one): a worker validates it again and writes everything in one
    transaction, or nothing. Committing a committed job changes nothing."""

    job = graphene.Field(ImportJobType, description="The job, queued for commit.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of the import job.")

    class Meta:
        permissions = (Permission.IMPORT_DATA,)
        error_type_class = ImportError_

    @classmethod
    def perform(cls, info, viewer, id):
        return cls(job=jobs.request_commit(get_visible(ImportJob, viewer, id, "ImportJob", "id")), errors=[])


class ImportSiteMatchDecide(BaseMutation):
    """Say which registry site an uploaded site is (one of its candidates), or that it is a new site. The answer
    is remembered for your organization; once every question of the job is answered, it is validated again."""

    job = graphene.Field(ImportJobType, description="The job after the decision.")

    class Arguments:
        job_id = graphene.ID(required=True, description="ID of the import job.")
        site_ref = graphene.String(required=True, description="The uploaded site's reference (ResolutionCandidate.siteRef).")
        site_id = graphene.ID(description="The candidate site it is; null: it is a new site.")

    class Meta:
        permissions = (Permission.IMPORT_DATA,)
        error_type_class = ImportError_

    @classmethod
    def perform(cls, info, viewer, job_id, site_ref, site_id=None):
        job = get_visible(ImportJob, viewer, job_id, "ImportJob", "job_id")
        site_pk = decode_id(site_id, "Site", "site_id") if site_id else None
        return cls(job=jobs.decide(viewer, job, site_ref, site_pk), errors=[])


class ImportSiteDecisionInput(graphene.InputObjectType):
    """One review decision: the uploaded site and the candidate site it is (null: a new site)."""

    site_ref = graphene.String(required=True, description="The uploaded site's reference (ResolutionCandidate.siteRef).")
    site_id = graphene.ID(description="The candidate site it is; null: it is a new site.")


class ImportSiteMatchDecideAll(BaseMutation):
    """Answer many review questions of a job at once: every site whose best candidate scores at least `minScore`
    (100: every exact match), and the `decisions` listed. A site whose best candidates are tied is left for a person.
    All the answers are checked before any is remembered; once no question is left, the job is validated again."""

    job = graphene.Field(ImportJobType, description="The job after the decisions.")
    decided = graphene.Int(description="How many questions were answered (null when refused).")

    class Arguments:
        job_id = graphene.ID(required=True, description="ID of the import job.")
        min_score = graphene.Float(description="Accept the best candidate of every site scoring at least this (0–100).")
        decisions = graphene.List(graphene.NonNull(ImportSiteDecisionInput), description="Decisions, one per site.")

    class Meta:
        permissions = (Permission.IMPORT_DATA,)
        error_type_class = ImportError_

    @classmethod
    def perform(cls, info, viewer, job_id, min_score=None, decisions=None):
        job = get_visible(ImportJob, viewer, job_id, "ImportJob", "job_id")
        given = [review.Decision(item.site_ref, decode_id(item.site_id, "Site", "decisions") if item.site_id else None)
                 for item in decisions or []]
        named = {decision.site_ref for decision in given}
        if min_score is not None:
            given += [d for d in review.best_candidates(job, min_score) if d.site_ref not in named]
        decided = review.decide_all(viewer, job, given)
        job.refresh_from_db()
        return cls(job=job, decided=decided, errors=[])
