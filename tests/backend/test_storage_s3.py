"""Files across machines: gunicorn (the web tier) and a Celery worker, each with a MEDIA_ROOT and a temporary
directory of its own, share nothing but PostgreSQL, Redis and an S3-compatible server (moto's, started here on a
free port). Uploads, validation, commit, the error report, and evidence upload and download all work through the
bucket; nothing lands on either process's disk, and the bucket holds no confidential byte in plain text."""

import base64
import datetime
import json
import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from graphql_relay import to_global_id

from audits.services import assignments, audits
from backend.models import ApiToken, OrganizationKind, Role
from backend.tenancy import Viewer
from factories import add_site
from support.servers import (PRODUCTION_ENV, ROOT, Answer, Server, current_database_url, free_port, gunicorn, stop,
                             timed, wait_until_listening)
from support.services import require_service

BIN = Path(sys.executable).parent
BROKER_URL = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")
MILL_OS_ID = "IN2019067X1K87E"
NAME, CONTACT = "Ravi Kumar", "+91 98400 12345"
MARKER = b"Payslip of a 13-year-old worker"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "tributary-test", "AWS_SECRET_ACCESS_KEY": "tributary-test",
               "AWS_DEFAULT_REGION": "us-east-1"}
FINISHED = {"READY", "INVALID", "COMMITTED", "REJECTED", "FAILED", "NEEDS_REVIEW"}


@dataclass
class Machine:
    """A process on a 'machine' of its own: its local MEDIA_ROOT and temporary directory, both to stay empty."""

    name: str
    media_root: Path
    temp_dir: Path

    def local_files(self) -> list[str]:
        return [str(path) for root in (self.media_root, self.temp_dir) for path in root.rglob("*") if path.is_file()]


def machine(tmp_path: Path, name: str) -> Machine:
    media_root, temp_dir = tmp_path / name / "media", tmp_path / name / "tmp"
    media_root.mkdir(parents=True)
    temp_dir.mkdir()
    return Machine(name, media_root, temp_dir)


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    inherited = {key: value for key, value in os.environ.items()
                 if key not in ("CELERY_BROKER_URL", "CACHE_URL", "DATABASE_URL", "MEDIA_ROOT", "TMPDIR")}
    with log.open("wb") as output:
        return subprocess.Popen(command, cwd=ROOT, env={**inherited, **env}, stdout=output, stderr=subprocess.STDOUT)


@pytest.fixture
def bucket(tmp_path):
    """moto's S3-compatible server on a free port, with an empty bucket; yields (endpoint URL, boto3 bucket)."""
    import boto3

    port, log = free_port(), tmp_path / "s3.log"
    endpoint = f"http://127.0.0.1:{port}"
    process = start([str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)], CREDENTIALS, log)
    try:
        wait_until_listening(Server(endpoint, process, log), port)
        resource = boto3.resource("s3", endpoint_url=endpoint, region_name="us-east-1",
                                  aws_access_key_id="tributary-test", aws_secret_access_key="tributary-test")
        store = resource.create_bucket(Bucket=f"tributary-{uuid.uuid4().hex[:8]}")
        yield endpoint, store
    finally:
        stop(process)


@pytest.fixture
def machines(tmp_path, bucket, postgres):
    """gunicorn and a Celery worker, each on its own 'machine', both storing files in the bucket."""
    import redis

    try:
        broker = redis.Redis.from_url(BROKER_URL, socket_connect_timeout=1)
        broker.delete("celery")  # messages of an earlier run that died must not reach this run's worker
        reachable = True
    except redis.RedisError:
        reachable = False
    require_service(reachable, f"this test needs Redis at {BROKER_URL}")
    endpoint, store = bucket
    web, worker = machine(tmp_path, "web"), machine(tmp_path, "worker")
    common = {**PRODUCTION_ENV, **CREDENTIALS, "DATABASE_URL": current_database_url(), "CELERY_BROKER_URL": BROKER_URL,
              "S3_BUCKET": store.name, "S3_ENDPOINT_URL": endpoint, "S3_REGION": "us-east-1", "S3_PREFIX": "tributary"}
    log = tmp_path / "worker.log"
    celery = start([sys.executable, "-m", "celery", "-A", "backend", "worker", "--pool=solo", "--without-gossip",
                    "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
                   {**common, "MEDIA_ROOT": str(worker.media_root), "TMPDIR": str(worker.temp_dir)}, log)
    try:
        with gunicorn(tmp_path, {**common, "MEDIA_ROOT": str(web.media_root), "TMPDIR": str(web.temp_dir)}) as server:
            deadline = time.monotonic() + 90
            while " ready." not in log.read_text() and time.monotonic() < deadline:
                assert celery.poll() is None, log.read_text()[-3000:]
                time.sleep(0.2)
            yield server.url, web, worker, store
    finally:
        stop(celery)


def send(method: str, url: str, token: str, body: bytes | None = None, content_type: str | None = None) -> Answer:
    headers = {"Authorization": f"Bearer {token}", **({"Content-Type": content_type} if content_type else {})}
    return timed(method, url, body, headers)


def graphql(server: str, token: str, query: str, variables: dict) -> dict:
    answer = send("POST", f"{server}/graphql/", token, json.dumps({"query": query, "variables": variables}).encode(),
                  "application/json")
    result = json.loads(answer.body)
    assert not result.get("errors"), result
    return result["data"]


def upload(server: str, token: str, kind: str, name: str, content: bytes) -> str:
    """POST /imports/upload/ as a multipart form (a dry run); the job's ID."""
    boundary = uuid.uuid4().hex
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: text/csv\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    answer = send("POST", f"{server}/imports/upload/?kind={kind}&dry_run=true", token, body,
                  f"multipart/form-data; boundary={boundary}")
    assert answer.status == 202, answer.body
    return json.loads(answer.body)["job"]["id"]


JOB = "query($id: ID!) { importJob(id: $id) { status problems(first: 10) { edges { node { code } } } } }"
COMMIT = "mutation($id: ID!) { importJobCommit(id: $id) { errors { code message } } }"
EVIDENCE = """mutation($finding: ID!, $content: String!) {
  evidenceFileAdd(findingId: $finding, fileName: "payslip.pdf", contentBase64: $content) {
    evidenceFile { downloadUrl } errors { code message } } }"""


def finished(server: str, token: str, job_id: str, seconds: float = 90) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = graphql(server, token, JOB, {"id": job_id})["importJob"]
        if job["status"] in FINISHED:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} still {job['status']} after {seconds} s")


