"""What an incremental computation reads: the downstream cone of the changed sites, no more.

For changed sites X, the cone C is X and every network node (site or the company) that an active link leads to
from a node of C. Outside C no score can change (graph/risk/incremental.py). Inside C the scores solve

    R_C = o_C + g_C ⊙ (S_CC R_C + F_C),    F_C = S_CU R_U,    g = α (1 − o),

where U are the suppliers of C outside it. F_C is needed, not U: at a cone node whose own risk did not change it is
read back from its stored score, F_v = (R_v − o_v) / g_v − (S_CC R_C)_v (incremental.inflow_read_back), so only X's
own inputs are loaded. What is read, then:
- C, by one recursive query through the links' (company, upstream) index;
- the links out of C (they end in C, or outside the network) and the links into X;
- for every node of C, K_v and k_v (its known shares summed, its unknown ones counted) over all its inputs, summed
  by the database, since a node's shares are normalised over all its inputs (graph/risk/network.py): the company's
  thousands of suppliers are counted there, never sent;
- membership of C and of X's suppliers, and their stored rows and the company's, through (company, site).
At 1M sites / 5M links a cone of 1,200 nodes is about 3,500 links and 1,200 stored rows, instead of every site,
link and score, and the company's 20,000 suppliers with theirs, which the cone's inputs would otherwise include.

Nothing is kept between computations, so there is no warm copy to fall out of date: each run reads the graph as
committed. It relies, as the whole-graph incremental run does, on the stored scores matching the graph: a change of
links or membership schedules a full computation (graph/services/links.py, network_write.py) and evidence or site
changes record their sites (risk_jobs.py). When a changed site is not in the network, a score of the cone is not
stored yet, the cone passes CONE_SITES or the database is not PostgreSQL, `load_cone` returns None and the caller
loads the whole graph.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
from django.db import connection
from django.db.models import Count, Exists, F, FloatField, OuterRef, Q, Sum
from django.db.models.functions import Cast, Coalesce

from graph import risk
from graph.models import NetworkSite
from graph.risk import network as risk_network
from graph.risk.prepared import prepare_normalized
from graph.services.risk_graph import (
    COMPANY_NODE, INT, TenantGraph, column_arrays, id_list, load_link_arrays, tenant_graph,
)
from graph.services.risk_store import stored_arrays
from graph.services.tiers import active_links

# Past this many cone sites the whole graph is loaded packed instead: reading by ID grows with the cone, and a cone
# this large (16 times the bench's) would read as many links and rows as a whole network of 100k sites.
CONE_SITES = 20_000


@dataclass
class Cone:
    """The cone's graph (the cone, the changed sites' suppliers, the company as node 0), its share matrix
    (normalised over every input of each node) and its stored rows."""

    graph: TenantGraph
    prepared: risk.PreparedNetwork
    stored: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # risk_store.stored_arrays: scores, own, inherent, known


def load_cone(company, changed_site_ids, on: date | None = None) -> Cone | None:
    """The cone of the changed sites with what its computation needs, or None when the whole graph must be
    loaded instead."""
    if connection.vendor != "postgresql":
        return None  # the cone's recursive query is PostgreSQL's
    changed = np.unique(np.asarray(list(changed_site_ids), dtype=np.int64))
    cone = downstream_nodes(company, changed, on, CONE_SITES)
    if cone is None:
        return None
    sites, reaches_company = cone[cone != COMPANY_NODE], bool(len(cone) and cone[0] == COMPANY_NODE)
    # every link out of a cone site (it ends in the cone, or outside the network), then the changed sites' other inputs
    among = load_link_arrays(company, on, Q(upstream_id__in=id_list(sites)))
    into_changed = load_link_arrays(company, on, Q(downstream_id__in=id_list(changed)))
    from_outside = ~np.isin(into_changed[0], sites)
    upstream, downstream, share = (np.concatenate([a, b[from_outside]]) for a, b in zip(among, into_changed))
    members = network_members(company, np.union1d(sites, upstream))
    if not np.isin(changed, members).all():
        return None
    known_total, unknown_count = input_totals(company, on, np.intersect1d(sites, members), reaches_company, downstream)
    graph = tenant_graph(company.pk, members, upstream, downstream, risk_network.normalize(share, known_total, unknown_count))
    stored = stored_arrays(graph, its_sites_only=True)
    if not stored[3].all():
        return None
    return Cone(graph, prepare_normalized(graph.network, graph.network.share), stored)


def input_totals(company, on: date | None, site_ids: np.ndarray, company_too: bool,
                 downstream: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each link into `downstream` (site IDs, 0: the company): its downstream node's K_v (known shares summed)
    and k_v (unknown shares counted) over all its active inputs from network sites, as the whole graph's load
    counts them (graph/risk/network.py), summed by the database: the company's thousands of inputs never travel."""
    from_member = Exists(NetworkSite.objects.owned_by(company).filter(site_id=OuterRef("upstream_id")))
    links = active_links(company, on).filter(from_member).order_by()
    groups = [links.filter(downstream_id__in=id_list(site_ids))] + ([links.filter(downstream__isnull=True)] if company_too else [])
    totals = {}
    for group in groups:
        totals.update({
            node or COMPANY_NODE: (known, unknown) for node, known, unknown in group.values("downstream_id").annotate(
                known=Coalesce(Sum(Cast("share", FloatField())), 0.0), unknown=Count("pk", filter=Q(share__isnull=True)),
            ).values_list("downstream_id", "known", "unknown")
        })
    # a link into a node without totals ends outside the network: tenant_graph drops it
    known_total = np.array([totals.get(int(node), (0.0, 1))[0] for node in downstream], dtype=np.float64)
    unknown_count = np.array([totals.get(int(node), (0.0, 1))[1] for node in downstream], dtype=np.int64)
    return known_total, unknown_count


def downstream_nodes(company, site_ids: np.ndarray, on: date | None, limit: int) -> np.ndarray | None:
    """Sorted site IDs reachable from these along the company's active links, these included (0: the company), or
    None past `limit` of them.

    One recursive query: K₀ = the sites, K_{k+1} = K_k ∪ {v : u → v active, u ∈ K_k}, each step through the
    (company, upstream) index. UNION drops what was seen, so a cycle ends it, and the LIMIT stops it early: a
    cone too large to be worth it costs at most `limit` rows. A link to a site outside the network is followed
    too; network_members drops such sites after, and a cone that holds more than it needs is still exact.
    """
    links_sql, links_params = active_links(company, on).order_by().values("upstream_id", "downstream_id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH RECURSIVE cone (site) AS (
                SELECT unnest(%s::bigint[])
                UNION
                SELECT COALESCE(link.downstream_id, {COMPANY_NODE}) FROM cone JOIN ({links_sql}) AS link
                    ON link.upstream_id = cone.site
            ) SELECT site FROM cone LIMIT %s""",
            [site_ids.tolist(), *links_params, limit + 1],
        )
        reached = np.sort(np.array([site for (site,) in cursor.fetchall()], dtype=np.int64))
    return None if len(reached) > limit else reached


def network_members(company, site_ids: np.ndarray) -> np.ndarray:
    """The sorted IDs among these of the sites in the company's network."""
    (members,) = column_arrays(NetworkSite.objects.owned_by(company).filter(site_id__in=id_list(site_ids)).order_by(),
                               site=(F("site_id"), INT))
    return np.sort(members)
