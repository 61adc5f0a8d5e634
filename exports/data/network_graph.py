"""The supply network as a graph file for Gephi, networkx and the like: GraphML, or JSON node-link (networkx's
`node_link_data` layout: {"directed", "graph", "nodes", "links"}).

Nodes are the company and its sites, identified by their GraphQL IDs, with their risk (both dimensions, bands,
own risk) and where they are; edges run upstream → downstream (supplier to buyer; to the company when the
buyer is the company), one per link and keyed by its GraphQL ID, with the link's commodity, share, volume and evidence level. A value the company has not
given is left out of the node or edge (GraphML has no null). Read in four queries through `visible()`.
"""

import io
import json
from typing import BinaryIO

import networkx as nx
from django.utils import timezone
from graphql_relay import to_global_id

from backend.tenancy import Viewer, visible
from exports.data.register import SCORE_FIELDS
from graph.models import NetworkSite, RiskScore, SupplyLink

COMPANY_ID = "company"
SCORE_ATTRIBUTES = tuple(name for name in SCORE_FIELDS if name not in ("site_id", "computed_at"))


def node_id(site_id: int | None) -> str:
    return COMPANY_ID if site_id is None else to_global_id("Site", site_id)


def present(attributes: dict) -> dict:
    """The attributes with a value, as GraphML types (text, number, boolean)."""
    return {key: float(value) if hasattr(value, "is_finite") else value  # Decimal → float
            for key, value in attributes.items() if value is not None and value != ""}


def network_graph(viewer: Viewer) -> nx.MultiDiGraph:
    company = viewer.organization
    graph = nx.MultiDiGraph(name=f"Supply network of {company.name}", exported_at=timezone.now().isoformat())
    scores = {row["site_id"]: row for row in visible(RiskScore, viewer).values(*SCORE_FIELDS)}
    risk = {site_id: {name: row[name] for name in SCORE_ATTRIBUTES} for site_id, row in scores.items()}
    graph.add_node(COMPANY_ID, **present({"label": company.name, "kind": "company", "tier": 0, **risk.get(None, {})}))
    entries = visible(NetworkSite, viewer).order_by("site_id").values(
        "site_id", "internal_ref", "tier", "site__name", "site__kind", "site__country", "site__subdivision",
        "site__latitude", "site__longitude", "site__os_id", "site__supplier__name",
    )
    for entry in entries:
        graph.add_node(node_id(entry["site_id"]), **present({
            "label": entry["site__name"], "kind": entry["site__kind"], "reference": entry["internal_ref"],
            "tier": entry["tier"], "country": entry["site__country"], "subdivision": entry["site__subdivision"],
            "latitude": entry["site__latitude"], "longitude": entry["site__longitude"], "os_id": entry["site__os_id"],
            "supplier": entry["site__supplier__name"], **risk.get(entry["site_id"], {}),
        }))
    links = visible(SupplyLink, viewer).order_by("id").values(
        "id", "upstream_id", "downstream_id", "commodity__code", "share", "volume", "volume_unit", "evidence_level",
        "external_ref", "valid_from", "valid_to",
    )
    for link in links:
        key = to_global_id("SupplyLink", link["id"])  # two sites may be linked for several commodities
        graph.add_edge(node_id(link["upstream_id"]), node_id(link["downstream_id"]), key=key, **present({
            "commodity": link["commodity__code"], "share": link["share"],
            "volume": link["volume"], "volume_unit": link["volume_unit"], "evidence_level": link["evidence_level"],
            "reference": link["external_ref"],
            "valid_from": link["valid_from"] and link["valid_from"].isoformat(),
            "valid_to": link["valid_to"] and link["valid_to"].isoformat(),
        }))
    return graph


def write_graphml(viewer: Viewer, out: BinaryIO) -> int:
    graph = network_graph(viewer)
    nx.write_graphml(graph, out, encoding="utf-8", prettyprint=False)
    return graph.number_of_nodes()


def write_node_link(viewer: Viewer, out: BinaryIO) -> int:
    graph = network_graph(viewer)
    text = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    json.dump(nx.node_link_data(graph, edges="links"), text, ensure_ascii=False)
    text.detach()
    return graph.number_of_nodes()
