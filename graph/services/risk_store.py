"""Storing scores set-based: compare with the stored scores in numpy, write only what changed, by COPY.

1. The company's stored scores are read packed (risk_graph.column_arrays) and compared with the new ones in
   numpy: which rows are new, which changed (they are rewritten), whose propagated scores changed (they get a
   history row) and in which dimension a band rose (an alert). Bands are the engine's (`risk.band_ranks`), so
   the thresholds have one home. A run that changes nothing writes nothing.
2. History rows and new score rows go straight into their tables by binary COPY (backend/db/binary_copy.py),
   in site order: COPY writes a page at a time, where INSERT … SELECT writes (and logs) a row at a time.
3. Stored scores that changed or whose band rose are staged in a temporary table (one binary COPY), then two
   statements join it with the stored rows: alerts (keyed by the previous score's time, so a rise alerts once),
   then the update in place.
The company's advisory lock is taken before the stored scores are read, so no other computation changes them
between the comparison and the write; everything happens in the caller's transaction, so a reader sees the
scores of one computation or of the next, never a mix. Rows go in by site, the order of the indexes they
update, so that a million of them sweep each index once instead of touching its pages at random.
"""

import datetime
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models import Case, F, When
from django.db.models.functions import Coalesce

from backend.db.binary_copy import copy_arrays
from graph import risk
from graph.models import RiskAlert, RiskHistory, RiskScore
from graph.services.risk_graph import FLOAT, INT, TenantGraph, column_arrays, id_list

STAGE = "risk_stage"
SCORE_COLUMNS = ("child_labour", "forced_labour", "own_child_labour", "own_forced_labour", "inherent_child_labour",
                 "inherent_forced_labour")
BAND_COLUMNS = ("band", "child_labour_band", "forced_labour_band")
HISTORY_COLUMNS = ("company_id", "site_id", "child_labour", "forced_labour", "band", "methodology_version",
                   "computed_at")
NEW_SCORE_COLUMNS = ("company_id", "site_id", *SCORE_COLUMNS, *BAND_COLUMNS, "methodology_version", "computed_at")
STAGE_COLUMNS = ("site_id", "child", "forced", "own_child", "own_forced", "inherent_child", "inherent_forced",
                 "rewrite", "band", "child_band", "forced_band", "child_rose", "forced_rose")
STAGE_TYPES = ("bigint",) + ("double precision",) * 6 + ("boolean",) + ("smallint",) * 3 + ("boolean",) * 2
CHANGED = 1e-9
# An incremental run's cone reads its own stored rows through the (company, site) index; more sites than this
# read the company's rows in one scan, cheaper than a million index probes.
FEW_SITES = 20_000
RISK_LOCK_SPACE = 7301  # first key of the advisory lock; the second is the company's ID
# The update joins up to a million staged rows with the stored ones: a hash table that fits in memory (about
# 60 MB) instead of the default 4 MB, which splits the join into batches spilled to disk (3.2 s instead of 5.9 s).
JOIN_MEMORY = "128MB"


def lock_company(company_id: int) -> None:
    """One computation per company at a time (PostgreSQL advisory lock, released when the transaction ends);
    a second one waits, then finds only the changes recorded since."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [RISK_LOCK_SPACE, company_id])


@dataclass
class StoredScores:
    """The stored rows of a company's sites, aligned with the rows about to be written."""

    known: np.ndarray  # bool: the site has a stored score
    values: np.ndarray  # (n, 6) the stored SCORE_COLUMNS, 0 where unknown
    current: np.ndarray  # bool: stored under the methodology version being written
    band_ranks: np.ndarray  # (n, 2) rank of the stored child and forced bands among the methodology's bands


@dataclass
class Changes:
    """What writing new scores over the stored ones changes, row by row (rows sorted by site)."""

    new: np.ndarray  # bool: no stored score yet
    rewrite: np.ndarray  # bool: a stored score whose values or methodology changed
    record: np.ndarray  # bool: the propagated scores changed (or are new): a history row
    ranks: np.ndarray  # (n, 2) band ranks of the new child and forced scores
    worst: np.ndarray  # band rank of the higher of the two
    rose: np.ndarray  # (n, 2) bool: a stored score's band rose in that dimension


