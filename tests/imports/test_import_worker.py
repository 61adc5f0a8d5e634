"""Real processes on PostgreSQL (and Redis): a worker killed with SIGKILL in the middle of a commit leaves
nothing half-written and the job can be retried; a real Celery worker runs an import while its progress is
read through GraphQL. Skipped without the services locally, failures under CI=true (support.services).

Both slow the commit down by running the child through tests/support/slow_imports.py (seconds of sleep after each
written batch and at each phase), so that the middle of a commit lasts long enough to act in.
"""

import json
import os
import re
import subprocess
import time
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from audits.models import Audit, Finding
from audits.services import assignments
from backend.models import ApiToken, OrganizationKind, Role
from backend.tenancy import Viewer
from factories import add_site
from graph.models import NetworkSite, Site, SupplyLink
from imports.models import ImportJob, Status
from imports.services import findings_intake
from support.import_helpers import csv_text
from support.import_processes import ROWS, Output, big_map, child_env, commit_again, import_killed_when
from support.servers import ROOT, celery_sending_to, stop
from support.slow_imports import slowed_command
from support.services import require_service

MILL_OS_ID = "IN2019067X1K87E"
BROKER_URL = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")
WRITING = re.compile(r"writing\s+\[[#-]+\] ([\d,]+)/([\d,]+)")
JOB = "query($id: ID!) { importJob(id: $id) { status phase rowsDone rowsTotal created } }"
UPLOAD = """mutation($file: Upload!) {
  importFileUpload(kind: SUPPLY_MAP, file: $file, commit: true) { job { id } errors { code message } }
}"""


def written(text: str) -> int:
    found = WRITING.findall(text.replace("\r", "\n"))
    return int(found[-1][0].replace(",", "")) if found else 0


def import_killed_once_written(arguments: list[str], media_root, enough: int, timeout: float) -> str:
    """Run `import_file ARGUMENTS`, slowed down between batches, and SIGKILL it once it has written `enough`
    records inside its transaction; return what it printed."""
    return import_killed_when(arguments, media_root, lambda text: written(text) >= enough, timeout, pause=0.3)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_commit_leaves_nothing_and_the_job_can_be_retried(analyst, company, media_root, tmp_path):
    require_service(connection.vendor == "postgresql", "this test needs PostgreSQL (set DATABASE_URL=postgres://…)")
    # given a 4,000-row supply map committed by `import_file` in a separate process, slowed down between batches
    path = tmp_path / "big.csv"
    path.write_text(big_map())
    # when it has written several batches inside its transaction, it is killed outright
    output = import_killed_once_written(["supply_map", str(path), "--org", company.name], media_root, 2000, 60)
    # then nothing of it is stored, and its job is left "committing"
    assert written(output) >= 2000
    assert (Site.objects.count(), NetworkSite.objects.count(), SupplyLink.objects.count()) == (0, 0, 0)
    job = ImportJob.objects.get()
    assert job.status == Status.COMMITTING and job.attempts == 1
    # and when its commit is asked again, all is written once
    job = commit_again(job, 15)
    assert job.status == Status.COMMITTED, job.error
    assert job.attempts == 2
    assert (NetworkSite.objects.filter(company=company).count(), SupplyLink.objects.count()) == (ROWS, ROWS)