def hotline_log(events_date: str) -> bytes:
    header = "Grievance reference,Open Supply Hub ID,Category,Description,Date of events,Reporter name,Reporter contact"
    return f"{header}\nG-1,{MILL_OS_ID},isolation,Locked in at night,{events_date},{NAME},{CONTACT}\n".encode()


def objects(store) -> dict[str, bytes]:
    return {item.key: item.get()["Body"].read() for item in store.objects.all()}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_web_and_worker_share_nothing_but_the_bucket(make_org, make_user, machines):
    server, web, worker, store = machines
    # given a mill in a company's network, a workers' organization, and an audit firm with a finding about it
    company = make_user(make_org("Company A"), Role.ANALYST)
    mill = add_site(company, "Shared Mill", os_id=MILL_OS_ID)
    workers = make_user(make_org("Workers Org W", OrganizationKind.WORKERS_ORG), Role.ANALYST)
    firm = make_user(make_org("Audit Firm F", OrganizationKind.AUDIT_FIRM), Role.ANALYST)
    assignments.assign(Viewer.of(company), mill, firm.organization)
    finding = audits.create_finding(Viewer.of(firm), {"category": "below_minimum_age", "severity": "critical",
                                                      "description": "Children at the looms",
                                                      "found_on": datetime.date(2026, 3, 1)}, site=mill)
    workers_token, firm_token = ApiToken.issue(workers, "test")[1], ApiToken.issue(firm, "test")[1]

    # when the workers' organization uploads a log with a problem (events in the future), the worker validates it
    invalid = upload(server, workers_token, "grievances", "log.csv", hotline_log("2999-01-01"))
    assert finished(server, workers_token, invalid)["status"] == "INVALID"
    # then the web tier builds its annotated error report from the bucket
    report = send("GET", f"{server}/imports/jobs/{invalid}/error-report.xlsx", workers_token)
    assert report.status == 200 and report.body.startswith(b"PK")

    # when a clean log is validated by the worker, then committed by it
    clean = upload(server, workers_token, "grievances", "log.csv", hotline_log("2026-02-01"))
    assert finished(server, workers_token, clean)["status"] == "READY"
    assert graphql(server, workers_token, COMMIT, {"id": clean})["importJobCommit"]["errors"] == []
    assert finished(server, workers_token, clean)["status"] == "COMMITTED"

    # and the audit firm uploads evidence through the web tier and downloads it again
    content = b"%PDF-1.4\n" + MARKER + b"\n%%EOF\n"
    added = graphql(server, firm_token, EVIDENCE, {"finding": to_global_id("Finding", finding.pk),
                                                   "content": base64.b64encode(content).decode()})["evidenceFileAdd"]
    assert added["errors"] == []
    downloaded = send("GET", added["evidenceFile"]["downloadUrl"], firm_token)
    assert (downloaded.status, downloaded.body) == (200, content)

    # then the bucket holds the invalid log and the evidence (the committed log is deleted), all encrypted
    stored = objects(store)
    assert sorted(key.rsplit("/", 2)[1] for key in stored) == ["evidence", "imports"]
    assert all(key.startswith("tributary/") and key.endswith(".enc") for key in stored)
    assert [key for key, body in stored.items() if NAME.encode() in body or MARKER in body] == []
    # and neither process left a file on its own disk
    assert web.local_files() == [] and worker.local_files() == []