def stored_scores(company_id: int, site_ids: np.ndarray, methodology: risk.Methodology) -> StoredScores:
    """The company's stored site scores for these sites. A band name the methodology does not know ranks above
    all its bands, so that it never counts as risen from."""
    names = methodology.band_names
    rank = {
        dimension: (Case(*(When(**{f"{dimension}_band": name}, then=position) for position, name in enumerate(names)),
                         default=len(names)), INT)
        for dimension in ("child_labour", "forced_labour")
    }
    rows = RiskScore.objects.filter(company_id=company_id).order_by()
    rows = rows.filter(site_id__in=id_list(site_ids)) if len(site_ids) <= FEW_SITES else rows.filter(site__isnull=False)
    site, *values, current, child_rank, forced_rank = column_arrays(
        rows,
        site=(F("site_id"), INT), **{name: (F(name), FLOAT) for name in SCORE_COLUMNS},
        current=(Case(When(methodology_version=methodology.version, then=1), default=0), INT),
        child_rank=rank["child_labour"], forced_rank=rank["forced_labour"],
    )
    order = np.argsort(site)
    position = np.minimum(np.searchsorted(site[order], site_ids), max(len(site) - 1, 0))
    known = (site[order][position] == site_ids) if len(site) else np.zeros(len(site_ids), dtype=bool)
    row = order[position[known]]
    aligned = np.zeros((len(site_ids), len(SCORE_COLUMNS)))
    aligned[known] = np.column_stack(values)[row]
    ranks = np.zeros((len(site_ids), 2), dtype=np.int64)
    ranks[known] = np.column_stack([child_rank, forced_rank])[row]
    is_current = np.zeros(len(site_ids), dtype=bool)
    is_current[known] = current[row] == 1
    return StoredScores(known, aligned, is_current, ranks)


def stored_arrays(graph: TenantGraph, its_sites_only: bool = False) -> tuple[np.ndarray, ...]:
    """(scores, own, inherent, known) from the stored rows, aligned with the graph's nodes.

    Reads every row of the company, or, when `its_sites_only` (a cone and its inputs, graph/services/risk_cone.py),
    only those of the graph's sites and of the company, through the (company, site) index.
    """
    n = graph.network.n_nodes
    stored, known = np.zeros((n, len(SCORE_COLUMNS))), np.zeros(n, dtype=bool)
    rows = RiskScore.objects.filter(company_id=graph.company_id).order_by()
    # Two reads rather than one with OR, which PostgreSQL answers by scanning every row of the table
    parts = [rows.filter(site_id__in=id_list(graph.site_ids)), rows.filter(site__isnull=True)] if its_sites_only else [rows]
    site, *columns = (np.concatenate(column) for column in zip(*(column_arrays(
        part, site=(Coalesce("site_id", 0), INT), **{name: (F(name), FLOAT) for name in SCORE_COLUMNS},
    ) for part in parts)))
    nodes = graph.nodes_of(site)
    inside = nodes >= 0
    stored[nodes[inside]] = np.column_stack(columns)[inside]
    known[nodes[inside]] = True
    return stored[:, 0:2], stored[:, 2:4], stored[:, 4:6], known


def compare(stored: StoredScores, values: np.ndarray, methodology: risk.Methodology) -> Changes:
    """A value changed when it moved by more than CHANGED; a band rose when its rank grew."""
    moved = np.abs(stored.values - values) > CHANGED
    stale = ~stored.current
    ranks = risk.band_ranks(values[:, :2], methodology)
    return Changes(
        new=~stored.known,
        rewrite=stored.known & (stale | moved.any(axis=1)),
        record=~stored.known | stale | moved[:, :2].any(axis=1),
        ranks=ranks,
        worst=risk.band_ranks(values[:, :2].max(axis=1), methodology),
        rose=stored.known[:, None] & (ranks > stored.band_ranks),
    )


