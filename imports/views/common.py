"""What the endpoints and the pages of imports share: finding a job by its ID through the tenancy chokepoint."""

from django.core.exceptions import ValidationError

from backend.graphql.ids import decode_id
from backend.tenancy import Viewer, visible
from imports.models import ImportJob


def visible_job(viewer: Viewer, job_id: str) -> ImportJob | None:
    """The job with this Tributary ID if the viewer may see it; None for a malformed, unknown or foreign ID alike
    (no existence oracle)."""
    try:
        pk = decode_id(job_id, "ImportJob", "id")
    except ValidationError:
        return None
    return visible(ImportJob, viewer).filter(pk=pk).select_related("created_by").first()
