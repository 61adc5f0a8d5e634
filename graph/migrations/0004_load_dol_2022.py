"""Load the shipped 2022 edition of the US DOL List of Goods (graph/data/dol_goods_list_2022.csv)."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "dol_goods_list_2022.csv"


def load(apps, schema_editor):
    DolListing = apps.get_model("graph", "DolListing")
    with open(DATA, newline="", encoding="utf-8") as handle:
        rows = {(r["good"], r["country_iso2"]): r for r in csv.DictReader(handle)}
    DolListing.objects.bulk_create(
        DolListing(edition="2022", good=good, country=country, child_labor=r["child_labor"] == "1",
                   forced_labor=r["forced_labor"] == "1", forced_child_labor=r["forced_child_labor"] == "1",
                   derived=r["derived"] == "1")
        for (good, country), r in rows.items()
    )


class Migration(migrations.Migration):
    dependencies = [("graph", "0003_risk")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
