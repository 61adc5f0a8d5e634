"""GraphQL types of imports: jobs, their problems and the sites waiting for a decision."""

import graphene
from graphql_relay import to_global_id

from backend.graphql.connections import FilteredConnectionField
from backend.graphql.list_bounds import BoundedList
from backend.graphql.loaders import load
from backend.graphql.types import ScopedObjectType
from imports import columns
from imports.graphql import dataloaders as loaders
from imports.graphql.enums import ImportKindEnum, ImportPhaseEnum, ImportProblemSeverity, ImportStatusEnum
from imports.graphql.filters import ImportProblemFilter, ResolutionCandidateFilter
from imports.models import ImportJob, ImportProblem, ResolutionCandidate
from imports.services import progress
from imports.services.kinds import IMPORT_KINDS

ENTITY_KINDS = ("sites", "suppliers", "links", "audits", "findings", "grievances")  # what an import writes


class ImportProblemType(ScopedObjectType):
    """One thing wrong with an upload: a cell, a row (column null) or the whole file (row null)."""

    class Meta:
        model = ImportProblem
        name = "ImportProblem"
        fields = ("sheet", "row", "column", "value", "code", "message")

    sheet = graphene.String(description="Worksheet (or file) name; empty for problems of the whole file.")
    row = graphene.Int(description="Spreadsheet row number as shown in Excel; null for the header or the whole file.")
    column = graphene.String(description="Column header as written in the file; empty for a whole row or file.")
    value = graphene.String(description="The value found in the cell (empty when missing).")
    code = graphene.String(required=True, description="Stable machine-readable code, e.g. invalid_date, required, unknown_column.")
    message = graphene.String(required=True, description="What is wrong and how to fix it, in plain English.")
    severity = graphene.Field(ImportProblemSeverity, required=True, description="Error (rejects) or warning (reports).")

    def resolve_severity(root, info):
        return root.severity


class ResolutionCandidateType(ScopedObjectType):
    """A registry site that an uploaded site may be; a person decides (importSiteMatchDecide)."""

    class Meta:
        model = ResolutionCandidate
        name = "ResolutionCandidate"
        fields = ("row", "site_ref", "name", "address", "country", "score", "method")

    row = graphene.Int(required=True, description="First spreadsheet row describing the uploaded site.")
    site_ref = graphene.String(required=True, description="The uploaded site's reference (site_ref column).")
    name = graphene.String(required=True, description="The uploaded site's name.")
    address = graphene.String(required=True, description="The uploaded site's address (may be empty).")
    country = graphene.String(required=True, description="The uploaded site's country, ISO 3166-1 alpha-2.")
    site = graphene.Field("graph.graphql.types.SiteType", description="The registry site it may be (null if no longer visible to you).")
    score = graphene.Float(required=True, description="Similarity 0–100; 100 when names and addresses are equal once normalized.")
    method = graphene.String(required=True, description="exact (several sites share the normalized name) or fuzzy.")

    def resolve_site(root, info):
        return load(info, loaders.CandidateSite, root)


class ImportEntityCount(graphene.ObjectType):
    """What an import would do (dry run) or did (commit) to one kind of object."""

    entity = graphene.String(required=True, description=", ".join(ENTITY_KINDS[:-1]) + f" or {ENTITY_KINDS[-1]}.")
    created = graphene.Int(required=True, description="Objects created.")
    updated = graphene.Int(required=True, description="Objects changed.")
    unchanged = graphene.Int(required=True, description="Objects already as the file describes them.")


