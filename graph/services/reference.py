"""Loading the US DOL List of Goods: the shipped CSV, or DOL's official XLSX layout for newer editions.

CSV (as shipped in graph/data/): good, country_iso2, child_labor, forced_labor, forced_child_labor, derived (0/1).
Official XLSX: `Country, Good, Child Labor, Forced Labor`, an `X` marking a flag; country names are mapped to
ISO codes (DOL writes e.g. "Burma", "Kyrgyz Republic", "Turkey (Türkiye)").
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from python_calamine import CalamineWorkbook

from graph.countries import country_code_of, country_suggestions
from graph.models import DolListing
from graph.services.dol_alerts import alert_new_listings

SHIPPED_DOL = Path(__file__).resolve().parent.parent / "data" / "dol_goods_list_2022.csv"


@dataclass(frozen=True)
class DolRow:
    good: str
    country: str
    child_labor: bool
    forced_labor: bool
    forced_child_labor: bool = False
    derived: bool = False


def country_iso2(name: str, where: str) -> str:
    """ISO alpha-2 code for a country as DOL names it (graph/countries.py); a clear error naming the row otherwise."""
    code = country_code_of(name.strip())
    if code is None:
        nearest = country_suggestions(name.strip())
        hint = f" Did you mean {' or '.join(nearest)}?" if nearest else ""
        raise ValidationError(f"{where}: unknown country '{name}'.{hint}", code="invalid_country")
    return code


def flag(value) -> bool:
    return str(value).strip().upper() in {"1", "X", "TRUE", "YES"}


def read_dol_csv(path: Path) -> list[DolRow]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    missing = {"good", "child_labor", "forced_labor"} - set(rows[0] if rows else {})
    if missing:
        raise ValidationError(f"{path.name}: missing column(s) {', '.join(sorted(missing))}.", code="invalid")
    return [
        DolRow(
            good=row["good"].strip(),
            country=(row.get("country_iso2") or "").strip().upper()
            or country_iso2(row.get("country_name", ""), f"{path.name} line {number}"),
            child_labor=flag(row["child_labor"]), forced_labor=flag(row["forced_labor"]),
            forced_child_labor=flag(row.get("forced_child_labor", "0")), derived=flag(row.get("derived", "0")),
        )
        for number, row in enumerate(rows, start=2)
    ]


def read_dol_xlsx(path: Path) -> list[DolRow]:
    """DOL's official workbook: the first sheet whose header has Country, Good, Child Labor, Forced Labor."""
    workbook = CalamineWorkbook.from_path(str(path))
    for name in workbook.sheet_names:
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=True)
        for header_index, header in enumerate(rows[:10]):
            columns = {str(cell).strip().lower(): i for i, cell in enumerate(header)}
            if {"country", "good", "child labor", "forced labor"} <= set(columns):
                return [
                    DolRow(
                        good=str(row[columns["good"]]).strip(),
                        country=country_iso2(str(row[columns["country"]]), f"{path.name} sheet {name} row {number}"),
                        child_labor=flag(row[columns["child labor"]]), forced_labor=flag(row[columns["forced labor"]]),
                    )
                    for number, row in enumerate(rows[header_index + 1 :], start=header_index + 2)
                    if str(row[columns["good"]]).strip()
                ]
    raise ValidationError(f"{path.name}: no sheet has the columns Country, Good, Child Labor, Forced Labor.", code="invalid")


@transaction.atomic
def load_dol(path: Path, edition: str) -> int:
    """Replace one edition of the DOL list with the file's rows (all or nothing); returns the row count.

    A listing the edition already holds keeps its row (its flags updated), so that loading an edition again
    leaves the IDs that alerts name (graph/services/dol_alerts.py) as they were."""
    rows = read_dol_xlsx(path) if path.suffix.lower() in (".xlsx", ".xlsm") else read_dol_csv(path)
    if not rows:
        raise ValidationError(f"{path.name}: no rows.", code="invalid")
    unique = {(r.good, r.country): r for r in rows}
    stored = DolListing.objects.filter(edition=edition).values_list("pk", "good", "country")
    DolListing.objects.filter(pk__in=[pk for pk, good, country in stored if (good, country) not in unique]).delete()
    DolListing.objects.bulk_create(
        (DolListing(edition=edition, good=r.good, country=r.country, child_labor=r.child_labor,
                    forced_labor=r.forced_labor, forced_child_labor=r.forced_child_labor, derived=r.derived)
         for r in unique.values()),
        update_conflicts=True, unique_fields=["edition", "good", "country"],
        update_fields=["child_labor", "forced_labor", "forced_child_labor", "derived"],
    )
    alert_new_listings(edition)
    return len(unique)


def current_edition() -> str | None:
    """The newest loaded edition (editions are named by year, so the largest name is the newest)."""
    return DolListing.objects.order_by("-edition").values_list("edition", flat=True).first()
