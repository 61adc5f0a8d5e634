"""The risk register: every node of a company's network (the company first, then its sites, riskiest first) with
both dimensions' scores and bands, its own risk split into its causes, and the heaviest path into it.

Own risk o = 1 − (1 − i)(1 − e) combines the inherent risk i (country, goods, workforce; or the company's
override) with the evidence risk e (findings, grievances), so e = 1 − (1 − o)/(1 − i), and o is shared between
the two in proportion to λ = −ln(1 − p) of each (the log share, docs/methodology.md):

    a_i = o · λ_i / (λ_i + λ_e),    a_e = o · λ_e / (λ_i + λ_e),    a_i + a_e = o.

The top path is the single heaviest path into the node, in each dimension (top_paths.py), with its share of the
node's score.

Read through the tenancy chokepoint in five queries (network entries with their sites and suppliers,
commodities, scores, and the engine's network: its sites and links), whatever the size of the network.
"""

import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from graphql_relay import to_global_id

from backend.tenancy import Viewer, visible
from exports.data.tables import Column, Row, Table
from exports.data.top_paths import HeaviestPaths, heaviest_paths
from graph import risk
from graph.models import NetworkSite, RiskScore, Site
from graph.services.risk import prepared_with_own
from graph.services.risk_graph import COMPANY_NODE

DIMENSIONS = (("child_labour", "child-labour", risk.CHILD_LABOUR), ("forced_labour", "forced-labour", risk.FORCED_LABOUR))
SCORE_FIELDS = ("site_id", "band", "methodology_version", "computed_at", *(
    f"{prefix}{name}{suffix}" for name, _label, _d in DIMENSIONS
    for prefix, suffix in (("", ""), ("", "_band"), ("own_", ""), ("inherent_", ""))
))
PATH_SEPARATOR = " → "


def register_columns() -> tuple[Column, ...]:
    columns = [
        Column("id", "Tributary ID (GraphQL)", 18), Column("ref", "Your reference", 16), Column("name", "Name", 36),
        Column("supplier", "Supplier", 28), Column("country", "Country", 9), Column("subdivision", "Subdivision", 11),
        Column("tier", "Tier", 6), Column("commodities", "Commodities", 24), Column("band", "Band (worse dimension)", 12),
    ]
    for name, label, _dimension in DIMENSIONS:
        columns += [
            Column(name, f"{label.capitalize()} risk"), Column(f"{name}_band", f"{label.capitalize()} band"),
            Column(f"own_{name}", f"Own {label} risk"),
            Column(f"inherent_part_{name}", f"… of own {label} risk from inherent risk", 16),
            Column(f"evidence_part_{name}", f"… of own {label} risk from evidence", 16),
            Column(f"path_{name}", f"Top {label} path (source first)", 60),
            Column(f"path_share_{name}", f"Top {label} path's share of the score", 14),
        ]
    return (*columns, Column("methodology_version", "Methodology"), Column("computed_at", "Computed at (UTC)", 20))


@dataclass
class Register:
    """What the register is written from, read once."""

    company_name: str
    entries: list[dict]
    commodities: dict[int, list[str]]
    scores: dict[int | None, dict]
    nodes: dict[int | None, int]
    names: dict[int, str]
    paths: dict[str, HeaviestPaths]
    totals: np.ndarray


def risk_register(viewer: Viewer) -> Table:
    register = load_register(viewer)
    return Table(
        title="Risk register",
        about=f"Every node of the supply network of {register.company_name}: the company first, then each site, "
              "riskiest first, with its propagated and own risk in both dimensions, the own risk's causes and the "
              "heaviest path into it.",
        columns=register_columns(),
        rows=register_rows(register),
        notes=[
            ("Own risk's causes", "Inherent risk: the site's country, goods and workforce (or your override); "
                                  "evidence: its findings and grievances. Own risk o = 1 − (1 − inherent)(1 − evidence), shared between its two causes in "
                                  "proportion to −ln(1 − p) of each (docs/methodology.md): the two parts add up to o."),
            ("Top path", "The single heaviest path into the node: own risk of its source × Π(attenuation × share) × "
                         "Π(1 − own risk of the later nodes); its share is that term ÷ the node's score."),
            ("Reproduce", "riskExplanation(nodeId: <Tributary ID>, dimension: FORCED_LABOUR) { score paths { "
                          "contribution } } gives the same score and lists the path among its heaviest."),
        ],
    )


