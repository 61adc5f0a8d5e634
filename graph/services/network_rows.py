"""The rows a batch of a company's network is given in, and what planning the batch finds.

A batch (`NetworkBatch`) describes suppliers, sites and links, each named by the company's own references, with
the row index it comes from (an import's row number; 0 for a batch of one). Refusals name the attribute of the
row they are about, in the flat vocabulary of a network row: `supplier_ref`, `supplier_lei`, `supplier_duns`,
`supplier_tax_id`, `site_ref`, `os_id`, `share` (the supply-map template's columns bear the same names).
"""

import hashlib
from dataclasses import dataclass, field
from typing import NamedTuple

from backend.batch import BatchResult, Refusal


class SupplierKey(NamedTuple):
    """How the rows about one supplier are recognised as such: by `kind` ("ref", "lei", "duns", "tax_id" or
    "name"), its `value` (the reference, the identifier, the normalised name) and, for a tax id or a name, the
    `country` it is unique in."""

    kind: str
    value: str
    country: str | None = None


@dataclass
class SupplierRow:
    """A supplier as the batch describes it (first row `index`): registry attributes in `values`."""

    key: SupplierKey
    index: int
    ref: str | None
    values: dict = field(default_factory=dict)
    site_country: str | None = None

    @property
    def country(self) -> str | None:
        """The supplier's country: its own, else the country of the site it operates."""
        return self.values.get("country") or self.site_country


@dataclass
class SiteRow:
    """A site as the batch describes it: its reference, registry attributes, the commodity codes it produces,
    the supplier operating it, what else the company says of it (`extra`: name → distinct values, kept on the
    company's network entry); `index` is its first row and `indexes` every row about it."""

    ref: str
    index: int
    values: dict = field(default_factory=dict)
    commodities: set[str] | None = None
    supplier_key: SupplierKey | None = None
    indexes: list[int] = field(default_factory=list)
    extra: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class LinkRow:
    """Site `upstream_ref` supplies `commodity` (a code) to site `buyer_ref`, or to the company itself (None)."""

    index: int
    upstream_ref: str
    buyer_ref: str | None
    commodity: str
    values: dict
    own_ref: str | None = None  # the link's reference, when the row gives one

    @property
    def external_ref(self) -> str:
        """The link's stable reference: its own, else site, buyer and commodity (hashed when it would exceed
        100 characters)."""
        if self.own_ref:
            return self.own_ref
        ref = f"{self.upstream_ref}>{self.buyer_ref or '*'}>{self.commodity}"
        if len(ref) <= 100:
            return ref
        return "import:" + hashlib.sha256(ref.encode()).hexdigest()[:40]


@dataclass
class NetworkBatch:
    """Suppliers by key, sites by reference, and links, as a batch gives them to `plan_network`."""

    sites: dict[str, SiteRow] = field(default_factory=dict)
    suppliers: dict[SupplierKey, SupplierRow] = field(default_factory=dict)
    links: list[LinkRow] = field(default_factory=list)


@dataclass(frozen=True)
class SiteResolution:
    """Which registry site each uploaded site reference is (`matched`), and the references still waiting for a
    person's decision (`awaiting_review`): those, and the links using them, are left out of the plan."""

    matched: dict[str, int]
    awaiting_review: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Kept:
    """Row `index` joins a shared registry entry (`noun`: "supplier" or "site") that another organization
    registered: its `fields` differing from the entry were not applied (a notice, not a refusal)."""

    index: int
    noun: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class SharesRounded:
    """Row `index` gives one of the shares of a buyer's supply of a commodity that add up to `total`, over 1 by no
    more than the rounding tolerance (network_batch.py's SHARE_ROUNDING), with the other `rows` (a notice: they are
    accepted, and the methodology normalises a buyer's shares)."""

    index: int
    total: object
    rows: tuple[int, ...]


@dataclass
class NetworkResult(BatchResult):
    """BatchResult, with the notices of entries kept as they are and of shares over 1 by rounding; `reported` holds
    refusals and notices in the order planning found them (an import lists its problems in that order)."""

    kept: list[Kept] = field(default_factory=list)
    rounded: list[SharesRounded] = field(default_factory=list)
    reported: list[Refusal | Kept | SharesRounded] = field(default_factory=list)

    def refuse(self, index: int, field_name: str | None, code: str, message: str, value=None) -> None:
        super().refuse(index, field_name, code, message, value)
        self.reported.append(self.refusals[-1])

    def keep(self, index: int, noun: str, fields) -> None:
        self.kept.append(Kept(index, noun, tuple(fields)))
        self.reported.append(self.kept[-1])

    def round_off(self, index: int, total, rows) -> None:
        self.rounded.append(SharesRounded(index, total, tuple(rows)))
        self.reported.append(self.rounded[-1])
