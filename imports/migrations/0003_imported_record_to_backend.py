"""ImportedRecord now belongs to backend (backend/migrations/0003): only Django's state forgets it here."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("imports", "0002_imported_record_members"),
        ("backend", "0003_imported_record"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="ImportedRecord")]),
    ]
