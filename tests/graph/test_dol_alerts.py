"""A new DOL edition alerts the companies whose region watch it matches and that source the good from the country
(graph/services/dol_alerts.py), once, even when the edition is loaded again."""

import csv
from pathlib import Path

import pytest

from backend.models import Role
from backend.tenancy import Viewer
from factories import add_link, add_site
from graph.models import AlertKind, RiskAlert
from graph.services.reference import load_dol
from graph.services.region_watch import set_region_watch

SHIPPED = Path(__file__).resolve().parents[2] / "graph" / "data" / "dol_goods_list_2022.csv"


@pytest.fixture
def edition_2024(tmp_path):
    """The 2022 list plus cotton from Greece (a country the 2022 list does not name for cotton)."""
    rows = list(csv.DictReader(SHIPPED.open(encoding="utf-8")))
    assert not any(row["good"] == "Cotton" and row["country_iso2"] == "GR" for row in rows)
    rows.append({**rows[0], "good": "Cotton", "country_name": "Greece", "country_iso2": "GR", "child_labor": "0",
                 "forced_labor": "1", "forced_child_labor": "0", "derived": "0"})
    path = tmp_path / "dol_2024.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def sourcing_greek_cotton(make_org, make_user, name: str):
    user = make_user(make_org(name), Role.ANALYST)
    add_link(user, add_site(user, f"{name} gin", country="GR"), None, share=0.5)
    return user


def test_a_new_listing_alerts_watching_companies_that_source_it_once(make_org, make_user, edition_2024):
    watching = sourcing_greek_cotton(make_org, make_user, "Company A")
    unwatched = sourcing_greek_cotton(make_org, make_user, "Company B")
    elsewhere = make_user(make_org("Company C"), Role.ANALYST)
    add_link(elsewhere, add_site(elsewhere, "Indian gin", country="IN"), None, share=0.5)
    set_region_watch(Viewer.of(watching), ["GR"], [], [])
    set_region_watch(Viewer.of(elsewhere), ["GR", "IN"], [], ["cotton"])
    load_dol(edition_2024, "2024")
    load_dol(edition_2024, "2024")
    alerts = RiskAlert.objects.filter(kind=AlertKind.DOL_LISTING)
    assert [(alert.company_id, alert.summary) for alert in alerts] == [
        (watching.organization.pk, "New DOL listing (2024): Cotton from GR (forced labour)")]
    assert not alerts.filter(company__in=[unwatched.organization, elsewhere.organization]).exists()


def test_a_watch_on_other_goods_raises_nothing(make_org, make_user, edition_2024):
    user = sourcing_greek_cotton(make_org, make_user, "Company A")
    set_region_watch(Viewer.of(user), [], [], ["cocoa"])
    load_dol(edition_2024, "2024")
    assert not RiskAlert.objects.filter(kind=AlertKind.DOL_LISTING).exists()
