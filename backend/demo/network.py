"""The demo network: two companies whose cotton and cocoa chains share sites, built deterministically.

Cotton: farms → gins → spinners → mills → garment factories → brand (5 tiers).
Cocoa: farms → cooperatives → traders → processors → brand, with traders buying from each other (a cycle).
Places are real producing regions (ISO 3166-2) with approximate coordinates; names are invented.
Facilities carry Open Supply Hub IDs and may be in both companies' chains; farms have none and are each in one
company's chain only (a company traces its own lots to its own farms). backend/demo/files.py writes the networks
as the supply-map files that `seed_demo` imports.
"""

import random
from dataclasses import dataclass, field

REGIONS = {
    # subdivision: (latitude, longitude)
    "IN-GJ": (22.3, 71.2), "IN-MH": (19.7, 75.7), "IN-TN": (11.1, 78.7), "IN-KA": (15.3, 75.7),
    "TM-L": (39.1, 63.6), "TM-M": (37.6, 61.8), "TM-D": (41.8, 59.9),
    "PK-PB": (31.2, 72.3), "PK-SD": (25.9, 68.5), "CN-XJ": (41.1, 85.2), "CN-JS": (32.9, 119.8),
    "CN-ZJ": (29.1, 120.0), "BJ-BO": (9.5, 2.7), "BJ-AL": (11.1, 2.9), "BF-HOU": (11.2, -4.3),
    "US-TX": (31.0, -100.0), "TR-63": (37.2, 38.8), "TR-27": (37.1, 37.4), "TR-34": (41.0, 28.9),
    "BD-C": (23.8, 90.4), "BD-B": (22.4, 91.8), "VN-SG": (10.8, 106.7), "VN-57": (11.2, 106.6),
    "KH-12": (11.6, 104.9), "ET-SI": (6.9, 38.5),
    "CI-SM": (6.9, -6.4), "CI-GD": (5.9, -5.8), "CI-BS": (5.2, -6.9), "CI-LG": (5.5, -4.2), "CI-AB": (5.4, -4.0),
    "GH-AH": (6.7, -1.6), "GH-WP": (5.4, -2.1), "GH-AA": (5.6, -0.2), "NG-OS": (7.6, 4.5), "NG-ON": (7.1, 4.8),
    "CM-SW": (4.8, 9.3), "CM-CE": (4.6, 11.6), "EC-G": (-2.0, -79.9), "EC-M": (-1.0, -80.4),
    "CH-GE": (46.2, 6.1), "NL-NH": (52.4, 4.9), "BE-VAN": (51.2, 4.4), "DE-HH": (53.6, 10.0), "MY-01": (1.9, 103.4),
}

