"""A supply map that changes a stored supplier, site or link stamps the rows it changes with the time of the change
(their `updated_at`), as saving one through the API does: readers of the network sort and sync by it."""

import datetime
from decimal import Decimal

import pytest

from backend.db.writer import Writer
from backend.tenancy import Viewer
from graph.models import Site, Supplier, SupplyLink
from graph.services.network_batch import plan_network
from graph.services.network_rows import LinkRow, NetworkBatch, SiteResolution, SiteRow, SupplierKey, SupplierRow
from graph.services.network_write import write_network

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
SUPPLIER = SupplierKey("ref", "SUP1")


def a_map(mill_name: str, supplier_name: str, share: str) -> NetworkBatch:
    """Mill M1, operated by supplier SUP1, supplying cotton to the company at `share`."""
    return NetworkBatch(
        sites={"M1": SiteRow("M1", 2, {"name": mill_name, "country": "IN"}, {"cotton"}, SUPPLIER, [2])},
        suppliers={SUPPLIER: SupplierRow(SUPPLIER, 2, "SUP1", {"name": supplier_name}, "IN")},
        links=[LinkRow(2, "M1", None, "cotton", {"share": Decimal(share)})],
    )


def write(user, batch: NetworkBatch, matched: dict) -> None:
    planned = plan_network(Viewer.of(user), batch, SiteResolution(matched), str.casefold)
    assert planned.result.refusals == []
    write_network(planned, Writer())


def test_the_stored_rows_a_supply_map_changes_get_a_new_updated_at(analyst):
    write(analyst, a_map("Mill One", "Spinning Co", "0.6"), {})
    mill = Site.objects.get(name="Mill One")
    for model in (Site, Supplier, SupplyLink):
        model.objects.update(updated_at=LONG_AGO)  # QuerySet.update stamps nothing

    write(analyst, a_map("Mill One Renamed", "Spinning Company", "0.7"), {"M1": mill.pk})

    assert Site.objects.get(pk=mill.pk).name == "Mill One Renamed"
    for model in (Site, Supplier, SupplyLink):
        assert [row.updated_at > LONG_AGO for row in model.objects.all()] == [True], model.__name__
