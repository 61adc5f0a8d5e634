"""Risk propagation benchmark: the engine against its scipy floor, then the full service on PostgreSQL.

    .venv/bin/python bench/propagation.py [--sizes 100000:500000,1000000:5000000] [--skip-db]

For each size it prints, in one run:
- the engine figures of bench/propagation_engine.py (full recompute, peak memory, the scipy sparse fixed-point
  floor on the same graph and the ratio, incremental time after one changed node, one explanation);
- with PostgreSQL (database `tributary_bench_propagation`, or $BENCH_PROPAGATION_DB, on DATABASE_URL's server,
  default 127.0.0.1): the same synthetic network stored as sites and links of one company, then `compute_risk`
  split into its steps — database load (columns packed by PostgreSQL), own risk (DOL inherent risk + evidence),
  propagation, store (comparison with the stored scores, binary COPY of history and new scores, update of the
  changed ones) — and an incremental run after one new critical finding, database included.
Goals: 1M/5M engine ≤ 3× floor and ≤ 1 GB; full recompute including database ≤ 30 s; incremental on 100k ≤ 50 ms
engine time; one explanation on 1M ≤ 200 ms.
"""

import argparse
import dataclasses
import datetime
import io
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from propagation_engine import BRAND, FARM, parse_sizes, run_engine_bench, synthetic_network  # noqa: E402

# Named by the environment so two people can bench on one server without dropping each other's database
BENCH_DB = os.environ.get("BENCH_PROPAGATION_DB", "tributary_bench_propagation")
COUNTRIES = np.array(["IN", "TM", "CN", "BD", "CI", "GH", "TR", "PK", "VN", "US"])


def setup_django() -> None:
    server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres").rsplit("/", 1)[0]
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    os.environ["DATABASE_URL"] = f"{server}/{BENCH_DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    os.environ.setdefault("DEBUG", "1")
    # Storing the synthetic 5M-link network is the bench's set-up, not a request: an hour, not the 60 s a request gets
    os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "3600")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def copy_frame(table: str, frame) -> None:
    """COPY a pandas frame into a table (text format, tab-separated)."""
    from django.db import connection

    buffer = io.StringIO()
    frame.to_csv(buffer, sep="\t", header=False, index=False, na_rep="\\N")
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({', '.join(frame.columns)}) FROM STDIN") as copy:
            copy.write(buffer.getvalue())


def store_synthetic_network(n_nodes: int, n_links: int, seed: int):
    """One company whose sites are the synthetic nodes; brands deliver to the company. Returns (company, tiers)."""
    import pandas as pd
    from django.db import connection

    from backend.models import Organization
    from django.db.models import Max

    from graph.models import Commodity, Site

    network, tiers = synthetic_network(n_nodes, n_links, seed)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # setup only: skip FK triggers while loading
    company = Organization.objects.create(name=f"Bench {n_nodes}", kind="company")
    now = datetime.datetime.now(datetime.UTC).isoformat()
    offset = Site.objects.aggregate(top=Max("id"))["top"] or 0
    site_ids = offset + np.arange(1, n_nodes + 1)
    rng = np.random.default_rng(seed)
    copy_frame("graph_site", pd.DataFrame({
        "id": site_ids, "name": [f"Site {i}" for i in site_ids], "kind": np.where(tiers == FARM, "farm", "facility"),
        "address": "", "country": COUNTRIES[rng.integers(0, len(COUNTRIES), n_nodes)], "subdivision": "",
        "is_public": False, "created_at": now, "updated_at": now, "migrant_share": rng.integers(0, 5, n_nodes) / 10,
    }))
    commodity = Commodity.objects.get(code="cotton").pk
    copy_frame("graph_site_commodities", pd.DataFrame({"site_id": site_ids, "commodity_id": commodity}))
    copy_frame("graph_networksite", pd.DataFrame({"company_id": company.pk, "site_id": site_ids, "added_at": now,
                                                   "extra": "{}"}))
    brands = np.flatnonzero(tiers == BRAND)
    upstream = np.concatenate([network.upstream, brands]) + 1 + offset
    downstream = np.concatenate([network.downstream + 1 + offset, np.zeros(len(brands), dtype=np.int64)])
    share = np.concatenate([network.share, np.full(len(brands), 1.0 / len(brands))])
    copy_frame("graph_supplylink", pd.DataFrame({
        "company_id": company.pk, "upstream_id": upstream,
        "downstream_id": pd.array(np.where(downstream == 0, None, downstream), dtype="Int64"),
        "commodity_id": commodity, "share": np.round(share, 6), "volume_unit": "", "evidence_level": "declared",
        "created_at": now, "updated_at": now,
    }))
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("SELECT setval('graph_site_id_seq', %s)", [offset + n_nodes])
        cursor.execute("ANALYZE")
    return company, tiers


