"""Reports benchmark (issue 17): the time and peak memory to produce the disclosure PDF and the risk register of
a company with 10,000 suppliers.

    .venv/bin/python bench/reports.py [--suppliers 10000] [--seed 7]

Builds the portfolio once in its own database (`tributary_bench_reports`, or $BENCH_REPORTS_DB, on DATABASE_URL's
server): 10,000 suppliers each operating one site, 2,000 farms, supply links in four tiers, a commodity per site,
findings shared by an audit firm at a fifth of the sites with corrective actions, grievances routed to the company,
referrals, and its risk computed. Then each product is made in a fresh process, as a worker would make it, and
that process reports its wall time and its peak resident memory (ru_maxrss: Python, Django and the product; its
baseline after start-up is printed beside it):

- disclosure PDF: exports/reports/jobs.py OUTPUTS[disclosure].build, i.e.
  render_disclosure(gather_disclosure(viewer, parameters)), UK Modern Slavery Act framework, this calendar year;
- risk register: exports/data/datasets.py write(viewer, "risk_register", "xlsx", file).

Goal for each: ≤ 10 s and ≤ 500 MB. Prints the figures and their ratio to the goal in one run.
"""

import argparse
import datetime
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("BENCH_PROPAGATION_DB", os.environ.get("BENCH_REPORTS_DB", "tributary_bench_reports"))

from propagation import setup_django  # noqa: E402  (creates and migrates the bench's database)