STAGES = {
    # stage: (count, kind, regions, name stems, commodity handled, commodity delivered downstream)
    "cotton_farm": (360, "farm", ["IN-GJ", "IN-MH", "TM-L", "TM-M", "TM-D", "PK-PB", "PK-SD", "CN-XJ", "BJ-BO", "BJ-AL", "BF-HOU", "US-TX", "TR-63"],
                    ["Smallholder cotton plot", "Cotton farm", "Family cotton farm"], "cotton", "cotton"),
    "gin": (40, "facility", ["IN-GJ", "IN-MH", "TM-L", "TM-M", "PK-PB", "CN-XJ", "BJ-BO", "BF-HOU", "US-TX", "TR-63"],
            ["Ginning Factory", "Cotton Gin", "Ginning & Pressing"], "cotton", "cotton-lint"),
    "spinner": (24, "facility", ["IN-TN", "PK-PB", "CN-JS", "TR-27", "VN-57"], ["Spinning Mills", "Yarn Industries", "Spintex"], "cotton-lint", "yarn"),
    "mill": (16, "facility", ["BD-C", "IN-TN", "TR-27", "CN-ZJ", "PK-SD"], ["Fabrics", "Textile Mills", "Weaving & Dyeing"], "yarn", "fabric"),
    "garment": (20, "facility", ["BD-C", "BD-B", "VN-SG", "KH-12", "IN-KA", "TR-34", "ET-SI"], ["Apparels", "Garments Ltd", "Fashion Wear"], "fabric", "garments"),
    "cocoa_farm": (300, "farm", ["CI-SM", "CI-GD", "CI-BS", "CI-LG", "GH-AH", "GH-WP", "NG-OS", "NG-ON", "CM-SW", "CM-CE", "EC-G", "EC-M"],
                   ["Cocoa smallholding", "Cocoa farm", "Family cocoa plot"], "cocoa", "cocoa"),
    "cooperative": (30, "facility", ["CI-SM", "CI-GD", "CI-BS", "GH-AH", "GH-WP", "NG-ON", "CM-SW", "EC-G"],
                    ["Cocoa Cooperative", "Farmers' Union", "Producers' Society"], "cocoa", "cocoa"),
    "trader": (8, "facility", ["CI-AB", "GH-AA", "CH-GE", "NL-NH"], ["Commodities Trading", "Cocoa Trading", "Agri Trade"], "cocoa", "cocoa"),
    "processor": (6, "facility", ["NL-NH", "BE-VAN", "DE-HH", "CI-AB", "MY-01", "GH-AA"], ["Cocoa Processing", "Grinding Works", "Cocoa Products"], "cocoa", "cocoa-products"),
}

CHAINS = {
    "cotton": ["garment", "mill", "spinner", "gin", "cotton_farm"],
    "cocoa": ["processor", "trader", "cooperative", "cocoa_farm"],
}
PREFIXES = ["Shree", "Sunrise", "Golden", "Delta", "Horizon", "Evergreen", "Silk Road", "Pioneer", "Unity", "Crescent",
            "Blue River", "Savanna", "Atlas", "Lotus", "Meridian", "Harmony", "Summit", "Oasis", "Cedar", "Jade"]
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


@dataclass
class DemoSite:
    ref: str
    stage: str
    name: str
    kind: str
    country: str
    subdivision: str
    latitude: float
    longitude: float
    commodity: str
    os_id: str | None
    workers: int
    migrant_share: float
    supplier_ref: str | None


@dataclass
class DemoLink:
    upstream: str
    downstream: str | None  # None: the company itself
    commodity: str
    share: float
    evidence_level: str


@dataclass
class DemoNetwork:
    sites: dict[str, DemoSite] = field(default_factory=dict)
    links: dict[str, list[DemoLink]] = field(default_factory=dict)  # company key → links


def os_id(rng: random.Random, country: str) -> str:
    """An Open Supply Hub-style ID: country, year and day of year, five random characters, a check character."""
    body = f"{country}{rng.randint(2019, 2024)}{rng.randint(1, 365):03d}" + "".join(rng.choice(CROCKFORD) for _ in range(5))
    return body + CROCKFORD[sum(ord(c) for c in body) % 32]


def make_site(rng: random.Random, stage: str, index: int) -> DemoSite:
    count, kind, regions, stems, handled, _ = STAGES[stage]
    subdivision = regions[index % len(regions)]
    country = subdivision[:2]
    lat, lon = REGIONS[subdivision]
    if kind == "farm":
        name = f"{rng.choice(stems)} {subdivision}-{index + 1:04d}"
        workers, migrants = rng.randint(2, 25), round(rng.uniform(0, 0.3), 2)
    else:
        name = f"{rng.choice(PREFIXES)} {rng.choice(stems)} {index + 1}"
        workers, migrants = rng.randint(40, 3000), round(rng.uniform(0, 0.6), 2)
    return DemoSite(
        ref=f"{stage}-{index + 1:03d}", stage=stage, name=name, kind=kind, country=country, subdivision=subdivision,
        latitude=round(lat + rng.uniform(-0.8, 0.8), 4), longitude=round(lon + rng.uniform(-0.8, 0.8), 4),
        commodity=handled, os_id=None if kind == "farm" else os_id(rng, country), workers=workers,
        migrant_share=migrants, supplier_ref=None if kind == "farm" else f"SUP-{stage}-{index + 1:03d}",
    )


