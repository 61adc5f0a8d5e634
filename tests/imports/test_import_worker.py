"""Real processes on PostgreSQL (and Redis): a worker killed with SIGKILL in the middle of a commit leaves
nothing half-written and the job can be retried; a real Celery worker runs an import while its progress is
read through GraphQL. Skipped without the services locally, failures under CI=true (conftest.require_service).

Both slow the commit down through the test-only hook TRIBUTARY_TEST_IMPORT_PAUSE (seconds of sleep after each
written batch; imports/services/commit.py), so that the middle of a commit lasts long enough to act in.
"""

import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from import_helpers import csv_text

from audits.models import Audit, Finding
from audits.services import assignments
from backend.models import ApiToken, OrganizationKind, Role
from backend.tenancy import Viewer
from factories import add_site
from graph.models import NetworkSite, Site, SupplyLink
from imports.models import ImportJob, Status
from imports.services import findings_intake, jobs

ROOT = Path(__file__).resolve().parents[2]
MILL_OS_ID = "IN2019067X1K87E"


def _require_service():
    """tests/conftest.py's require_service (the name `conftest` is this directory's own conftest here)."""
    spec = importlib.util.spec_from_file_location("tributary_tests_conftest", ROOT / "tests" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.require_service


require_service = _require_service()
PYTHON = sys.executable
BROKER_URL = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")
ROWS = 4000
WRITING = re.compile(r"writing\s+\[[#-]+\] ([\d,]+)/([\d,]+)")
JOB = "query($id: ID!) { importJob(id: $id) { status phase rowsDone rowsTotal created } }"
UPLOAD = """mutation($file: Upload!) {
  importFileUpload(kind: SUPPLY_MAP, file: $file, commit: true) { job { id } errors { code message } }
}"""


def big_map() -> str:
    """A chain of ROWS sites: each site supplies the one ten places before it (the first ten supply the company)."""
    header = ["Site reference", "Site name", "Country", "Commodities", "Buyer site reference", "Commodity supplied"]
    rows = [[f"S-{i}", f"Site {i}", "IN", "cotton", "" if i < 10 else f"S-{i // 10}", "cotton"] for i in range(ROWS)]
    return csv_text(header, rows)


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def child_env(media_root, **extra) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in ("CELERY_BROKER_URL", "CACHE_URL")}
    return {**env, "DJANGO_SETTINGS_MODULE": "backend.settings_test", "DATABASE_URL": database_url(),
            "MEDIA_ROOT": str(media_root), "PYTHONUNBUFFERED": "1", **extra}


class Output:
    """Collects a child process's stream in a thread, so the test can wait for what it prints."""

    def __init__(self, stream) -> None:
        self.text = ""
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:
        for chunk in iter(lambda: stream.read1(1024), b""):
            self.text += chunk.decode(errors="replace")

    def wait_for(self, predicate, timeout: float, process) -> None:
        deadline = time.monotonic() + timeout
        while not predicate(self.text):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"gave up waiting; process exit {process.poll()}; output:\n{self.text[-3000:]}")
            time.sleep(0.05)


def written(text: str) -> int:
    found = WRITING.findall(text.replace("\r", "\n"))
    return int(found[-1][0].replace(",", "")) if found else 0


def import_killed_once_written(arguments: list[str], media_root, enough: int, timeout: float) -> str:
    """Run `import_file ARGUMENTS`, slowed down between batches, and SIGKILL it once it has written `enough`
    records inside its transaction; return what it printed."""
    return import_killed_when(arguments, media_root, lambda text: written(text) >= enough, timeout, pause=0.3)


def import_killed_when(arguments: list[str], media_root, printed, timeout: float, pause: float) -> str:
    """Run `import_file ARGUMENTS`, pausing `pause` seconds after each written batch and at each phase, and
    SIGKILL it once what it printed on stderr satisfies `printed`; return that."""
    process = subprocess.Popen(
        [PYTHON, "manage.py", "import_file", *arguments],
        cwd=ROOT, env=child_env(media_root, TRIBUTARY_TEST_IMPORT_PAUSE=str(pause)),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        errors = Output(process.stderr)
        errors.wait_for(printed, timeout=timeout, process=process)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    return errors.text


def commit_again(job: ImportJob, seconds: float) -> ImportJob:
    """Ask for the job's commit again (the API's importJobCommit; tasks run eagerly here) until PostgreSQL has
    noticed the dead client and released its lock."""
    deadline = time.monotonic() + seconds
    while job.status != Status.COMMITTED and time.monotonic() < deadline:
        try:
            jobs.request_commit(ImportJob.objects.get(pk=job.pk))
        except ValidationError as busy:
            assert busy.error_dict["id"][0].code == "busy"
            time.sleep(0.2)
        job = ImportJob.objects.get(pk=job.pk)
    return job


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
        [PYTHON, "-m", "celery", "-A", "backend", "worker", "--pool=solo", "-Q", queue, "--without-gossip",
         "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
        cwd=ROOT, env=child_env(media_root, CELERY_BROKER_URL=BROKER_URL, TRIBUTARY_TEST_IMPORT_PAUSE="0.25"),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    log = Output(process.stderr)
    try:
        log.wait_for(lambda text: " ready." in text, timeout=60, process=process)
        yield queue, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def celery_client(celery_worker, settings):
    """This process sends tasks to the worker's queue on Redis and reads progress from the shared Redis cache."""
    from backend.celery import app

    queue, _log = celery_worker
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": BROKER_URL}}
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "task_default_queue")}

    def forget_connections():
        """Connections and producers are cached on first use; drop them so the broker URL in force is used."""
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None

    forget_connections()
    app.conf.update(broker_url=BROKER_URL, task_always_eager=False, task_default_queue=queue)
    try:
        yield
    finally:
        app.conf.update(saved)
        forget_connections()


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
