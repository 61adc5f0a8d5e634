"""The risk store (graph/services/risk_store.py) on PostgreSQL: what it compares in numpy and writes by COPY.

Scores are written straight through `store_site_scores`, so every value, band and time is chosen by the test.
"""

import datetime

import numpy as np
import pytest
from django.db import connection, transaction

from backend.db.binary_copy import copy_arrays
from factories import add_site
from graph import risk
from graph.models import RiskAlert, RiskHistory, RiskScore
from graph.services.risk_store import SCORE_COLUMNS, store_site_scores

METHODOLOGY = risk.DEFAULT_METHODOLOGY
REVISED = risk.Methodology(version="store-test-2")
FIRST = datetime.datetime(2026, 1, 5, 9, 30, 0, 123456, tzinfo=datetime.UTC)
SECOND = FIRST + datetime.timedelta(days=1)


@pytest.fixture
def sites(postgres, analyst):
    """Eight sites, whose scores below span every band (child and forced in different bands)."""
    return np.array(sorted(add_site(analyst, f"Site {i}", country="IN").pk for i in range(8)), dtype=np.int64)


def scores_of(child: list[float], forced: list[float]) -> np.ndarray:
    """Rows of SCORE_COLUMNS: the propagated scores given, own and inherent risk derived from them."""
    child, forced = np.array(child), np.array(forced)
    return np.column_stack([child, forced, child / 2, forced / 2, child / 4, forced / 4])


SPREAD = scores_of([0.0, 0.1, 0.3, 0.55, 0.8, 0.95, 0.2, 0.6], [0.9, 0.6, 0.05, 0.3, 0.8, 0.1, 0.7, 0.26])


def store(company, sites, values, methodology=METHODOLOGY, at=FIRST):
    transaction.atomic()(store_site_scores)(company.pk, sites, values, methodology, at)


def stored(company) -> dict[int, RiskScore]:
    return {row.site_id: row for row in RiskScore.objects.filter(company=company)}


def test_first_store_writes_every_value_band_and_time_as_given(company, sites):
    store(company, sites[::-1], SPREAD[::-1])  # given out of site order: stored by site all the same
    rows = stored(company)
    assert set(rows) == set(sites.tolist())
    for site, values in zip(sites.tolist(), SPREAD):
        row = rows[site]
        assert [getattr(row, column) for column in SCORE_COLUMNS] == values.tolist()
        assert (row.child_labour_band, row.forced_labour_band) == (risk.band(values[0], METHODOLOGY),
                                                                   risk.band(values[1], METHODOLOGY))
        assert row.band == risk.band(max(values[:2]), METHODOLOGY)
        assert (row.methodology_version, row.computed_at) == (METHODOLOGY.version, FIRST)
    history = {row.site_id: row for row in RiskHistory.objects.filter(company=company)}
    assert set(history) == set(sites.tolist())
    assert all(row.band == rows[site].band and row.computed_at == FIRST for site, row in history.items())


def test_a_store_that_changes_nothing_writes_nothing(company, sites):
    store(company, sites, SPREAD)
    store(company, sites, SPREAD + 1e-12, at=SECOND)
    assert {row.computed_at for row in RiskScore.objects.filter(company=company)} == {FIRST}
    assert RiskHistory.objects.filter(company=company).count() == len(sites)
    assert not RiskAlert.objects.filter(company=company).exists()


def test_a_changed_own_risk_rewrites_the_score_without_history(company, sites):
    store(company, sites, SPREAD)
    changed = SPREAD.copy()
    changed[2, 2] += 0.01  # own child labour of the third site only
    store(company, sites, changed, at=SECOND)
    rows = stored(company)
    assert rows[int(sites[2])].own_child_labour == changed[2, 2] and rows[int(sites[2])].computed_at == SECOND
    assert all(rows[int(site)].computed_at == FIRST for index, site in enumerate(sites) if index != 2)
    assert RiskHistory.objects.filter(company=company).count() == len(sites)


def test_a_revised_methodology_rewrites_every_score_with_history(company, sites):
    store(company, sites, SPREAD)
    store(company, sites, SPREAD, methodology=REVISED, at=SECOND)
    assert {(row.methodology_version, row.computed_at) for row in RiskScore.objects.filter(company=company)} == {
        (REVISED.version, SECOND)}
    assert RiskHistory.objects.filter(company=company, computed_at=SECOND).count() == len(sites)


def test_a_band_rise_alerts_once_from_the_stored_band_and_time(company, sites):
    store(company, sites, SPREAD)
    risen = SPREAD.copy()
    risen[0, 0] = 0.8  # the first site's child labour: low to severe; its forced labour stays
    store(company, sites, risen, at=SECOND)
    store(company, sites, risen + 1e-3, at=SECOND + datetime.timedelta(days=1))
    alert = RiskAlert.objects.get(company=company)
    assert (alert.site_id, alert.dimension, alert.from_band, alert.to_band, alert.score, alert.rise_of) == (
        int(sites[0]), "child_labour", "low", "severe", 0.8, FIRST)


def test_a_stored_band_the_methodology_does_not_name_never_counts_as_risen_from(company, sites):
    store(company, sites, SPREAD)
    RiskScore.objects.filter(company=company, site_id=int(sites[0])).update(child_labour_band="retired")
    risen = SPREAD.copy()
    risen[0, 0] = 0.8
    store(company, sites, risen, at=SECOND)
    assert not RiskAlert.objects.filter(company=company).exists()
    assert stored(company)[int(sites[0])].child_labour_band == "severe"


def test_text_of_any_width_and_timestamps_copy_as_given_in_order(postgres):
    names = np.array([b"caf\xc3\xa9", b"", b"low", b"medium"])  # numpy pads the shorter ones to six bytes
    at = np.array(["2026-01-05T09:30:00.123456", "1999-12-31T23:59:59.999999", "2000-01-01", "2000-01-01"],
                  dtype="datetime64[us]")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE copied (position serial, key bigint, name text, at timestamptz)")
        copy_arrays("copied", np.array([4, 3, 2, 1]), names, at, columns=("key", "name", "at"))
        cursor.execute("SELECT key, name, at FROM copied ORDER BY position")
        rows = cursor.fetchall()
        cursor.execute("DROP TABLE copied")
    utc = datetime.UTC
    assert rows == [(4, "café", datetime.datetime(2026, 1, 5, 9, 30, 0, 123456, tzinfo=utc)),
                    (3, "", datetime.datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=utc)),
                    (2, "low", datetime.datetime(2000, 1, 1, tzinfo=utc)),
                    (1, "medium", datetime.datetime(2000, 1, 1, tzinfo=utc))]