def split_shares(rng: random.Random, n: int, total: float = 1.0) -> list[float]:
    """n positive shares adding up to `total`, rounded down to 4 decimals so the sum never exceeds it."""
    weights = [rng.uniform(0.2, 1.0) for _ in range(n)]
    scale = total / sum(weights)
    return [int(w * scale * 10_000) / 10_000 for w in weights]


def link_chain(rng: random.Random, net: DemoNetwork, stages: list[str], buyers: list[str], company: str) -> None:
    """Each buyer of one stage sources from 1–4 sites of the next stage upstream, with shares adding up to ≤ 1.

    Farms already in another company's chain are left out: without an Open Supply Hub ID, a farm that two
    companies both mapped would be two private registry entries, not one shared site.
    """
    links = net.links.setdefault(company, [])
    elsewhere = {link.upstream for other, other_links in net.links.items() if other != company for link in other_links}
    for downstream_stage, upstream_stage in zip(stages, stages[1:]):
        pool = [s.ref for s in net.sites.values()
                if s.stage == upstream_stage and not (s.kind == "farm" and s.ref in elsewhere)]
        used = set()
        downstream = [ref for ref in buyers if net.sites[ref].stage == downstream_stage]
        for buyer in downstream:
            wanted = rng.randint(6, 12) if upstream_stage.endswith("farm") else rng.randint(1, 4)
            chosen = rng.sample(pool, k=min(len(pool), wanted))
            used.update(chosen)
            commodity = STAGES[upstream_stage][5]
            for upstream, share in zip(chosen, split_shares(rng, len(chosen))):
                links.append(DemoLink(upstream, buyer, commodity, share, rng.choice(["documented", "declared", "declared", "inferred"])))
        buyers = buyers + sorted(used)


def build_demo_network(seed: int = 87) -> DemoNetwork:
    """The whole demo: Northwind Apparel (cotton) and Harbor Retail (cocoa, plus garments from shared factories)."""
    rng = random.Random(seed)
    net = DemoNetwork()
    for stage, (count, *_rest) in STAGES.items():
        for index in range(count):
            site = make_site(rng, stage, index)
            net.sites[site.ref] = site
    garments = [s.ref for s in net.sites.values() if s.stage == "garment"]
    northwind_factories = garments[:16]
    harbor_factories = garments[12:]  # four factories are shared with Northwind
    for company, factories, commodity in (("northwind", northwind_factories, "garments"), ("harbor", harbor_factories, "garments")):
        for ref, share in zip(factories, split_shares(rng, len(factories))):
            net.links.setdefault(company, []).append(DemoLink(ref, None, commodity, share, "documented"))
        link_chain(rng, net, CHAINS["cotton"], factories, company)
    processors = [s.ref for s in net.sites.values() if s.stage == "processor"]
    for ref, share in zip(processors, split_shares(rng, len(processors))):
        net.links["harbor"].append(DemoLink(ref, None, "cocoa-products", share, "documented"))
    link_chain(rng, net, CHAINS["cocoa"], processors, "harbor")
    add_trader_cycle(net)
    return net


def add_trader_cycle(net: DemoNetwork) -> None:
    """Traders buy small lots from each other: trader-001 → trader-002 → trader-003 → trader-001.

    The lot bought from another trader takes 5% of the buyer's input; its other shares shrink to make room.
    """
    cycle = ["trader-001", "trader-002", "trader-003"]
    links = net.links["harbor"]
    for seller, buyer in zip(cycle, cycle[1:] + cycle[:1]):
        for link in links:
            if link.downstream == buyer:
                link.share = int(link.share * 0.95 * 10_000) / 10_000
        links.append(DemoLink(seller, buyer, "cocoa", 0.05, "declared"))
