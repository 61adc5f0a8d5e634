"""Per-request loaders of the risk API's relations (one query per relation per page)."""

from backend.graphql.loaders import Loader
from backend.tenancy import visible
from graph.models import RiskAlert, Site


class PathOfAlert(Loader):
    """The visible sites of each evidence alert's path, in the path's order (one query for a page of alerts)."""

    def default(self):
        return []

    def batch_load(self, keys):
        paths = dict(RiskAlert.objects.filter(pk__in=keys).values_list("pk", "path"))
        wanted = {pk for path in paths.values() for pk in path or []}
        sites = visible(Site, self.viewer).in_bulk(wanted)
        return {alert_id: [sites[pk] for pk in path or [] if pk in sites] for alert_id, path in paths.items()}