def store_site_scores(company_id: int, site_ids: np.ndarray, values: np.ndarray, methodology: risk.Methodology, computed_at) -> None:
    """Write history, alerts and the current scores of these sites (values: SCORE_COLUMNS per row)."""
    if len(site_ids) == 0:
        return
    lock_company(company_id)
    order = np.argsort(site_ids, kind="stable")
    site_ids, values = np.asarray(site_ids, dtype=np.int64)[order], np.asarray(values, dtype=np.float64)[order]
    changes = compare(stored_scores(company_id, site_ids, methodology), values, methodology)
    company = np.full(len(site_ids), company_id, dtype=np.int64)
    stamp = np.full(len(site_ids), np.datetime64(computed_at.astimezone(datetime.UTC).replace(tzinfo=None), "us"))
    version = np.full(len(site_ids), methodology.version.encode())
    names = np.array([name.encode() for name in methodology.band_names])
    rows = changes.record
    if rows.any():
        copy_arrays(RiskHistory._meta.db_table, company[rows], site_ids[rows], values[rows, :2],
                    names[changes.worst[rows]], version[rows], stamp[rows], columns=HISTORY_COLUMNS)
    staged = changes.rewrite | changes.rose.any(axis=1)
    if staged.any():
        stage_rows([site_ids[staged], values[staged], changes.rewrite[staged], changes.worst[staged],
                    changes.ranks[staged], changes.rose[staged]])
        write_staged(company_id, methodology, computed_at)
    rows = changes.new
    if rows.any():
        copy_arrays(RiskScore._meta.db_table, company[rows], site_ids[rows], values[rows], names[changes.worst[rows]],
                    names[changes.ranks[rows]], version[rows], stamp[rows], columns=NEW_SCORE_COLUMNS)
    if rows.sum() > FEW_SITES and connection.vendor == "postgresql":
        # Without fresh statistics the next incremental run, which may come seconds later, would read a cone's
        # stored rows by scanning the company's million instead of by site (0.7 s instead of 30 ms)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {RiskScore._meta.db_table}")


def stage_rows(columns: list[np.ndarray]) -> None:
    """Create the temporary stage table and fill it with rows of STAGE_COLUMNS (given as arrays, in order)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGE} ("
            + ", ".join(f"{name} {kind}" for name, kind in zip(STAGE_COLUMNS, STAGE_TYPES)) + ", PRIMARY KEY (site_id))"
        )
    copy_arrays(STAGE, *columns)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {STAGE}")


def band_name_sql(rank: str, methodology: risk.Methodology) -> str:
    """SQL CASE naming the band of a rank column (the ranks come from risk.band_ranks)."""
    cases = " ".join(f"WHEN {position} THEN '{name}'" for position, name in enumerate(methodology.band_names))
    return f"(CASE {rank} {cases} END)"


def write_staged(company_id: int, methodology: risk.Methodology, computed_at) -> None:
    """From the stage: the alerts of the rises, then the rewritten scores."""
    score, alert = RiskScore._meta.db_table, RiskAlert._meta.db_table
    params = {"company": company_id, "version": methodology.version, "at": computed_at}
    bands = ", ".join(band_name_sql(f"s.{column}", methodology) for column in ("band", "child_band", "forced_band"))
    dimension = "(CASE d.dimension WHEN 'child_labour' THEN {} ELSE {} END)"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SET LOCAL work_mem = '{JOIN_MEMORY}'")
        cursor.execute(
            f"""INSERT INTO {alert} (company_id, site_id, dimension, from_band, to_band, score, rise_of, created_at)
            SELECT %(company)s, s.site_id, d.dimension,
                {dimension.format('r.child_labour_band', 'r.forced_labour_band')},
                {band_name_sql(dimension.format('s.child_band', 's.forced_band'), methodology)},
                {dimension.format('s.child', 's.forced')}, r.computed_at, %(at)s
            FROM {STAGE} s JOIN {score} r ON r.company_id = %(company)s AND r.site_id = s.site_id
            CROSS JOIN (VALUES ('child_labour'), ('forced_labour')) AS d (dimension)
            WHERE (s.child_rose OR s.forced_rose) AND {dimension.format('s.child_rose', 's.forced_rose')}
            ON CONFLICT DO NOTHING""",
            params,
        )
        cursor.execute(
            f"""UPDATE {score} r SET child_labour = s.child, forced_labour = s.forced, own_child_labour = s.own_child,
                own_forced_labour = s.own_forced, inherent_child_labour = s.inherent_child,
                inherent_forced_labour = s.inherent_forced, ({', '.join(BAND_COLUMNS)}) = ({bands}),
                methodology_version = %(version)s, computed_at = %(at)s
            FROM {STAGE} s WHERE r.company_id = %(company)s AND r.site_id = s.site_id AND s.rewrite""",
            params,
        )
        cursor.execute(f"DROP TABLE {STAGE}")
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL work_mem TO DEFAULT")


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
