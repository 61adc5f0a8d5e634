"""With the broker down, a mutation's change and its follow-up work are committed together and the response is a
success; once the broker is back, the sweep (what beat runs every minute) hands the work off and a worker does it.

Real processes: a redis-server started on a free port chosen at run time (nothing listens there while the broker
is down), a `celery -A backend worker` on it, PostgreSQL. The web side is this process, sending to that broker.
The three cases of issue 13: grievanceClose, supplyLinkCreate, and an upload to be committed.
"""

import datetime
import json
import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from graphql_relay import to_global_id

from audits.models import Grievance, GrievanceState
from audits.services import grievances
from backend.models import ApiToken, OrganizationKind, OutboxMessage, Role
from backend.tenancy import Viewer
from factories import add_site
from graph.models import NetworkSite, PendingRecompute, RiskScore, SupplyLink
from imports.models import ImportJob, Status
from support.servers import celery_sending_to, current_database_url, free_port, stop
from support.services import require_service

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server")
CLOSE = "mutation($id: ID!) { grievanceClose(id: $id) { grievance { state } errors { field code message } } }"
LINK_CREATE = """mutation($input: SupplyLinkInput!) { supplyLinkCreate(input: $input) {
  supplyLink { id } errors { field code message } } }"""
UPLOAD = """mutation($file: Upload!) { importFileUpload(kind: SUPPLY_MAP, file: $file, commit: true) {
  job { id } errors { field code message } } }"""
