"""Load the commodity reference list shipped in graph/data/commodities.json."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "commodities.json"


def load_commodities(apps, schema_editor):
    Commodity = apps.get_model("graph", "Commodity")
    for row in json.loads(DATA.read_text()):
        Commodity.objects.update_or_create(code=row["code"], defaults=row)


class Migration(migrations.Migration):
    dependencies = [("graph", "0001_initial")]
    operations = [migrations.RunPython(load_commodities, migrations.RunPython.noop)]
