"""`python manage.py load_reference dol PATH [--edition YEAR]`: load a DOL List of Goods (CSV or official XLSX)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from graph.services.reference import load_dol


class Command(BaseCommand):
    help = "Load reference data. `dol PATH`: the US DOL List of Goods, as the shipped CSV or DOL's official XLSX."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["dol"])
        parser.add_argument("path")
        parser.add_argument("--edition", help="Edition name, e.g. 2024 (default: the first 4 digits in the file name).")

    def handle(self, kind, path, edition=None, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No file at {path}.")
        digits = "".join(ch if ch.isdigit() else " " for ch in file.stem).split()
        edition = edition or next((d for d in digits if len(d) == 4), None)
        if not edition:
            raise CommandError("Give --edition (e.g. --edition 2024): the file name has no year in it.")
        try:
            count = load_dol(file, edition)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"Loaded {count} DOL listings as edition {edition}; risk uses the newest edition.")