SUPPLY_MAP = ("Site reference,Site name,Country,Commodities,Buyer site reference,Commodity supplied\n"
              "S-1,Spinning mill,IN,cotton,,cotton\nS-2,Cotton farm,IN,cotton,S-1,cotton\n")

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class Broker:
    """A Redis URL on a free port, where nothing listens until `start()` runs a real redis-server there."""

    def __init__(self, log: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        import redis

        with self.log.open("wb") as output:
            self.process = subprocess.Popen(
                [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                stdout=output, stderr=subprocess.STDOUT,
            )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        wait_for(lambda: ping(client), 30, lambda: self.log.read_text())

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)


def ping(client) -> bool:
    import redis

    try:
        return client.ping()
    except redis.RedisError:
        return False


def wait_for(condition, seconds: float, describe=lambda: "") -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {seconds} s\n{describe()}")
        time.sleep(0.1)


@pytest.fixture
def broker(tmp_path, postgres):
    """The broker, down, and this process sending its tasks to it (no longer eager)."""
    require_service(REDIS_SERVER is not None, "this test needs redis-server on the PATH")
    down = Broker(tmp_path / "redis.log")
    try:
        with celery_sending_to(down.url):
            yield down
    finally:
        down.stop()


@contextmanager
def worker(broker: Broker, tmp_path: Path, media_root):
    """A real `celery -A backend worker` on the broker and this test's database; yields its log."""
    env = {key: value for key, value in os.environ.items() if key not in ("CELERY_BROKER_URL", "CACHE_URL")}
    env.update(DJANGO_SETTINGS_MODULE="backend.settings_test", DATABASE_URL=current_database_url(),
               CELERY_BROKER_URL=broker.url, MEDIA_ROOT=str(media_root), PYTHONUNBUFFERED="1")
    log = tmp_path / "worker.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "backend", "worker", "--pool=solo", "--without-gossip",
             "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )
    try:
        wait_for(lambda: " ready." in log.read_text(), 60, lambda: log.read_text())
        yield log
    finally:
        stop(process)


def post(user, query: str, variables: dict | None = None, files: dict | None = None):
    """POST a GraphQL request as `user` (multipart when files are sent); returns the HTTP response."""
    _, raw = ApiToken.issue(user, "test")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    if files is None:
        body = json.dumps({"query": query, "variables": variables or {}})
        return Client().post("/graphql/", body, content_type="application/json", **headers)
    data = {"operations": json.dumps({"query": query, "variables": {name: None for name in files}}),
            "map": json.dumps({str(i): [f"variables.{name}"] for i, name in enumerate(files)}),
            **{str(i): upload for i, upload in enumerate(files.values())}}
    return Client().post("/graphql/", data, **headers)


def assert_kept_for_the_sweep(task: str) -> OutboxMessage:
    """The follow-up work is stored, not handed off: its publication failed on the broker being down."""
    message = OutboxMessage.objects.get(task=task)
    assert message.published_at is None
    assert message.last_error.startswith("Could not publish: OperationalError"), message.last_error
    return message


def broker_back_and_swept(broker: Broker, tmp_path: Path, media_root, done, seconds: float = 90) -> None:
    """Start the broker and a worker, and send the sweep as beat does (every second here, not every minute)
    until `done()` and the outbox is empty."""
    from backend.tasks import sweep_outbox

    broker.start()
    with worker(broker, tmp_path, media_root) as log:
        def swept() -> bool:
            if done() and not OutboxMessage.objects.exists():
                return True
            sweep_outbox.apply_async()
            time.sleep(0.9)
            return False

        wait_for(swept, seconds, lambda: log.read_text()[-4000:])


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_grievance_close_with_the_broker_down_succeeds_and_its_recompute_runs_once_the_broker_is_back(
        broker, make_org, make_user, tmp_path, media_root):
    # given a grievance about the company's mill, found not substantiated (with tasks still run in process)
    company = make_org("Company A")
    analyst = make_user(company, Role.ANALYST)
    workers = make_user(make_org("Workers Org W", OrganizationKind.WORKERS_ORG), Role.ANALYST)
    mill = add_site(analyst, "Mill")
    grievance = grievances.file_grievance(Viewer.of(workers), mill, {
        "channel": "hotline", "category": "debt_bondage", "description": "Recruitment fees deducted from wages",
        "events_on": datetime.date(2026, 1, 5),
    })
    PendingRecompute.objects.all().delete()
    OutboxMessage.objects.all().delete()
    for step in (grievances.acknowledge, grievances.investigate):
        step(Viewer.of(analyst), grievance)
    grievances.conclude(Viewer.of(analyst), grievance, substantiated=False)
    PendingRecompute.objects.all().delete()
    OutboxMessage.objects.all().delete()
    # when the workers' organization closes it while the broker is down
    response = post(workers, CLOSE, {"id": to_global_id("Grievance", grievance.pk)})
    # then the close succeeded and is saved, and its recomputation is kept for the sweep
    assert response.status_code == 200
    assert response.json()["data"]["grievanceClose"] == {"grievance": {"state": "CLOSED"}, "errors": []}
    assert Grievance.objects.get(pk=grievance.pk).state == GrievanceState.CLOSED
    assert_kept_for_the_sweep("graph.tasks.recompute_company_risk")
    assert PendingRecompute.objects.filter(company=company, site_id=mill.pk).exists()
    # and once the broker is back, the sweep hands it off and a worker recomputes the company's risk
    broker_back_and_swept(broker, tmp_path, media_root, lambda: not PendingRecompute.objects.exists())


def test_supply_link_create_with_the_broker_down_succeeds_and_the_link_is_scored_once_the_broker_is_back(
        broker, analyst, company, tmp_path, media_root):
    # given a farm in the company's network
    farm = add_site(analyst, "Farm", country="TM", kind="farm")
    PendingRecompute.objects.all().delete()
    OutboxMessage.objects.all().delete()
    # when a link from it is created while the broker is down
    response = post(analyst, LINK_CREATE, {"input": {"upstreamId": to_global_id("Site", farm.pk),
                                                     "commodity": "cotton", "share": 1}})
    # then the link is created, and its recomputation is kept for the sweep
    assert response.status_code == 200
    assert response.json()["data"]["supplyLinkCreate"]["errors"] == []
    assert SupplyLink.objects.filter(company=company, upstream=farm).exists()
    assert_kept_for_the_sweep("graph.tasks.recompute_company_risk")
    assert not RiskScore.objects.filter(company=company, site=farm).exists()
    # and once the broker is back, the sweep hands it off and a worker scores the new link's farm
    broker_back_and_swept(broker, tmp_path, media_root,
                          lambda: RiskScore.objects.filter(company=company, site=farm).exists())


def test_an_upload_with_the_broker_down_succeeds_and_its_job_runs_once_the_broker_is_back(
        broker, analyst, company, tmp_path, media_root):
    # when a supply map is uploaded, to be committed, while the broker is down
    upload = SimpleUploadedFile("map.csv", SUPPLY_MAP.encode(), content_type="text/csv")
    response = post(analyst, UPLOAD, files={"file": upload})
    # then the upload succeeded, and its job is queued with its message kept for the sweep
    assert response.status_code == 200
    assert response.json()["data"]["importFileUpload"]["errors"] == []
    job = ImportJob.objects.get()
    assert job.status == Status.QUEUED
    assert_kept_for_the_sweep("imports.tasks.run_import_job")
    # and once the broker is back, the sweep hands it off and a worker commits the map
    broker_back_and_swept(broker, tmp_path, media_root,
                          lambda: ImportJob.objects.get(pk=job.pk).status == Status.COMMITTED)
    assert NetworkSite.objects.filter(company=company).count() == 2
