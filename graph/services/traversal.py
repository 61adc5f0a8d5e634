"""Walking a company's supply network: upstream and downstream cones, and the paths between two nodes.

The company itself is the root node, written `None` (a link whose downstream is empty delivers to it); in
networkx graphs, which cannot hold None, it is the node COMPANY. Cones
are fetched level by level (one query per tier), so a walk touches only the part of the network it returns.
"""

from dataclasses import dataclass, field

import networkx as nx

from graph.services.tiers import active_links

MAX_DEPTH = 10
MAX_CONE_SIZE = 5000
MAX_CONE_LINKS = 2 * MAX_CONE_SIZE
MAX_PATHS = 50
COMPANY = "company"


@dataclass
class Cone:
    """The sites reached from a root within a depth, with their distance, and the links walked."""

    root_id: int | None
    distances: dict[int, int] = field(default_factory=dict)
    links: list = field(default_factory=list)
    truncated: bool = False


def walk(company, root_id: int | None, depth: int, direction: str) -> Cone:
    """Breadth-first walk from `root_id` up ('upstream') or down ('downstream') the company's active links.

    It stops, `truncated`, at MAX_CONE_SIZE sites or MAX_CONE_LINKS links: the API promises no more.
    """
    near, far = ("downstream_id", "upstream_id") if direction == "upstream" else ("upstream_id", "downstream_id")
    cone = Cone(root_id=root_id)
    seen_links: set[int] = set()
    frontier = {root_id}
    for distance in range(1, min(depth, MAX_DEPTH) + 1):
        if not frontier:
            break
        links = active_links(company).select_related("commodity")
        links = links.filter(**{f"{near}__isnull": True}) if frontier == {None} else links.filter(**{f"{near}__in": frontier})
        next_frontier = set()
        for link in links.order_by("pk"):
            if link.pk in seen_links:
                continue
            node = getattr(link, far)
            reaches_new_site = node is not None and node != root_id and node not in cone.distances
            if len(cone.links) == MAX_CONE_LINKS or (reaches_new_site and len(cone.distances) == MAX_CONE_SIZE):
                cone.truncated = True
                return cone
            seen_links.add(link.pk)
            cone.links.append(link)
            if reaches_new_site:
                cone.distances[node] = distance
                next_frontier.add(node)
        frontier = next_frontier
    return cone


def find_paths(company, from_id: int, to_id: int | None, limit: int, max_length: int = MAX_DEPTH) -> list[list]:
    """Simple paths from an upstream site to a downstream site (or the company), shortest first.

    Each path is the list of links walked, upstream first. The search runs on the downstream cone of
    `from_id` only.
    """
    cone = walk(company, from_id, max_length, "downstream")
    graph = nx.MultiDiGraph()
    for link in cone.links:
        graph.add_edge(link.upstream_id, link.downstream_id or COMPANY, key=link.pk, link=link)
    target = COMPANY if to_id is None else to_id
    if from_id not in graph or target not in graph:
        return []
    paths = []
    for edge_path in nx.all_simple_edge_paths(graph, from_id, target, cutoff=max_length):
        paths.append([graph.edges[edge]["link"] for edge in edge_path])
        if len(paths) >= MAX_PATHS * 4:
            break
    paths.sort(key=lambda links: (len(links), [link.pk for link in links]))
    return paths[: min(limit, MAX_PATHS)]
