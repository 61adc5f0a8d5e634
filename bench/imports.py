"""Spreadsheet import speed and memory: a generated 100k-row × 11-column findings workbook, read and stored
five ways, each measured in a fresh process (time and peak resident memory):

1. openpyxl read-only parse alone (every cell value, nothing stored);
2. pandas `read_excel` (default engine, openpyxl) + `to_sql` into the same PostgreSQL;
3. pandas `read_excel(engine="calamine")` + `to_sql`;
4. Tributary's validated import, dry run (read, check every row, resolve sites, compare with what is stored);
5. Tributary's validated import, commit (the same, then write audits, findings, history and references);
then the same commit again (idempotent: everything unchanged), and the commit at 25k and 50k rows to show
whether peak memory stays flat as the file grows. The reader alone is measured at each size too: the streamed
read Tributary uses (python-calamine-plus, row by row) and, for comparison, python-calamine's whole-sheet load
(what pandas' calamine engine and Tributary before the streaming reader used). Goals (issue 6): commit ≤ 0.4 ×
openpyxl's parse, faster than pandas + calamine + to_sql, peak memory ≤ 300 MB and flat in file size.

The steps these goals compare (openpyxl, pandas + calamine, dry run, commit, commit again) run --repeats times
(3 by default) and the fastest run counts: a shared machine's noise only ever adds time, and on a noisy day
single runs of the same step were seen to differ by a third. Each commit starts from a fresh world in freshly
vacuumed tables.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tributary_bench .venv/bin/python bench/imports.py [--rows 100000] [--repeats 3]

The database named in DATABASE_URL is created if missing and migrated; the bench's organizations and rows are
removed at the end. Files go to bench/out/.
"""

import argparse
import datetime
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
import import_sizes  # noqa: E402  (bench/, this script's directory, is on the path after ROOT)
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tributary_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
os.environ.setdefault("DEBUG", "1")
# Tasks the import queues (the risk recomputation) go to an in-memory broker: queued, as in production, not run here.
os.environ["CELERY_BROKER_URL"] = "memory://"

HEADER = ["Audit reference", "Open Supply Hub ID", "Audit standard", "Audit type", "Audit start date",
          "Audit end date", "Finding reference", "Category", "Severity", "Description", "Status"]
FINDINGS_PER_AUDIT = 20
REPEATS = 3  # the timed steps that goals compare run this many times; the fastest run counts
FLAT_MB = 10  # "flat": the peak moves by at most this much while the file grows fourfold
SITES = 500
BENCH_TABLES = ("audits_statechange", "audits_finding", "audits_audit", "audits_assignment", "graph_sitegrant",
                "graph_pendingrecompute", "imports_importedrecord", "imports_importproblem", "imports_resolutioncandidate", "imports_importjob",
                "graph_networksite", "graph_site", "backend_apitoken", "backend_user", "backend_organization")
FIRM = "Bench Audit Firm"
COMPANY = "Bench Company"
CATEGORIES = ["debt_bondage", "excessive_overtime", "withholding_of_wages", "below_minimum_age", "health_safety",
              "retention_of_identity_documents", "deception", "wages", "working_hours", "discrimination"]
SEVERITIES = ["critical", "major", "minor", "observation"]
STANDARDS = ["smeta", "amfori_bsci", "sa8000", "rba", "slcp"]
AUDIT_TYPES = ["announced", "semi_announced", "unannounced"]


def os_id(index: int) -> str:
    return f"IN2026{index:07d}"[:9] + f"B{index:05d}"[-6:]


