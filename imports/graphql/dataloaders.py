"""Per-request loaders of the imports types (see backend/graphql/loaders.py)."""

from backend.graphql.loaders import Loader
from backend.tenancy import visible
from graph.models import Site
from imports.models import ImportJob, Status


class CandidateSite(Loader):
    """The registry site of each review candidate, through the tenancy chokepoint."""

    def key_of(self, candidate):
        return candidate.site_id

    def batch_load(self, keys):
        return {site.pk: site for site in visible(Site, self.viewer).filter(pk__in=keys)}


class SameFileJob(Loader):
    """For each job, the earliest other committed job of its organization with the same kind and file hash."""

    def batch_load(self, keys):
        jobs = list(visible(ImportJob, self.viewer).filter(pk__in=keys).only("id", "kind", "sha256"))
        hashes = {job.sha256 for job in jobs}
        earlier = {}
        committed = visible(ImportJob, self.viewer).filter(sha256__in=hashes, status=Status.COMMITTED).order_by("committed_at", "id")
        for other in committed:
            earlier.setdefault((other.kind, other.sha256), []).append(other)
        return {
            job.pk: next((o for o in earlier.get((job.kind, job.sha256), []) if o.pk != job.pk), None) for job in jobs
        }
