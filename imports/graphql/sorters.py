"""Sort input of the import jobs list."""

import graphene
from django.db.models import F

from backend.graphql.connections import sorting_input


class ImportJobSortField(graphene.Enum):
    """Fields a list of import jobs can be sorted by."""

    CREATED_AT = "created_at"
    STATUS = "status"

    @property
    def description(self):
        return "Sort by upload time." if self == ImportJobSortField.CREATED_AT else "Sort by status."


ImportJobSortingInput = sorting_input("ImportJobSortingInput", ImportJobSortField)
IMPORT_JOB_SORT_FIELDS = {"created_at": [F("created_at")], "status": [F("status"), F("created_at")]}
