"""ImportedRecord moves from imports to backend: only Django's state changes, the table stays as it is."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("backend", "0002_outbox"),
        ("imports", "0002_imported_record_members"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportedRecord",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("entity", models.CharField(max_length=20)),
                        ("ref", models.CharField(max_length=255)),
                        ("object_id", models.BigIntegerField()),
                        ("fingerprint", models.CharField(max_length=32)),
                        ("members", models.JSONField(blank=True, default=dict)),
                        ("organization", models.ForeignKey(
                            on_delete=django.db.models.deletion.CASCADE, related_name="+", to="backend.organization")),
                    ],
                    options={
                        "db_table": "imports_importedrecord",
                        "constraints": [models.UniqueConstraint(
                            fields=("organization", "entity", "ref"), name="imported_record_unique_ref")],
                    },
                ),
            ],
        ),
    ]
