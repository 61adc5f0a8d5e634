"""The picture of a site's upstream network: who supplies whom, coloured by risk, the explanation's paths drawn bold.

Layered drawing: the site stands in the right-most column and each supplier in the column of its distance from it
(the walk's breadth-first distance), further suppliers further left. Within a column the nodes are ordered by the
mean row of the nodes they supply in the column to their right (the barycentre heuristic, which keeps most links
from crossing), ties by name. A link is drawn from its upstream node's right edge to its downstream node's left edge.
"""

from collections import defaultdict
from dataclasses import dataclass

COLUMN_WIDTH = 230
NODE_WIDTH = 170
NODE_HEIGHT = 34
ROW_HEIGHT = 48
MARGIN = 8
LABEL_CHARACTERS = 24


@dataclass(frozen=True)
class PictureNode:
    site_id: int
    label: str
    title: str  # the full name and place, for the tooltip and screen readers
    band: str
    x: float
    y: float
    is_root: bool
    on_path: bool


@dataclass(frozen=True)
class PictureLink:
    path: str  # SVG path data
    on_path: bool
    title: str


@dataclass(frozen=True)
class NetworkPicture:
    nodes: tuple[PictureNode, ...]
    links: tuple[PictureLink, ...]
    width: int
    height: int
    truncated: bool

    node_width = NODE_WIDTH
    node_height = NODE_HEIGHT


@dataclass(frozen=True)
class NodeFacts:
    """What the picture shows of a site: its name, where it is and its band (empty: not scored)."""

    name: str
    place: str
    band: str


def short(text: str) -> str:
    return text if len(text) <= LABEL_CHARACTERS else text[: LABEL_CHARACTERS - 1] + "…"


def columns_of(root_id: int, distances: dict[int, int], downstream_of: dict[int, set[int]],
               facts: dict[int, NodeFacts]) -> list[list[int]]:
    """Site IDs per column, the root's first, each column ordered by the barycentre of what it supplies."""
    by_distance = defaultdict(list)
    for site_id, distance in distances.items():
        by_distance[distance].append(site_id)
    columns = [[root_id]]
    for distance in sorted(by_distance):
        row_of = {site_id: row for row, site_id in enumerate(columns[-1])}

        def barycentre(site_id):
            rows = [row_of[d] for d in downstream_of.get(site_id, ()) if d in row_of]
            return (sum(rows) / len(rows) if rows else len(row_of), facts[site_id].name, site_id)

        columns.append(sorted(by_distance[distance], key=barycentre))
    return columns


def link_path(x1: float, y1: float, x2: float, y2: float) -> str:
    """A cubic curve from (x1, y1) to (x2, y2), leaving and arriving horizontally."""
    middle = (x1 + x2) / 2
    return f"M{x1:.1f},{y1:.1f} C{middle:.1f},{y1:.1f} {middle:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"


def draw_network(root_id: int, distances: dict[int, int], links: list[tuple[int, int]],
                 facts: dict[int, NodeFacts], highlighted: set[tuple[int, int]], truncated: bool) -> NetworkPicture:
    """Lay out the root and the suppliers at `distances` from it; `links` are (upstream, downstream) site pairs,
    `highlighted` those on the explanation's paths. Links to sites outside the picture are left out."""
    drawn = set(distances) | {root_id}
    links = [(u, d) for u, d in dict.fromkeys(links) if u in drawn and d in drawn]
    downstream_of = defaultdict(set)
    for upstream, downstream in links:
        downstream_of[upstream].add(downstream)
    columns = columns_of(root_id, {s: d for s, d in distances.items() if s != root_id}, downstream_of, facts)
    tallest = max(len(column) for column in columns)
    height = MARGIN * 2 + tallest * ROW_HEIGHT
    width = MARGIN * 2 + (len(columns) - 1) * COLUMN_WIDTH + NODE_WIDTH
    on_path = {site for pair in highlighted for site in pair}
    position = {}
    nodes = []
    for index, column in enumerate(columns):
        x = MARGIN + (len(columns) - 1 - index) * COLUMN_WIDTH
        top = MARGIN + (tallest - len(column)) * ROW_HEIGHT / 2  # centre each column vertically
        for row, site_id in enumerate(column):
            y = top + row * ROW_HEIGHT
            position[site_id] = (x, y)
            fact = facts[site_id]
            nodes.append(PictureNode(site_id, short(fact.name), f"{fact.name} ({fact.place})", fact.band, x, y,
                                     site_id == root_id, site_id in on_path))
    drawn_links = []
    for upstream, downstream in links:
        (ux, uy), (dx, dy) = position[upstream], position[downstream]
        drawn_links.append(PictureLink(
            link_path(ux + NODE_WIDTH, uy + NODE_HEIGHT / 2, dx, dy + NODE_HEIGHT / 2),
            (upstream, downstream) in highlighted, f"{facts[upstream].name} → {facts[downstream].name}",
        ))
    drawn_links.sort(key=lambda link: link.on_path)  # the explanation's links last, on top
    return NetworkPicture(tuple(nodes), tuple(drawn_links), width, height, truncated)
