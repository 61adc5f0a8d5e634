"""Storing scores set-based: stage them in a temporary table, then let SQL write history, alerts and scores.

The stage is filled by backend/db/binary_copy.py (a binary COPY built by numpy on PostgreSQL, one executemany
elsewhere). Then three statements do the rest, whatever the size:
1. history: a row for every node whose scores changed (or are new);
2. alerts: one per dimension whose band rose, keyed by the previous score's time so a rise alerts once;
3. scores: upsert of the staged nodes whose values changed (an unchanged score keeps its row and its time).
Rows go in by site, the order of the indexes they update, so that a million of them sweep each index once
instead of touching its pages at random.
"""

import numpy as np
from django.db import connection

from backend.db.binary_copy import copy_keyed_floats
from graph import risk
from graph.models import RiskAlert, RiskHistory, RiskScore

STAGE = "risk_stage"
STAGE_COLUMNS = ("site_id", "child", "forced", "own_child", "own_forced", "inherent_child", "inherent_forced")
CHANGED = 1e-9


def band_sql(column: str, methodology: risk.Methodology) -> str:
    """SQL CASE giving the band of a score column, from the methodology's thresholds."""
    names, thresholds = methodology.band_names, methodology.band_thresholds
    cases = " ".join(f"WHEN {column} >= {t!r} THEN '{names[i + 1]}'" for i, t in reversed(list(enumerate(thresholds))))
    return f"(CASE {cases} ELSE '{names[0]}' END)"


def rank_sql(column: str, methodology: risk.Methodology) -> str:
    cases = " ".join(f"WHEN '{name}' THEN {rank}" for rank, name in enumerate(methodology.band_names))
    return f"(CASE {column} {cases} END)"


def changed_sql(table: str, new: str) -> str:
    """SQL true when the new row's values differ from the stored ones (so unchanged rows are not rewritten)."""
    columns = ("child_labour", "forced_labour", "own_child_labour", "own_forced_labour", "inherent_child_labour",
               "inherent_forced_labour")
    differs = " OR ".join(f"ABS({table}.{c} - {new}.{c}) > {CHANGED}" for c in columns)
    return f"({differs} OR {table}.methodology_version <> {new}.methodology_version)"


