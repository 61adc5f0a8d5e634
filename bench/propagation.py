"""Risk propagation benchmark: the engine against its scipy floor, then the full service on PostgreSQL.

    .venv/bin/python bench/propagation.py [--sizes 100000:500000,1000000:5000000] [--skip-db]

For each size it prints, in one run:
- the engine figures of bench/propagation_engine.py (full recompute, peak memory, the scipy sparse fixed-point
  floor on the same graph and the ratio, incremental time after one changed node, one explanation);
- with PostgreSQL (database `tributary_bench_propagation`, or $BENCH_PROPAGATION_DB, on DATABASE_URL's server,
  default 127.0.0.1): the same synthetic network stored as sites and links of one company, then `compute_risk`
  split into its steps — database load (columns packed by PostgreSQL), own risk (DOL inherent risk + evidence),
  propagation, store (comparison with the stored scores, binary COPY of history and new scores, update of the
  changed ones) — and incremental runs after one new finding, database included: before (the whole graph loaded,
  as when the cone is too large) and after (only the cone and its inputs, graph/services/risk_cone.py), on the same
  cone; then a finding's whole way to the API: recorded, its job run and committed, the new score read through
  GraphQL (the 5 s debounce of risk_jobs.py left out). Each figure carries the machine's load average.
Goals: 1M/5M engine ≤ 3× floor and ≤ 1 GB; full recompute including database ≤ 30 s; incremental on 100k ≤ 50 ms
engine time; one explanation on 1M ≤ 200 ms; a finding visible in the API ≤ 1 s at 1M sites, ≤ 0.2 s at 100k.
"""

import argparse
import dataclasses
import datetime
import io
import json
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
    from graph.services import risk_cone
    from graph.services.evidence_feed import register_evidence_provider
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
    print(f"compute_risk, full        {full_seconds:8.2f} s   (load + own + propagate + store; no score changed); "
          f"load {load_average()}")
    revised = dataclasses.replace(methodology, version=f"{methodology.version}-bench",
                                  attenuation=methodology.attenuation * 0.95)
    run, rewrite_seconds = timed(lambda: service.compute_risk(company, methodology=revised))
    print(f"compute_risk, full        {rewrite_seconds:8.2f} s   (a revised methodology: every score rewritten, "
          f"with history; goal ≤ 30 s); load {load_average()}")
    run, back_seconds = timed(lambda: service.compute_risk(company))
    print(f"compute_risk, full        {back_seconds:8.2f} s   (back to the methodology: every score rewritten, so "
          f"the incremental runs below start from its scores); load {load_average()}")

    supplying = np.zeros(graph.network.n_nodes, dtype=bool)
    supplying[graph.network.upstream] = True
    farm_nodes = np.flatnonzero((tiers == FARM) & supplying[1:]) + 1
    farm, other_farm = (graph.site_of(int(node)) for node in farm_nodes[:2])  # farms that sell to someone
    evidence = []
    register_evidence_provider(lambda site_ids, company: [e for e in evidence if e.site_id in set(site_ids)])
    # The same site, first a major then a critical finding: both runs change the same cone's scores
    evidence[:] = [finding_at(farm, "major")]
    cone_sites, risk_cone.CONE_SITES = risk_cone.CONE_SITES, 0
    run, whole_seconds = timed(lambda: service.compute_risk(company, changed_site_ids=[farm]))
    risk_cone.CONE_SITES = cone_sites
    print(f"compute_risk, incremental {whole_seconds:8.2f} s   before: whole graph loaded, cone of {run.recomputed:,} "
          f"nodes recomputed and stored; load {load_average()}")
    evidence[:] = [finding_at(farm, "critical")]
    run, cone_seconds = timed(lambda: service.compute_risk(company, changed_site_ids=[farm]))
    print(f"compute_risk, incremental {cone_seconds:8.2f} s   after: cone of {run.recomputed:,} nodes and its inputs "
          f"loaded ({run.nodes:,} nodes, {run.links:,} links), recomputed and stored; load {load_average()}")
    token = api_token(company)
    warm_up(company, farm, token)
    evidence.append(finding_at(other_farm, "critical"))
    (visible, changed), visible_seconds = timed(lambda: finding_to_api(company, other_farm, token))
    goal = 1.0 if n_nodes >= 1_000_000 else 0.2
    print(f"finding → API             {visible_seconds:8.2f} s   one new finding recorded, its recomputation job "
          f"committed ({changed:,} scores changed), the site's new score read through GraphQL ({visible:.4f}); "
          f"goal ≤ {goal} s; load {load_average()}")


def finding_at(site_id: int, severity: str):
    from graph.services.evidence_feed import SiteEvidence

    return SiteEvidence(site_id, "finding", frozenset({1}), severity, "open", datetime.date.today())


def api_token(company) -> str:
    """A bearer token of an analyst of the company."""
    from backend.models import ApiToken, Role, User

    user = User.objects.create_user(f"bench-{company.pk}", organization=company, role=Role.ANALYST)
    return ApiToken.issue(user, "bench")[1]


def warm_up(company, site_id: int, token: str) -> None:
    """A job and a request as a running worker and API server have done before: an unchanged site recomputed
    (nothing to store), its score read, so that the figure below is not the first job's and request's set-up."""
    from django.db import transaction
    from django.test import Client
    from graphql_relay import to_global_id

    from graph.services.risk_jobs import schedule_recompute

    with transaction.atomic():
        schedule_recompute([site_id])
    Client().post("/graphql/", json.dumps({"query": SITE_RISK, "variables": {"id": to_global_id("Site", site_id)}}),
                  content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")


def finding_to_api(company, site_id: int, token: str) -> tuple[float, int]:
    """What a new finding goes through, without the debounce: the change's transaction records the site and sends
    the job (which, without a broker, runs in this process after the commit), then GraphQL reads the site's score.
    Returns (the forced-labour score read, how many stored scores the job changed)."""
    from django.db import transaction
    from django.test import Client
    from graphql_relay import to_global_id

    from graph.models import RiskScore
    from graph.services.risk_jobs import schedule_recompute

    stored_before = RiskScore.objects.get(company=company, site_id=site_id).forced_labour
    with transaction.atomic():
        schedule_recompute([site_id])
    response = Client().post(
        "/graphql/", json.dumps({"query": SITE_RISK, "variables": {"id": to_global_id("Site", site_id)}}),
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}",
    ).json()
    score = response["data"]["node"]["risk"]["forcedLabour"]
    if score <= stored_before:
        raise RuntimeError(f"the finding's effect is not visible through the API: {response}")
    stamp = RiskScore.objects.get(company=company, site_id=site_id).computed_at
    return score, RiskScore.objects.filter(company=company, computed_at=stamp).count()


SITE_RISK = "query($id: ID!) { node(id: $id) { ... on Site { risk { forcedLabour } } } }"


def load_average() -> str:
    """The 1-minute load average: the machine is shared, so every figure carries it."""
    return f"{os.getloadavg()[0]:.2f}"


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