def generate(path: Path, rows: int) -> None:
    """A findings workbook as an audit firm would send it: dates as dates, one row per finding."""
    from openpyxl import Workbook

    rng = random.Random(rows)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Findings")
    sheet.append(HEADER)
    base = datetime.date(2024, 1, 1)
    for number in range(rows):
        audit = number // FINDINGS_PER_AUDIT
        start = base + datetime.timedelta(days=audit % 600)
        sheet.append([
            f"AU-{audit:06d}", os_id(audit % SITES), STANDARDS[audit % 5], AUDIT_TYPES[audit % 3], start,
            start + datetime.timedelta(days=2), f"F-{number % FINDINGS_PER_AUDIT + 1:02d}", rng.choice(CATEGORIES),
            rng.choice(SEVERITIES), f"Observation {number}: workers interviewed about {rng.choice(CATEGORIES)}",
            "open",
        ])
    workbook.save(path)


def django_setup():
    import django

    django.setup()


def ensure_database() -> None:
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    if config["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("The bench needs PostgreSQL: set DATABASE_URL=postgres://…")
    admin = psycopg.connect(host=config["HOST"] or "127.0.0.1", port=config["PORT"] or 5432, user=config["USER"],
                            password=config["PASSWORD"] or None, dbname="postgres", autocommit=True)
    if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
        admin.execute(f'CREATE DATABASE "{config["NAME"]}"')
    admin.close()
    django_setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def create_world() -> None:
    """A company with SITES sites (OS IDs) in its network, an audit firm assigned to all of them."""
    from audits.models import Assignment
    from backend.models import Organization, OrganizationKind, Role, User
    from graph.models import NetworkSite, Site, SiteGrant

    remove_world()
    company = Organization.objects.create(name=COMPANY, kind=OrganizationKind.COMPANY)
    firm = Organization.objects.create(name=FIRM, kind=OrganizationKind.AUDIT_FIRM)
    User.objects.create(username="bench-firm-analyst", organization=firm, role=Role.ANALYST)
    sites = Site.objects.bulk_create(
        Site(name=f"Bench mill {i}", country="IN", os_id=os_id(i), registered_by=company) for i in range(SITES)
    )
    NetworkSite.objects.bulk_create(NetworkSite(company=company, site=site, internal_ref=f"M-{i}") for i, site in enumerate(sites))
    grants = SiteGrant.objects.bulk_create(SiteGrant(organization=firm, site=site, granted_by=company) for site in sites)
    Assignment.objects.bulk_create(
        Assignment(company=company, audit_firm=firm, site=site, site_grant=grant) for site, grant in zip(sites, grants)
    )


def remove_world() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM backend_organization WHERE name IN (%s, %s)", [COMPANY, FIRM])
        orgs = [row[0] for row in cursor.fetchall()]
        ids = "(" + ",".join(map(str, orgs or [0])) + ")"
        for statement in (
            f"DELETE FROM audits_statechange WHERE actor_organization_id IN {ids}",
            f"DELETE FROM audits_finding WHERE audit_firm_id IN {ids}",
            f"DELETE FROM audits_audit WHERE audit_firm_id IN {ids}",
            f"DELETE FROM audits_assignment WHERE company_id IN {ids}",
            f"DELETE FROM graph_sitegrant WHERE organization_id IN {ids}",
            f"DELETE FROM imports_importedrecord WHERE organization_id IN {ids}",
            f"DELETE FROM imports_importproblem WHERE job_id IN (SELECT id FROM imports_importjob WHERE organization_id IN {ids})",
            f"DELETE FROM imports_resolutioncandidate WHERE job_id IN (SELECT id FROM imports_importjob WHERE organization_id IN {ids})",
            f"DELETE FROM imports_importjob WHERE organization_id IN {ids}",
            f"DELETE FROM graph_pendingrecompute WHERE company_id IN {ids}",
            f"DELETE FROM graph_networksite WHERE company_id IN {ids}",
            f"DELETE FROM graph_site WHERE registered_by_id IN {ids}",
            f"DELETE FROM backend_apitoken WHERE user_id IN (SELECT id FROM backend_user WHERE organization_id IN {ids})",
            f"DELETE FROM backend_user WHERE organization_id IN {ids}",
            f"DELETE FROM backend_organization WHERE id IN {ids}",
            "DROP TABLE IF EXISTS bench_pandas_findings",
        ):
            cursor.execute(statement)
        # Every measured commit starts from tables without dead rows, whatever ran before (autovacuum may be
        # off, and it would run at its own time anyway): a commit into bloated indexes is markedly slower.
        cursor.execute("VACUUM (ANALYZE) " + ", ".join(BENCH_TABLES))


# Measurements, each run in its own process (`--measure NAME`), printing {"seconds", "detail"} as JSON.

def measure_baseline(path: Path) -> dict:
    django_setup()
    return {"seconds": 0.0, "detail": "Django set up, nothing read"}


def measure_openpyxl(path: Path) -> dict:
    from openpyxl import load_workbook

    started = time.perf_counter()
    workbook = load_workbook(path, read_only=True, data_only=True)
    cells = sum(len(row) for row in workbook.worksheets[0].iter_rows(values_only=True))
    return {"seconds": time.perf_counter() - started, "detail": f"{cells:,} cells"}


def measure_calamine(path: Path) -> dict:
    """python-calamine alone: the sheet loaded (python-calamine always loads a whole sheet) and every row iterated."""
    django_setup()
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    with CalamineWorkbook.from_path(str(path)) as workbook:
        sheet = workbook.get_sheet_by_name(workbook.sheet_names[0])
    rows = sum(1 for _row in sheet.iter_rows())
    return {"seconds": time.perf_counter() - started, "detail": f"{rows:,} rows read, nothing converted or stored"}


def measure_stream(path: Path) -> dict:
    """The reader Tributary uses, alone: python-calamine-plus streaming every row of the sheet."""
    django_setup()
    from python_calamine_plus import CalamineWorkbook

    started = time.perf_counter()
    with CalamineWorkbook.from_path(str(path)) as workbook:
        rows = sum(1 for _row in workbook.stream_sheet_by_index(0))
    return {"seconds": time.perf_counter() - started, "detail": f"{rows:,} rows streamed, nothing converted or stored"}


def measure_pandas(path: Path, engine: str | None) -> dict:
    import pandas
    import sqlalchemy

    url = os.environ["DATABASE_URL"].replace("postgres://", "postgresql+psycopg://", 1)
    database = sqlalchemy.create_engine(url)
    started = time.perf_counter()
    frame = pandas.read_excel(path, engine=engine) if engine else pandas.read_excel(path)
    read = time.perf_counter() - started
    frame.to_sql("bench_pandas_findings", database, if_exists="replace", index=False)
    return {"seconds": time.perf_counter() - started, "detail": f"read {read:.2f} s, {len(frame):,} rows, no validation"}


def measure_tributary(path: Path, commit: bool, kind: str = "findings") -> dict:
    """A job of `kind` run here, as a worker runs it; a findings job must succeed, the limits bench's may be refused."""
    django_setup()
    from django.core.files import File

    import graph.tasks  # noqa: F401  (a worker has its task modules loaded before any job arrives)
    import imports.tasks  # noqa: F401
    from backend.models import User
    from backend.tenancy import Viewer
    from imports.services import jobs

    user = User.objects.select_related("organization").get(username=import_sizes.USERS[kind])
    viewer = Viewer(user=user, organization=user.organization)
    with open(path, "rb") as stream:
        job = jobs.create_job(viewer, kind, File(stream, name=path.name), commit=commit, queue=False)
    started = time.perf_counter()
    job = jobs.commit(job) if commit else jobs.validate(job)
    seconds = time.perf_counter() - started
    if kind != "findings" or job.status not in ("ready", "committed"):
        return {"seconds": seconds, "detail": import_sizes.outcome(job)}
    counts = f"{job.created_count:,} created, {job.updated_count:,} updated, {job.unchanged_count:,} unchanged"
    return {"seconds": seconds, "detail": f"{job.status}: {counts}"}


MEASURES = {
    "baseline": measure_baseline,
    "openpyxl": measure_openpyxl,
    "calamine": measure_calamine,
    "stream": measure_stream,
    "pandas": lambda path: measure_pandas(path, None),
    "pandas_calamine": lambda path: measure_pandas(path, "calamine"),
    "dry_run": lambda path: measure_tributary(path, commit=False),
    "commit": lambda path: measure_tributary(path, commit=True),
    **{f"{kind}_{step}": (lambda path, kind=kind, step=step: measure_tributary(path, step == "commit", kind))
       for kind in import_sizes.USERS for step in ("dry_run", "commit")},
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--limits", action="store_true", help="measure the largest files the limits accept instead")
    parser.add_argument("--measure")
    parser.add_argument("--file")
    args = parser.parse_args()
    if args.measure:
        result = MEASURES[args.measure](Path(args.file))
        result["peak_mb"] = peak_mb()
        print(json.dumps(result))
        return
    if args.limits:
        measure_limits()
        return
    OUT.mkdir(parents=True, exist_ok=True)
    ensure_database()
    files = {}
    for rows in sorted({args.rows // 4, args.rows // 2, args.rows}):
        files[rows] = OUT / f"findings_{rows // 1000}k.xlsx"
        if not files[rows].exists():
            started = time.perf_counter()
            generate(files[rows], rows)
            print(f"generated {files[rows].name} ({files[rows].stat().st_size / 2**20:.1f} MB) in "
                  f"{time.perf_counter() - started:.1f} s", flush=True)
    main_file = files[args.rows]
    repeats = args.repeats
    results = {}
    try:
        for name in ("baseline", "pandas"):
            results[name] = own_peak(name, main_file)
        for name in ("openpyxl", "pandas_calamine"):
            results[name] = fastest(name, main_file, repeats)
        for rows, path in files.items():
            results[f"stream_{rows // 1000}k"] = own_peak("stream", path)
            results[f"calamine_{rows // 1000}k"] = own_peak("calamine", path)
        create_world()
        results["dry_run"] = fastest("dry_run", main_file, repeats)
        results["commit"] = fastest("commit", main_file, repeats, before=create_world)
        results["commit_again"] = fastest("commit", main_file, repeats)
        for rows, path in files.items():
            if rows != args.rows:
                create_world()
                results[f"commit_{rows // 1000}k"] = own_peak("commit", path)
    finally:
        remove_world()
    report(results, args.rows, repeats)
    (OUT / "imports.json").write_text(json.dumps(results, indent=2))


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM). Not ru_maxrss, which Linux carries over exec from the parent
    that spawned the process: a measurement would report at least the bench's own size."""
    with open("/proc/self/status") as status:
        kilobytes = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    return int(kilobytes) / 1024


def measure_limits() -> None:
    """Peak memory of the largest files the limits accept, and of files just beyond them being refused, each
    in a fresh process, in a database of their own (DATABASE_URL's name + "_sizes", dropped at the end)."""
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] += "_sizes"
    ensure_database()
    create_world()
    import_sizes.add_importers(os_id)
    results = {}
    try:
        for name, (kind, path) in import_sizes.cases(OUT, os_id).items():
            for step in import_sizes.STEPS[name]:
                results[f"{name} {step}"] = own_peak(f"{kind}_{step}", path) | {"file": path.name}
    finally:
        import_sizes.drop_database()
    import_sizes.report(results, own_peak("baseline", OUT)["peak_mb"])


def fastest(name: str, path: Path, repeats: int, before=None) -> dict:
    """The measurement `repeats` times, each in a fresh process (after `before()`, if given): the fastest time,
    since noise from the machine only ever adds time, and the largest peak memory."""
    runs = []
    for _ in range(repeats):
        if before is not None:
            before()
        runs.append(own_peak(name, path))
    return {"seconds": min(run["seconds"] for run in runs), "peak_mb": max(run["peak_mb"] for run in runs),
            "detail": runs[0]["detail"], "runs": [run["seconds"] for run in runs]}


def own_peak(name: str, path: Path) -> dict:
    """One measurement in a child process, which reports its own peak memory."""
    result = subprocess.run([sys.executable, __file__, "--measure", name, "--file", str(path)],
                            capture_output=True, text=True, cwd=ROOT, env=os.environ)
    if result.returncode:
        sys.exit(f"{name} failed:\n{result.stderr[-3000:]}")
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"  {name:<16} {measured['seconds']:7.2f} s  peak {measured['peak_mb']:6.0f} MB  {measured['detail']}", flush=True)
    return measured


def report(results: dict, rows: int, repeats: int) -> None:
    parse = results["openpyxl"]["seconds"]
    commit = results["commit"]["seconds"]
    calamine_sql = results["pandas_calamine"]["seconds"]
    baseline = results["baseline"]["peak_mb"]
    print(f"\n{rows:,} findings × {len(HEADER)} columns")
    print(f"{'':<34}{'seconds':>9}{'× openpyxl':>12}{'peak MB':>9}")
    labels = {
        "openpyxl": "openpyxl read-only parse", "pandas": "pandas read_excel + to_sql",
        "pandas_calamine": "pandas calamine + to_sql", "dry_run": "Tributary dry run (validated)",
        "commit": "Tributary commit (validated)", "commit_again": "Tributary commit, same file again",
    }
    for key, label in labels.items():
        r = results[key]
        print(f"{label:<34}{r['seconds']:>9.2f}{r['seconds'] / parse:>12.2f}{r['peak_mb']:>9.0f}")
    for key in sorted(k for k in results if k.startswith("commit_") and k[7:-1].isdigit()):
        print(f"{'Tributary commit, ' + key[7:] + ' rows':<34}{results[key]['seconds']:>9.2f}{'':>12}{results[key]['peak_mb']:>9.0f}")
    print(f"(Django alone: {baseline:.0f} MB; openpyxl, pandas calamine, dry run and commits: fastest of {repeats} runs)")
    print(f"\ncommit / openpyxl parse = {commit / parse:.2f} (goal ≤ 0.40: {'met' if commit <= 0.4 * parse else 'NOT met'})")
    print(f"commit / pandas calamine + to_sql = {commit / calamine_sql:.2f} "
          f"(goal < 1: {'met' if commit < calamine_sql else 'NOT met'})")
    peaks = [results[k]["peak_mb"] for k in results if k.startswith("commit")]
    print(f"commit peak memory {max(peaks):.0f} MB (goal ≤ 300: {'met' if max(peaks) <= 300 else 'NOT met'}); "
          f"by file size: " + ", ".join(f"{k}: {results[k]['peak_mb']:.0f}" for k in sorted(results) if k.startswith("commit")))
    print("\npeak memory by file size (MB): commit | streamed reader alone | commit above it | python-calamine's "
          "whole-sheet load, for comparison")
    totals = []
    for size in sorted({int(k[9:-1]) for k in results if k.startswith("calamine_")}):
        commit_key = "commit" if size * 1000 == rows else f"commit_{size}k"
        commit_peak, stream_peak = results[commit_key]["peak_mb"], results[f"stream_{size}k"]["peak_mb"]
        totals.append(commit_peak)
        print(f"  {size:>4}k rows: {commit_peak:6.0f} | {stream_peak:6.0f} | {commit_peak - stream_peak:+5.0f} | "
              f"{results[f'calamine_{size}k']['peak_mb']:6.0f}")
    print(f"flat in file size (within {FLAT_MB} MB from the smallest file to the largest): commit "
          f"{'met' if max(totals) - min(totals) <= FLAT_MB else 'NOT met'} ({min(totals):.0f}–{max(totals):.0f} MB); "
          f"streamed reader {'met' if _spread('stream_', results) <= FLAT_MB else 'NOT met'} "
          f"(moves {_spread('stream_', results):.0f} MB)")


def _spread(prefix: str, results: dict) -> float:
    peaks = [results[k]["peak_mb"] for k in results if k.startswith(prefix)]
    return max(peaks) - min(peaks)


if __name__ == "__main__":
    main()