def stage_rows(site_ids: np.ndarray, values: np.ndarray) -> None:
    """Create the temporary stage table and fill it with (site_id, six scores) rows."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGE} (site_id bigint PRIMARY KEY, "
            + ", ".join(f"{c} double precision" for c in STAGE_COLUMNS[1:]) + ")"
        )
    copy_keyed_floats(STAGE, site_ids, values)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {STAGE}")


def store_site_scores(company_id: int, site_ids: np.ndarray, values: np.ndarray, methodology: risk.Methodology, computed_at) -> None:
    """Write history, alerts and the current scores of these sites (values: STAGE_COLUMNS[1:] per row)."""
    if len(site_ids) == 0:
        return
    stage_rows(site_ids, values)
    score, history, alert = RiskScore._meta.db_table, RiskHistory._meta.db_table, RiskAlert._meta.db_table
    worst = "(CASE WHEN s.child > s.forced THEN s.child ELSE s.forced END)"
    params = {"company": company_id, "version": methodology.version, "at": computed_at}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {history} (company_id, site_id, child_labour, forced_labour, band, methodology_version, computed_at)
            SELECT %(company)s, s.site_id, s.child, s.forced, {band_sql(worst, methodology)}, %(version)s, %(at)s
            FROM {STAGE} s LEFT JOIN {score} r ON r.company_id = %(company)s AND r.site_id = s.site_id
            WHERE r.id IS NULL OR ABS(r.child_labour - s.child) > {CHANGED} OR ABS(r.forced_labour - s.forced) > {CHANGED}
               OR r.methodology_version <> %(version)s
            ORDER BY s.site_id""",
            params,
        )
        value = "(CASE d.dimension WHEN 'child_labour' THEN s.child ELSE s.forced END)"
        old_band = "(CASE d.dimension WHEN 'child_labour' THEN r.child_labour_band ELSE r.forced_labour_band END)"
        cursor.execute(
            f"""INSERT INTO {alert} (company_id, site_id, dimension, from_band, to_band, score, rise_of, created_at)
            SELECT %(company)s, s.site_id, d.dimension, {old_band}, {band_sql(value, methodology)}, {value},
                r.computed_at, %(at)s
            FROM {STAGE} s JOIN {score} r ON r.company_id = %(company)s AND r.site_id = s.site_id
            CROSS JOIN (SELECT 'child_labour' AS dimension UNION ALL SELECT 'forced_labour') d
            WHERE {rank_sql(band_sql(value, methodology), methodology)} > {rank_sql(old_band, methodology)}
            ON CONFLICT DO NOTHING""",
            params,
        )
        cursor.execute(
            f"""INSERT INTO {score} (company_id, site_id, child_labour, forced_labour, own_child_labour, own_forced_labour,
                inherent_child_labour, inherent_forced_labour, band, child_labour_band, forced_labour_band,
                methodology_version, computed_at)
            SELECT %(company)s, s.site_id, s.child, s.forced, s.own_child, s.own_forced, s.inherent_child, s.inherent_forced,
                {band_sql(worst, methodology)}, {band_sql('s.child', methodology)}, {band_sql('s.forced', methodology)},
                %(version)s, %(at)s
            FROM {STAGE} s WHERE 1 = 1 ORDER BY s.site_id
            ON CONFLICT (company_id, site_id) DO UPDATE SET child_labour = excluded.child_labour,
                forced_labour = excluded.forced_labour, own_child_labour = excluded.own_child_labour,
                own_forced_labour = excluded.own_forced_labour, inherent_child_labour = excluded.inherent_child_labour,
                inherent_forced_labour = excluded.inherent_forced_labour, band = excluded.band,
                child_labour_band = excluded.child_labour_band, forced_labour_band = excluded.forced_labour_band,
                methodology_version = excluded.methodology_version, computed_at = excluded.computed_at
            WHERE {changed_sql(score, 'excluded')}""",
            params,
        )
        cursor.execute(f"DROP TABLE {STAGE}")


def store_company_score(company_id: int, row: np.ndarray, methodology: risk.Methodology, computed_at) -> None:
    """The company's own node (site None): one row, written through the ORM with the same rules."""
    child, forced, own_child, own_forced, inherent_child, inherent_forced = map(float, row)
    bands = {d: risk.band(v, methodology) for d, v in (("child_labour", child), ("forced_labour", forced))}
    previous = RiskScore.objects.filter(company_id=company_id, site__isnull=True).first()
    if previous is None or abs(previous.child_labour - child) > CHANGED or abs(previous.forced_labour - forced) > CHANGED:
        RiskHistory.objects.create(company_id=company_id, site=None, child_labour=child, forced_labour=forced,
                                   band=risk.band(max(child, forced), methodology),
                                   methodology_version=methodology.version, computed_at=computed_at)
    if previous is not None:
        for dimension, new_band in bands.items():
            old_band = getattr(previous, f"{dimension}_band")
            if methodology.band_names.index(new_band) > methodology.band_names.index(old_band):
                RiskAlert.objects.get_or_create(
                    company_id=company_id, site=None, dimension=dimension, to_band=new_band, rise_of=previous.computed_at,
                    defaults={"from_band": old_band, "score": child if dimension == "child_labour" else forced},
                )
    RiskScore.objects.update_or_create(
        company_id=company_id, site=None,
        defaults=dict(child_labour=child, forced_labour=forced, own_child_labour=own_child, own_forced_labour=own_forced,
                      inherent_child_labour=inherent_child, inherent_forced_labour=inherent_forced,
                      band=risk.band(max(child, forced), methodology), child_labour_band=bands["child_labour"],
                      forced_labour_band=bands["forced_labour"], methodology_version=methodology.version,
                      computed_at=computed_at),
    )