class ImportJobType(ScopedObjectType):
    """An uploaded spreadsheet: its validation (dry run), its problems and, once committed, what it wrote."""

    class Meta:
        model = ImportJob
        name = "ImportJob"
        fields = ("sha256", "size", "sheet", "created_at", "validated_at", "committed_at", "error", "commit_requested")

    kind = graphene.Field(ImportKindEnum, required=True, description="What the file holds.")
    status = graphene.Field(ImportStatusEnum, required=True, description="Where the job stands.")
    phase = graphene.Field(ImportPhaseEnum, required=True, description="What a running job is doing (live).")
    rows_done = graphene.Int(required=True, description="Progress within the phase (live): rows read and checked; while writing, records written.")
    rows_total = graphene.Int(required=True, description="Total for the phase (0 while the file is still being read).")
    filename = graphene.String(required=True, description="The file's name as uploaded (it is stored under a random name).")
    size = graphene.Float(required=True, description="Size of the file in bytes.")
    sha256 = graphene.String(required=True, description="SHA-256 of the file's bytes: the same file uploaded twice has the same hash.")
    sheet = graphene.String(required=True, description="Worksheet read (empty: the first data sheet).")
    commit_requested = graphene.Boolean(required=True, description="Whether the job commits as soon as it validates cleanly.")
    created = graphene.Int(description="Rows that create something (null until validated).")
    updated = graphene.Int(description="Rows that change something already stored.")
    unchanged = graphene.Int(description="Rows already fully stored as written (a second import of a file: all of them).")
    rejected = graphene.Int(description="Rows with at least one error.")
    awaiting_review = graphene.Int(required=True, description="Rows whose site waits for a decision (see resolutionCandidates).")
    entity_counts = BoundedList(
        graphene.NonNull(ImportEntityCount), len(ENTITY_KINDS), required=True,
        description="The same counts by kind of object.",
    )
    problems = FilteredConnectionField(
        ImportProblemType, filterset_class=ImportProblemFilter,
        description="Every problem found, in row order (first or last required, at most 100; at most 10,000 are stored).",
    )
    resolution_candidates = FilteredConnectionField(
        ResolutionCandidateType, filterset_class=ResolutionCandidateFilter,
        description="Registry sites the uploaded sites may be, waiting for a decision (first or last required, at most 100).",
    )
    error_report_url = graphene.String(required=True, description="Where to download the upload with its bad cells marked (XLSX, authenticated).")
    same_file_as = graphene.Field(lambda: ImportJobType, description="An earlier committed job of the same kind with the very same file, if any.")
    created_at = graphene.DateTime(required=True, description="When the file was uploaded.")
    validated_at = graphene.DateTime(description="When the job was last validated.")
    committed_at = graphene.DateTime(description="When it was committed.")
    error = graphene.String(required=True, description="Why it failed, when status is FAILED (nothing was written; commit it again to retry).")

    def resolve_kind(root, info):
        return root.kind

    def resolve_status(root, info):
        return root.status

    def resolve_phase(root, info):
        return progress.current(root)["phase"]

    def resolve_rows_done(root, info):
        return progress.current(root)["done"]

    def resolve_rows_total(root, info):
        return progress.current(root)["total"]

    def resolve_filename(root, info):
        return root.original_name

    def resolve_created(root, info):
        return root.created_count

    def resolve_updated(root, info):
        return root.updated_count

    def resolve_unchanged(root, info):
        return root.unchanged_count

    def resolve_rejected(root, info):
        return root.rejected_count

    def resolve_awaiting_review(root, info):
        return (root.summary or {}).get("review", 0)

    def resolve_entity_counts(root, info):
        entities = (root.summary or {}).get("entities", {})
        return [ImportEntityCount(entity=name, **counts) for name, counts in sorted(entities.items())]

    def resolve_problems(root, info, **kwargs):
        return root.problems.all()

    def resolve_resolution_candidates(root, info, **kwargs):
        return root.candidates.all()

    def resolve_error_report_url(root, info):
        return f"/imports/jobs/{to_global_id('ImportJob', root.pk)}/error-report.xlsx"

    def resolve_same_file_as(root, info):
        return load(info, loaders.SameFileJob, root)


class ImportColumnType(graphene.ObjectType):
    """One column of an import's template."""

    class Meta:
        name = "ImportColumn"

    key = graphene.String(required=True, description="Canonical key, e.g. site_ref (usable in columnMapping).")
    label = graphene.String(required=True, description="Header in the template.")
    type = graphene.String(required=True, description="text, int, decimal, date, bool, country, choice or list.")
    required = graphene.Boolean(required=True, description="Whether every row must fill it in.")
    description = graphene.String(required=True, description="What it means.")


class ImportKindInfo(graphene.ObjectType):
    """A kind of import, its template and its columns."""

    kind = graphene.Field(ImportKindEnum, required=True, description="The kind.")
    label = graphene.String(required=True, description="Its name.")
    allowed = graphene.Boolean(required=True, description="Whether your organization can import it.")
    template_url = graphene.String(required=True, description="Where to download its XLSX template (authenticated).")
    columns = BoundedList(
        graphene.NonNull(ImportColumnType), max(len(kind.columns) for kind in columns.KINDS.values()), required=True,
        description="Its columns, in template order.",
    )


def import_kinds(viewer) -> list[ImportKindInfo]:
    return [
        ImportKindInfo(
            kind=kind.key, label=kind.label,
            allowed=IMPORT_KINDS[kind.key].permission.allows(viewer),
            template_url=f"/imports/templates/{kind.key}.xlsx",
            columns=[ImportColumnType(key=c.key, label=c.label, type=c.type.value, required=c.required,
                                      description=c.description) for c in kind.columns],
        )
        for kind in columns.KINDS.values()
    ]