def timed(function):
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def run_database_bench(n_nodes: int, n_links: int, seed: int) -> None:
    from django.db import transaction

    from graph import risk
    from graph.services import risk as service
    from graph.services.evidence_feed import SiteEvidence, register_evidence_provider
    from graph.services.risk_graph import load_tenant_graph

    (company, tiers), setup_seconds = timed(lambda: store_synthetic_network(n_nodes, n_links, seed))
    methodology = risk.DEFAULT_METHODOLOGY
    print(f"-- PostgreSQL, {n_nodes:,} sites / {n_links:,} links (+ brand → company links); setup {setup_seconds:.1f} s")
    graph, load_seconds = timed(lambda: load_tenant_graph(company))
    (inherent, own), own_seconds = timed(lambda: service.fresh_own(graph, methodology, None))
    prepared = risk.prepare(graph.network)
    result, propagate_seconds = timed(lambda: risk.propagate(prepared, own, methodology))
    nodes = np.arange(graph.network.n_nodes)
    _, store_seconds = timed(lambda: transaction.atomic()(service.store)(
        graph, nodes, result.scores, own, inherent, methodology, datetime.datetime.now(datetime.UTC)))
    print(f"database load (packed)    {load_seconds:8.2f} s")
    print(f"own risk (DOL + evidence) {own_seconds:8.2f} s")
    print(f"propagation (engine)      {propagate_seconds:8.2f} s   ({result.iterations} sweeps)")
    print(f"store (compare, COPY)     {store_seconds:8.2f} s   (first store: every row is new)")
    run, full_seconds = timed(lambda: service.compute_risk(company))
    print(f"compute_risk, full        {full_seconds:8.2f} s   (load + own + propagate + store; no score changed)")
    revised = dataclasses.replace(methodology, version=f"{methodology.version}-bench",
                                  attenuation=methodology.attenuation * 0.95)
    run, rewrite_seconds = timed(lambda: service.compute_risk(company, methodology=revised))
    print(f"compute_risk, full        {rewrite_seconds:8.2f} s   (a revised methodology: every score rewritten, "
          f"with history; goal ≤ 30 s)")

    supplying = np.zeros(graph.network.n_nodes, dtype=bool)
    supplying[graph.network.upstream] = True
    farm_nodes = np.flatnonzero((tiers == FARM) & supplying[1:]) + 1
    farm = graph.site_of(int(farm_nodes[0]))  # a farm that sells to someone
    finding = SiteEvidence(farm, "finding", frozenset({1}), "critical", "open", datetime.date.today())
    register_evidence_provider(lambda site_ids, company: [finding])
    run, incremental_seconds = timed(lambda: service.compute_risk(company, changed_site_ids=[farm]))
    print(f"compute_risk, incremental {incremental_seconds:8.2f} s   after one new finding: cone of {run.recomputed:,} "
          f"nodes recomputed and stored (engine part: see 'incremental' above)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=parse_sizes, default=parse_sizes("100000:500000,1000000:5000000"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-db", action="store_true", help="Engine figures only.")
    args = parser.parse_args()
    if not args.skip_db:
        setup_django()
    for n_nodes, n_links in args.sizes:
        run_engine_bench(n_nodes, n_links, args.seed)
        if not args.skip_db:
            run_database_bench(n_nodes, n_links, args.seed)
        print()


if __name__ == "__main__":
    main()