def big_findings(audits: int) -> str:
    """`audits` audits of 20 findings each, all about the mill."""
    header = ["Audit reference", "Open Supply Hub ID", "Audit standard", "Audit type", "Audit start date",
              "Finding reference", "Category", "Severity", "Description"]
    rows = [[f"AU-{a}", MILL_OS_ID, "SMETA", "announced", "2026-03-02", f"F-{f}", "deception", "minor", f"Note {a}.{f}"]
            for a in range(audits) for f in range(20)]
    return csv_text(header, rows)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_between_two_written_parts_of_a_findings_commit_leaves_nothing(
        analyst, make_org, make_user, media_root, tmp_path):
    require_service(connection.vendor == "postgresql", "this test needs PostgreSQL (set DATABASE_URL=postgres://…)")
    # given 14,000 findings (more than one part is written at a time) from an audit firm assigned to the mill
    firm = make_user(make_org("Audit Firm F", OrganizationKind.AUDIT_FIRM), Role.ANALYST)
    assignments.assign(Viewer.of(analyst), add_site(analyst, "Mill", os_id=MILL_OS_ID), firm.organization)
    path = tmp_path / "findings.csv"
    path.write_text(big_findings(700))
    # when the first part's findings and history are written, inside its transaction, it is killed outright
    arguments = ["findings", str(path), "--org", firm.organization.name]
    import_killed_once_written(arguments, media_root, 2 * findings_intake.WRITE_AT, 90)
    # then nothing of it is stored, and a retry writes it all once
    assert (Audit.objects.count(), Finding.objects.count()) == (0, 0)
    job = ImportJob.objects.get()
    assert job.status == Status.COMMITTING
    job = commit_again(job, 30)
    assert job.status == Status.COMMITTED, job.error
    assert (Audit.objects.count(), Finding.objects.count()) == (700, 14_000)


@pytest.fixture
def celery_worker(media_root):
    """A real `celery -A backend worker` on Redis, consuming a queue of its own; yields the queue's name."""
    import redis

    try:
        redis.Redis.from_url(BROKER_URL, socket_connect_timeout=1).ping()
        reachable = True
    except redis.RedisError:
        reachable = False
    require_service(reachable, f"this test needs Redis at {BROKER_URL}")
    require_service(connection.vendor == "postgresql", "this test needs PostgreSQL (set DATABASE_URL=postgres://…)")
    queue = f"imports-test-{uuid.uuid4().hex[:8]}"
    process = subprocess.Popen(
        slowed_command(0.25, "-m", "celery", "-A", "backend", "worker", "--pool=solo", "-Q", queue, "--without-gossip",
                       "--without-mingle", "--without-heartbeat", "--loglevel=INFO"),
        cwd=ROOT, env=child_env(media_root, CELERY_BROKER_URL=BROKER_URL),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    log = Output(process.stderr)
    try:
        log.wait_for(lambda text: " ready." in text, timeout=60, process=process)
        yield queue, log
    finally:
        stop(process)


@pytest.fixture
def celery_client(celery_worker, settings):
    """This process sends tasks to the worker's queue on Redis and reads progress from the shared Redis cache."""
    queue, _log = celery_worker
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": BROKER_URL}}
    with celery_sending_to(BROKER_URL, task_default_queue=queue):
        yield


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_celery_worker_runs_the_import_and_its_progress_is_seen_while_it_runs(analyst, company, celery_client, celery_worker):
    _, raw = ApiToken.issue(analyst, "test")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    # given a 4,000-row supply map uploaded through the GraphQL multipart request, to be committed
    data = {"operations": json.dumps({"query": UPLOAD, "variables": {"file": None}}),
            "map": json.dumps({"0": ["variables.file"]}), "0": SimpleUploadedFile("big.csv", big_map().encode())}
    uploaded = Client().post("/graphql/", data, **headers).json()["data"]["importFileUpload"]
    assert uploaded["errors"] == []
    # when its progress is read through GraphQL while the worker runs it
    seen = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        body = json.dumps({"query": JOB, "variables": {"id": uploaded["job"]["id"]}})
        state = Client().post("/graphql/", body, content_type="application/json", **headers).json()["data"]["importJob"]
        seen.append(state)
        if state["status"] in ("COMMITTED", "INVALID", "FAILED", "REJECTED"):
            break
        time.sleep(0.1)
    # then the job went through its phases with rows done climbing, and ended committed
    assert seen[-1]["status"] == "COMMITTED", (seen[-1], list(ImportJob.objects.get().problems.values_list("row", "code", "message")[:3]), celery_worker[1].text[-2000:])
    assert seen[-1]["created"] == ROWS
    writing = [s for s in seen if s["status"] == "COMMITTING" and s["phase"] == "WRITING"]
    assert any(0 < s["rowsDone"] < s["rowsTotal"] for s in writing), seen
    assert len({s["rowsDone"] for s in writing}) >= 3
    assert NetworkSite.objects.filter(company=company).count() == ROWS
