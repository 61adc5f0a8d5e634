"""The set-based network operation: a batch planned without writing, refusals keyed by row, then written.

The supply-map import (tests/imports/test_import_supply_map.py) drives it with whole files; these tests call
graph's operation directly, as another caller would.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from backend.batch import Outcome, Refusal
from backend.db.writer import Writer
from backend.tenancy import Viewer
from factories import add_link, add_site
from graph.models import NetworkSite, Site, Supplier, SupplyLink
from graph.services.links import ShareClaim, StoredShare, over_full_shares
from graph.services.network_batch import plan_network
from graph.services.network_rows import Kept, LinkRow, NetworkBatch, SiteResolution, SiteRow, SupplierKey, SupplierRow
from graph.services.network_write import write_network
from graph.signals import network_sites_joined

pytestmark = pytest.mark.django_db


def a_batch() -> NetworkBatch:
    """Row 2: mill M1 operated by supplier SUP1, supplying cotton to the company; row 3: gin G1 supplying M1."""
    supplier = SupplierKey("ref", "SUP1")
    return NetworkBatch(
        sites={
            "M1": SiteRow("M1", 2, {"name": "Mill One", "country": "IN"}, {"cotton"}, supplier, [2]),
            "G1": SiteRow("G1", 3, {"name": "Gin One", "country": "IN"}, {"cotton"}, None, [3]),
        },
        suppliers={supplier: SupplierRow(supplier, 2, "SUP1", {"name": "Spinning Co"}, "IN")},
        links=[LinkRow(2, "M1", None, "cotton", {"share": Decimal("0.6")}),
               LinkRow(3, "G1", "M1", "cotton", {"share": Decimal("1")})],
    )


def plan(user, batch: NetworkBatch, matched: dict | None = None):
    return plan_network(Viewer.of(user), batch, SiteResolution(matched or {}), str.casefold)


def test_planning_writes_nothing_and_credits_every_entity(analyst):
    planned = plan(analyst, a_batch())

    assert not Site.objects.exists() and not Supplier.objects.exists()
    assert planned.result.refusals == []
    assert planned.result.count(Outcome.CREATED, "supplier") == 1
    assert planned.result.count(Outcome.CREATED, "site") == 2
    assert planned.result.count(Outcome.CREATED, "link") == 2


def test_written_batch_is_found_unchanged_the_second_time(analyst):
    joined = []

    def receiver(sender, company, site_ids, **kwargs):
        joined.append(sorted(site_ids))

    network_sites_joined.connect(receiver)
    try:
        write_network(plan(analyst, a_batch()), Writer())
    finally:
        network_sites_joined.disconnect(receiver)

    mill = Site.objects.get(name="Mill One")
    assert mill.supplier.name == "Spinning Co"
    assert SupplyLink.objects.get(upstream__name="Gin One").downstream == mill
    assert joined == [sorted(Site.objects.values_list("pk", flat=True))]
    again = plan(analyst, a_batch(), {"M1": mill.pk, "G1": Site.objects.get(name="Gin One").pk})
    assert again.changes.records == 0
    assert again.result.count(Outcome.UNCHANGED) == 5


def test_shares_over_one_are_refused_on_each_row_giving_a_share(analyst):
    mill = add_site(analyst, "Mill", internal_ref="M1")
    add_link(analyst, add_site(analyst, "Old gin"), mill, share=0.5)
    batch = NetworkBatch(
        sites={"G1": SiteRow("G1", 4, {"name": "Gin One", "country": "IN"}, {"cotton"}, None, [4])},
        links=[LinkRow(4, "G1", "M1", "cotton", {"share": Decimal("0.7")})],
    )

    planned = plan(analyst, batch, {})

    assert planned.result.refusals == [Refusal(
        4, "share", "share_total",
        "The shares of this buyer's supply of this commodity add up to 1.2000 (row 4, with 0.5000 from your stored "
        "links); they cannot exceed 1 (100%) by more than the rounding tolerance of 0.01.",
        Decimal("0.7"),
    )]


def test_another_organizations_entry_is_joined_as_it_is(analyst, other_analyst):
    shared = add_site(other_analyst, "Shared mill", os_id="IN2024123ABC456")
    batch = NetworkBatch(sites={"S": SiteRow("S", 5, {"name": "Renamed mill", "country": "IN"}, None, None, [5])})

    planned = plan(analyst, batch, {"S": shared.pk})

    assert planned.result.kept == [Kept(5, "site", ("name",))]
    assert planned.changes.site_changes == {} and planned.changes.new_network_sites == {"S"}
    write_network(planned, Writer())
    assert NetworkSite.objects.get(company=analyst.organization).site == shared
    assert Site.objects.get(pk=shared.pk).name == "Shared mill"


def test_over_full_shares_groups_claims_with_the_stored_shares_they_leave():
    claims = [ShareClaim(1, "buyer", "cotton", Decimal("0.5")), ShareClaim(2, None, "cotton", Decimal("0.9")),
              ShareClaim(3, "buyer", "cotton", Decimal("0.3"))]
    stored = [StoredShare("buyer", "cotton", Decimal("0.25")), StoredShare("buyer", "silk", Decimal("1"))]

    [excess] = over_full_shares(claims, stored)

    assert (excess.downstream, excess.total, excess.others) == ("buyer", Decimal("1.05"), Decimal("0.25"))
    assert [claim.index for claim in excess.claims] == [1, 3]


def test_the_api_names_the_same_rule_on_one_link(analyst):
    mill = add_site(analyst, "Mill")
    add_link(analyst, add_site(analyst, "Gin A"), mill, share=0.7)

    with pytest.raises(ValidationError) as refused:
        add_link(analyst, add_site(analyst, "Gin B"), mill, share=0.4)

    assert refused.value.error_dict["share"][0].code == "out_of_range"
    assert "add up to 1.1000" in refused.value.error_dict["share"][0].message

