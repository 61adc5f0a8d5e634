"""Per-request loaders of the supply network's relations (one query per relation per page)."""

from backend.graphql.list_bounds import MAX_PAGE_SIZE
from backend.graphql.loaders import Loader, first_of_each, group_by
from backend.tenancy import reached_from_visible, visible
from graph.graphql.risk.types import RiskSummary
from graph.models import NetworkSite, NetworkSupplier, RiskScore, Site, Supplier, SupplyLink


class SupplierOfSite(Loader):
    """The operator of each site; visible to whoever sees the site (see `reached_from_visible`)."""

    def key_of(self, site):
        return site.supplier_id

    def batch_load(self, keys):
        return reached_from_visible(Supplier, keys)


class SitesOfSupplier(Loader):
    def default(self):
        return []

    def batch_load(self, keys):
        sites = visible(Site, self.viewer).filter(supplier_id__in=keys)
        return group_by(first_of_each(sites, "supplier_id", ("name", "pk"), MAX_PAGE_SIZE), "supplier_id")


class CommoditiesOfSite(Loader):
    def default(self):
        return []

    def batch_load(self, keys):
        rows = Site.commodities.through.objects.filter(site_id__in=keys).select_related("commodity")
        grouped = group_by(rows.order_by("commodity__name"), "site_id")
        return {site_id: [row.commodity for row in rows] for site_id, rows in grouped.items()}


class NetworkEntryOfSite(Loader):
    def batch_load(self, keys):
        return {entry.site_id: entry for entry in visible(NetworkSite, self.viewer).filter(site_id__in=keys)}


class NetworkEntryOfSupplier(Loader):
    def batch_load(self, keys):
        return {entry.supplier_id: entry for entry in visible(NetworkSupplier, self.viewer).filter(supplier_id__in=keys)}


class LinksIntoSite(Loader):
    def default(self):
        return []

    def batch_load(self, keys):
        links = visible(SupplyLink, self.viewer).filter(downstream_id__in=keys).select_related("commodity")
        return group_by(first_of_each(links, "downstream_id", ("pk",), MAX_PAGE_SIZE), "downstream_id")


class LinksFromSite(Loader):
    def default(self):
        return []

    def batch_load(self, keys):
        links = visible(SupplyLink, self.viewer).filter(upstream_id__in=keys).select_related("commodity")
        return group_by(first_of_each(links, "upstream_id", ("pk",), MAX_PAGE_SIZE), "upstream_id")


class UpstreamSiteOfLink(Loader):
    """The supplying site of each of your links: a site of your network (see `reached_from_visible`)."""

    def key_of(self, link):
        return link.upstream_id

    def batch_load(self, keys):
        return reached_from_visible(Site, keys)


class DownstreamSiteOfLink(Loader):
    """The receiving site of each of your links: a site of your network (see `reached_from_visible`)."""

    def key_of(self, link):
        return link.downstream_id

    def batch_load(self, keys):
        return reached_from_visible(Site, keys)


class RiskOfSite(Loader):
    def batch_load(self, keys):
        return {score.site_id: score for score in visible(RiskScore, self.viewer).filter(site_id__in=keys)}


class RiskOfSupplier(Loader):
    """A supplier's risk is the worst of its sites' scores in the viewer's network, per dimension."""

    def batch_load(self, keys):
        scores = visible(RiskScore, self.viewer).filter(site__supplier_id__in=keys).select_related("site")
        worst = {}
        for score in scores:
            current = worst.get(score.site.supplier_id)
            worst[score.site.supplier_id] = score if current is None else worst_of(current, score)
        return worst


def worst_of(first, second):
    """A score-like object holding the higher value of each field of two scores."""
    return RiskSummary.worst(first, second)
