"""Supply-map imports: the rows become a batch of the company's network, which graph plans and writes.

`plan(read, viewer, progress)` checks the cells and the rules between rows (supply_map_rows.py), resolves every
uploaded site (resolution.py: which registry site it is, or a question for review), hands the batch to
graph/services/network_batch.py, and turns what graph found into the import's terms: each refusal a problem on
its row's cell, each notice a warning, each credit an outcome of the row. The dry run reports that plan; the
commit writes it (graph/services/network_write.py), then binds the "a new site" decisions of its rows to the
sites it created (resolution.py's `bind_decisions`). The rules of what a supplier, a site or a link may be, and
how they are found again, are graph's.
"""

from backend.db.writer import Writer
from backend.tenancy import Viewer
from graph.models import Commodity
from graph.services.commodity_aliases import CommodityNames
from graph.services.network_batch import network_site_refs, plan_network
from graph.services.network_rows import Kept, NetworkBatch, NetworkResult, SharesRounded, SiteResolution
from graph.services.network_write import NetworkPlan, write_network
from imports.models import Phase
from imports.services.plan import REVIEW, Plan
from imports.services.resolution import UploadedSite, bind_decisions, normalize_name, resolve_sites
from imports.services.supply_map_rows import describe
from imports.services.validation import ReadRows

# graph's entity names, as the plan counts them (the job's summary shows these names).
ENTITIES = {"supplier": "suppliers", "site": "sites", "link": "links"}
# The columns a notice names for the attributes of a shared entry that were not applied.
COLUMN_OF_FIELD = {
    "supplier": {"name": "supplier_name"},
    "site": {"name": "site_name", "kind": "site_kind", "supplier_id": "supplier_ref"},
}


class SupplyMapPlan(Plan):
    """The network batch graph planned, with the sites awaiting review as (UploadedSite, [Candidate]) pairs and
    the row key of each uploaded site by reference (`row_keys`)."""

    def __init__(self, network: NetworkPlan, review: list, row_keys: dict[str, str]) -> None:
        super().__init__()
        self.network = network
        self.review = review
        self.row_keys = row_keys

    @property
    def records(self) -> int:
        return self.network.changes.records

    def write(self, writer: Writer) -> None:
        write_network(self.network, writer)
        changes = self.network.changes
        bind_decisions(self.network.viewer, {
            self.row_keys[ref]: changes.site_ids[ref] for ref in changes.new_sites if ref in self.row_keys
        })


def plan(read: ReadRows, viewer: Viewer, progress) -> SupplyMapPlan:
    """Resolve the upload's sites and have graph plan the batch; problems found go to `read.log`."""
    batch = describe(read, set(network_site_refs(viewer)), CommodityNames(Commodity.objects.values_list("code", "name")))
    progress.start(Phase.RESOLVING, len(batch.sites))
    uploads = [
        UploadedSite(ref, site.index, site.values["name"], site.values.get("address", ""), site.values["country"],
                     site.values.get("os_id"))
        for ref, site in batch.sites.items() if "name" in site.values and "country" in site.values
    ]
    resolution = resolve_sites(uploads, viewer)
    progress.start(Phase.PLANNING, len(read.rows))
    matched = {ref: match.site_id for ref, match in resolution.matched.items()}
    network = plan_network(viewer, batch, SiteResolution(matched, frozenset(resolution.ambiguous)), normalize_name)
    result = SupplyMapPlan(
        network, [(upload, resolution.ambiguous[upload.ref]) for upload in uploads if upload.ref in resolution.ambiguous],
        {upload.ref: upload.key for upload in uploads},
    )
    credit_review(result, batch, network.awaiting_review)
    for credit in network.result.credits:
        result.credit(credit.index, ENTITIES[credit.entity], credit.outcome.value)
    report(read, network.result)
    return result


def credit_review(result: SupplyMapPlan, batch: NetworkBatch, awaiting_review: frozenset[str]) -> None:
    """The rows of sites awaiting review, and of links using them, wait for the decision."""
    for site in batch.sites.values():
        if site.ref in awaiting_review:
            for index in site.indexes:
                result.credit(index, ENTITIES["site"], REVIEW)
    for link in batch.links:
        if link.upstream_ref in awaiting_review or link.buyer_ref in awaiting_review:
            result.credit(link.index, ENTITIES["link"], REVIEW)


def report(read: ReadRows, found: NetworkResult) -> None:
    """graph's refusals as errors on their cells (a refusal's field is the column of the same name), its notices
    of shared entries kept as they are and of shares over 1 by rounding as warnings, in the order graph found them."""
    for item in found.reported:
        if isinstance(item, SharesRounded):
            rows = ", ".join(map(str, item.rows))
            read.log.warning(item.index, read.label("share"), None, "share_rounding",
                             f"The shares of this buyer's supply of this commodity add up to {item.total:.4f} (rows "
                             f"{rows}): over 1 by rounding only, so they are accepted as given (the risk "
                             "methodology normalises a buyer's shares to 1).")
        elif isinstance(item, Kept):
            column_of = COLUMN_OF_FIELD[item.noun]
            columns = ", ".join(read.label(column_of.get(name, name)) for name in item.fields)
            read.log.warning(item.index, None, None, "not_editable",
                             f"This {item.noun} is a shared registry entry registered by another organization: it "
                             f"joins your network as it is, and its {columns} from this file were not applied.")
        else:
            read.log.error(item.index, read.label(item.field), item.value, item.code, item.message)