GOAL_SECONDS, GOAL_MB = 10.0, 500.0
COMPANY = "Bench Portfolio Ltd"
COUNTRIES = ("IN", "CN", "BD", "TR", "VN", "PK", "TM", "GH", "CI", "US")
COMMODITIES = ("cotton", "cocoa", "coffee", "tea", "rice", "sugarcane")
CATEGORIES = ("debt_bondage", "retention_of_identity_documents", "excessive_overtime", "below_minimum_age",
              "hazardous_child_work", "withholding_of_wages")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_portfolio(suppliers: int, seed: int) -> None:
    """The company, its network and its cases, written in bulk (a bench's set-up, not the services' batch)."""
    from django.db import transaction

    from audits.models import CorrectiveAction, Finding, Grievance, GrievanceRouting, Referral, Share
    from backend.models import Organization, Role, User
    from graph.models import Commodity, NetworkSite, NetworkSupplier, Site, Supplier, SupplyLink
    from graph.services.risk import compute_risk
    from graph.services.tiers import refresh_tiers

    rng = np.random.default_rng(seed)
    now = datetime.datetime.now(datetime.UTC)
    with transaction.atomic():
        company = Organization.objects.create(name=COMPANY, kind="company")
        firm = Organization.objects.create(name="Bench Audit Firm", kind="audit_firm")
        workers = Organization.objects.create(name="Bench Workers Union", kind="workers_org")
        analyst = User.objects.create(username="bench-analyst", organization=company, role=Role.ANALYST)
        supplier_rows = Supplier.objects.bulk_create(
            Supplier(name=f"Supplier {i:05d}", country=COUNTRIES[i % len(COUNTRIES)]) for i in range(suppliers))
        farms = suppliers // 5
        sites = Site.objects.bulk_create(
            [Site(name=f"Factory {i:05d}", country=s.country, supplier=s, workers=int(rng.integers(20, 2000)))
             for i, s in enumerate(supplier_rows)]
            + [Site(name=f"Farm {i:05d}", kind="farm", country=COUNTRIES[i % len(COUNTRIES)]) for i in range(farms)])
        codes = {c.code: c for c in Commodity.objects.filter(code__in=COMMODITIES)}
        commodity_of = [codes[COMMODITIES[int(k)]] for k in rng.integers(0, len(COMMODITIES), len(sites))]
        Site.commodities.through.objects.bulk_create(
            Site.commodities.through(site=site, commodity=commodity) for site, commodity in zip(sites, commodity_of))
        NetworkSite.objects.bulk_create(
            NetworkSite(company=company, site=site, internal_ref=f"S-{site.pk}") for site in sites)
        NetworkSupplier.objects.bulk_create(NetworkSupplier(company=company, supplier=s) for s in supplier_rows)
        # tiers: 10 % of the factories deliver to the company, the others to a factory of the tier below; farms
        # supply the last tier
        order = rng.permutation(suppliers)
        bounds = [0, suppliers // 10, suppliers // 10 * 4, suppliers]
        links = []
        for tier in range(3):
            members = order[bounds[tier]:bounds[tier + 1]]
            buyers = order[bounds[tier - 1]:bounds[tier]] if tier else None
            for index in members:
                downstream = None if buyers is None else sites[int(rng.choice(buyers))]
                links.append(SupplyLink(company=company, upstream=sites[int(index)], downstream=downstream,
                                        commodity=commodity_of[int(index)], share=round(float(rng.uniform(0.05, 1)), 6)))
        last_tier = order[bounds[2]:]
        for farm_index in range(suppliers, len(sites)):
            buyer = int(rng.choice(last_tier))
            links.append(SupplyLink(company=company, upstream=sites[farm_index], downstream=sites[buyer],
                                    commodity=commodity_of[buyer], share=round(float(rng.uniform(0.05, 1)), 6)))
        SupplyLink.objects.bulk_create(links)
        audited = rng.choice(len(sites), size=len(sites) // 5, replace=False)
        findings = Finding.objects.bulk_create(
            Finding(audit_firm=firm, site=sites[int(i)], category=CATEGORIES[int(i) % len(CATEGORIES)],
                    severity=("critical", "major", "minor")[int(i) % 3], description=f"Bench finding at site {i}",
                    found_on=datetime.date(now.year, 1 + int(i) % 11, 1 + int(i) % 27)) for i in audited)
        Share.objects.bulk_create(Share(audit_firm=firm, company=company, finding=finding) for finding in findings)
        CorrectiveAction.objects.bulk_create(
            CorrectiveAction(organization=company, finding=finding, title=f"Remedy {finding.pk}", owner=analyst,
                             due_on=finding.found_on + datetime.timedelta(days=30),
                             status=("open", "in_progress", "done", "verified")[finding.pk % 4])
            for finding in findings[: len(findings) // 2])
        grieved = rng.choice(len(sites), size=len(sites) // 20, replace=False)
        grievances = Grievance.objects.bulk_create(
            Grievance(filed_by=workers, site=sites[int(i)], channel="hotline", category=CATEGORIES[int(i) % 6],
                      description=f"Bench grievance at site {i}", state=("received", "acknowledged", "substantiated")[int(i) % 3])
            for i in grieved)
        GrievanceRouting.objects.bulk_create(GrievanceRouting(grievance=g, company=company) for g in grievances)
        Referral.objects.bulk_create(
            Referral(organization=company, site=g.site, grievance=g, service="labour_inspectorate",
                     service_name="District labour office", identified_at=now, referred_at=now)
            for g in grievances[:200])
        refresh_tiers(company)
    compute_risk(company)
    print(f"portfolio: {suppliers:,} suppliers, {len(sites):,} sites, {len(links):,} links, {len(findings):,} findings, "
          f"{len(grievances):,} grievances")


def measure(product: str) -> dict:
    """Run in a fresh process: make one product for the company and report its time and peak memory."""
    import django

    django.setup()
    from backend.models import User
    from backend.tenancy import Viewer
    from exports.data.datasets import write
    from exports.models import ReportKind, ReportScope
    from exports.reports.jobs import OUTPUTS
    from exports.reports.parameters import ReportParameters, default_period

    viewer = Viewer.of(User.objects.select_related("organization").get(username="bench-analyst"))
    baseline = peak_mb()
    start = time.perf_counter()
    if product == "disclosure":
        parameters = ReportParameters(ReportScope.COMPANY, None, *default_period(), framework="UK_MSA")
        size = len(OUTPUTS[ReportKind.DISCLOSURE].build(viewer, parameters))
    else:
        with tempfile.TemporaryFile() as out:
            rows = write(viewer, "risk_register", "xlsx", out)
            size = out.tell()
        assert rows > 0
    return {"seconds": time.perf_counter() - start, "peak_mb": peak_mb(), "baseline_mb": baseline, "bytes": size}


def in_fresh_process(product: str) -> dict:
    completed = subprocess.run([sys.executable, __file__, "--measure", product], capture_output=True, text=True,
                               env=os.environ, check=False)
    if completed.returncode != 0:
        raise SystemExit(f"{product} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--suppliers", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--measure", choices=("disclosure", "register"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:  # the child: the database is set up, DATABASE_URL names it
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
        print(json.dumps(measure(args.measure)))
        return
    setup_django()
    start = time.perf_counter()
    build_portfolio(args.suppliers, args.seed)
    print(f"set-up: {time.perf_counter() - start:.1f} s (load {os.getloadavg()[0]:.1f})")
    for product, label in (("disclosure", "disclosure PDF (UK MSA)"), ("register", "risk register (XLSX)")):
        figures = in_fresh_process(product)
        print(f"{label:26s} {figures['seconds']:6.2f} s ({figures['seconds'] / GOAL_SECONDS:.2f}× the {GOAL_SECONDS:.0f} s "
              f"goal)  peak {figures['peak_mb']:6.0f} MB ({figures['peak_mb'] / GOAL_MB:.2f}× the {GOAL_MB:.0f} MB goal; "
              f"{figures['baseline_mb']:.0f} MB after start-up)  {figures['bytes'] / 1e6:.1f} MB file  "
              f"load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
