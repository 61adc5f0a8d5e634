"""The imports queries and mutations, composed into the root schema in backend/schema.py."""

import graphene

from backend.graphql.connections import FilteredConnectionField
from backend.graphql.ids import visible_or_none
from backend.graphql.list_bounds import BoundedList
from backend.graphql.permissions import require_viewer
from backend.tenancy import visible
from imports.graphql.filters import ImportJobFilter
from imports.graphql.sorters import IMPORT_JOB_SORT_FIELDS, ImportJobSortingInput
from imports.graphql.mutations import (
    ImportFileUpload,
    ImportJobCommit,
    ImportSiteMatchDecide,
    ImportSiteMatchDecideAll,
)
from imports.graphql.types import ImportJobType, ImportKindInfo, import_kinds
from imports import columns
from imports.models import ImportJob


class ImportQueries(graphene.ObjectType):
    import_jobs = FilteredConnectionField(
        ImportJobType, filterset_class=ImportJobFilter, sort_input=ImportJobSortingInput,
        sort_fields=IMPORT_JOB_SORT_FIELDS,
        description="Your organization's import jobs, oldest first unless sorted, e.g. sortBy: {field: CREATED_AT, "
        "direction: DESC} (first or last required, at most 100).",
    )
    import_job = graphene.Field(
        ImportJobType, id=graphene.ID(required=True, description="Import job ID."),
        description="One import job, with its live progress; null when it does not exist or is not yours.",
    )
    import_kinds = BoundedList(
        graphene.NonNull(ImportKindInfo), len(columns.KINDS), required=True,
        description="The kinds of spreadsheet import, their columns and templates, and which ones you may use.",
    )

    @staticmethod
    def resolve_import_jobs(root, info, **kwargs):
        return visible(ImportJob, require_viewer(info))

    @staticmethod
    def resolve_import_job(root, info, id):
        return visible_or_none(ImportJob, require_viewer(info), id, "ImportJob")

    @staticmethod
    def resolve_import_kinds(root, info):
        return import_kinds(require_viewer(info))


class ImportMutations(graphene.ObjectType):
    import_file_upload = ImportFileUpload.Field()
    import_job_commit = ImportJobCommit.Field(description=ImportJobCommit.__doc__)
    import_site_match_decide = ImportSiteMatchDecide.Field(description=ImportSiteMatchDecide.__doc__)
    import_site_match_decide_all = ImportSiteMatchDecideAll.Field(description=ImportSiteMatchDecideAll.__doc__)