def load_register(viewer: Viewer) -> Register:
    company = viewer.organization
    entries = list(visible(NetworkSite, viewer).values(
        "site_id", "internal_ref", "tier", "site__name", "site__country", "site__subdivision", "site__supplier__name",
    ))
    commodities = defaultdict(list)
    through = Site.commodities.through.objects.filter(site_id__in=[entry["site_id"] for entry in entries])
    for site_id, code in through.order_by("commodity__code").values_list("site_id", "commodity__code"):
        commodities[site_id].append(code)
    scores = {row["site_id"]: row for row in visible(RiskScore, viewer).values(*SCORE_FIELDS)}
    graph, prepared, own, totals = prepared_with_own(company)
    attenuation = risk.DEFAULT_METHODOLOGY.attenuation
    paths = {name: heaviest_paths(prepared.shares, own[:, dimension], attenuation) for name, _l, dimension in DIMENSIONS}
    nodes = {None: COMPANY_NODE} | {entry["site_id"]: graph.node_of(entry["site_id"]) for entry in entries}
    names = {COMPANY_NODE: company.name} | {nodes[entry["site_id"]]: entry["site__name"] for entry in entries}
    return Register(company.name, entries, commodities, scores, nodes, names, paths, totals)


def register_rows(register: Register) -> Iterator[Row]:
    """The company's row, then the sites' by their worse score, highest first (unscored last), then by name."""
    yield node_row(register, None, {"id": None, "name": register.company_name, "tier": 0})
    def order(entry):
        score = register.scores.get(entry["site_id"])
        worse = -max(score["child_labour"], score["forced_labour"]) if score else 1.0
        return worse, entry["site__name"], entry["site_id"]
    for entry in sorted(register.entries, key=order):
        yield node_row(register, entry["site_id"], {
            "id": to_global_id("Site", entry["site_id"]), "ref": entry["internal_ref"], "name": entry["site__name"],
            "supplier": entry["site__supplier__name"], "country": entry["site__country"],
            "subdivision": entry["site__subdivision"], "tier": entry["tier"],
            "commodities": "; ".join(register.commodities[entry["site_id"]]),
        })


def node_row(register: Register, site_id: int | None, described: Row) -> Row:
    """A node's description with its scores, causes and top paths (score cells empty until it is scored)."""
    score = register.scores.get(site_id)
    if score is None:
        return described
    row = described | {key: score[key] for key in ("band", "methodology_version", "computed_at")}
    node = register.nodes.get(site_id)
    for name, _label, dimension in DIMENSIONS:
        own, inherent = score[f"own_{name}"], score[f"inherent_{name}"]
        row |= {name: score[name], f"{name}_band": score[f"{name}_band"], f"own_{name}": own}
        row[f"inherent_part_{name}"], row[f"evidence_part_{name}"] = own_causes(own, inherent)
        if node is not None:
            row |= top_path(register, name, dimension, node)
    return row


def own_causes(own: float, inherent: float) -> tuple[float, float]:
    """(inherent part, evidence part) of the own risk, adding up to it (see the module docstring)."""
    if inherent >= 1.0:
        return own, 0.0  # a certain inherent risk is the whole own risk
    evidence = min(max(0.0, 1.0 - (1.0 - own) / (1.0 - inherent)), 1.0)
    if evidence >= 1.0:
        return 0.0, own
    weights = -math.log1p(-inherent), -math.log1p(-evidence)
    whole = sum(weights)
    return (own * weights[0] / whole, own * weights[1] / whole) if whole > 0.0 else (0.0, 0.0)


def top_path(register: Register, name: str, dimension: int, node: int) -> Row:
    paths = register.paths[name]
    nodes = paths.path(node)
    if not nodes:
        return {}
    score = float(register.totals[node, dimension])
    return {
        f"path_{name}": PATH_SEPARATOR.join(register.names[step] for step in nodes),
        f"path_share_{name}": float(paths.weight[node]) / score if score > 0.0 else 0.0,
    }
