"""Import jobs whose process died, with real processes on PostgreSQL: a job is held by the process running it (a
claim PostgreSQL releases when that process's connection ends), so a second delivery leaves a live job alone,
and a job left validating or committing by a dead process is taken again when the outbox delivers its message
again, or when its user asks for the commit. And in eager mode (no broker) an upload is answered at once, its
job running after the response.

The processes are slowed down by tests/support/slow_imports.py (a sleep after each written batch and at each
phase), so that the middle of a job lasts long enough to act in.
"""

import re
import subprocess
import time
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from backend import dispatch
from backend.models import ApiToken, OutboxMessage
from graph.models import NetworkSite
from imports.models import ImportJob, Status
from imports.services import claims, jobs
from support.import_processes import ROWS, big_map, commit_again, import_killed_when
from support.servers import current_database_url, gunicorn, timed
from support.slow_imports import PAUSE_ENV, slow_down
from support.services import require_service


WORKER_PID = re.compile(r"Booting worker with pid: (\d+)")


def require_postgres():
    require_service(connection.vendor == "postgresql", "this test needs PostgreSQL (set DATABASE_URL=postgres://…)")


def wait_for_status(job_id: int, statuses: set[str], seconds: float, process=None) -> ImportJob:
    deadline = time.monotonic() + seconds
    while True:
        job = ImportJob.objects.get(pk=job_id)
        if job.status in statuses:
            return job
        if time.monotonic() > deadline or (process is not None and process.poll() is not None):
            raise AssertionError(f"job {job_id} is {job.status}, not one of {statuses}")
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_in_eager_mode_an_upload_is_answered_at_once_and_its_job_runs_after_the_response(
        analyst, company, settings, monkeypatch):
    # given eager mode as in production (no broker; a request's tasks run on a background thread), imports slowed
    settings.EAGER_TASKS_IN_REQUESTS = "background"
    slow_down(0.1, monkeypatch.setattr)
    _, token = ApiToken.issue(analyst, "test")
    # when a 4,000-row supply map is uploaded to be committed
    response = Client().post("/imports/upload/?kind=supply_map&dry_run=false",
                             {"file": SimpleUploadedFile("big.csv", big_map().encode())},
                             HTTP_AUTHORIZATION=f"Bearer {token}")
    # then the answer comes before the job has run
    assert response.status_code == 202, response.content
    assert ImportJob.objects.get().status in (Status.QUEUED, Status.VALIDATING, Status.COMMITTING)
    # and the job runs after the response, to its end
    dispatch.background.drain()
    job = ImportJob.objects.get()
    assert job.status == Status.COMMITTED, (job.status, job.error)
    assert NetworkSite.objects.filter(company=company).count() == ROWS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_dry_run_killed_while_validating_can_still_be_committed(analyst, company, media_root, tmp_path):
    require_postgres()
    # given a dry run of a 4,000-row supply map by `import_file`, killed outright while it resolves its sites
    path = tmp_path / "big.csv"
    path.write_text(big_map())
    arguments = ["supply_map", str(path), "--org", company.name, "--dry-run"]
    import_killed_when(arguments, media_root, lambda printed: "resolving" in printed, timeout=60, pause=1)
    job = ImportJob.objects.get()
    assert job.status == Status.VALIDATING
    # when its commit is asked for, then it is validated again and committed
    job = commit_again(job, 15)
    assert job.status == Status.COMMITTED, job.error
    assert NetworkSite.objects.filter(company=company).count() == ROWS


def multipart(field: str, name: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\n"
            "Content-Type: text/csv\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_in_eager_mode_a_job_left_by_a_dead_web_worker_is_run_again_by_the_outbox_and_only_then(
        analyst, company, media_root, tmp_path):
    require_postgres()
    _, token = ApiToken.issue(analyst, "test")
    env = {"DATABASE_URL": current_database_url(), "MEDIA_ROOT": str(media_root), PAUSE_ENV: "2"}
    with gunicorn(tmp_path, env, "-c", "tests/support/slow_imports.py") as server:
        # given a dry run uploaded to gunicorn in eager mode, its web worker validating it after the response
        body, content_type = multipart("file", "big.csv", big_map().encode())
        answer = timed("POST", f"{server.url}/imports/upload/?kind=supply_map&dry_run=true", body,
                       {"Authorization": f"Bearer {token}", "Content-Type": content_type})
        assert answer.status == 202, answer.body
        job = wait_for_status(ImportJob.objects.get().pk, {Status.VALIDATING}, 30, server.process)
        # when its message is delivered again meanwhile (a sweep, another worker), then the live job is left alone
        assert jobs.run(job.pk).status == Status.VALIDATING
        with pytest.raises(ValidationError) as busy:
            jobs.request_commit(ImportJob.objects.get(pk=job.pk))
        assert busy.value.error_dict["id"][0].code == "busy"
        # and when the web worker is killed outright (as gunicorn's timeout kills it), the job stays validating
        [worker] = WORKER_PID.findall(server.output)
        subprocess.run(["kill", "-KILL", worker], check=True)
    assert ImportJob.objects.get(pk=job.pk).status == Status.VALIDATING
    assert OutboxMessage.objects.filter(task=jobs.RUN_TASK, args=[job.pk]).exists()
    # then once PostgreSQL has ended the dead worker's session (and so its claim on the job), the outbox's sweep,
    # past the message's lease, delivers it again and the job is validated
    deadline = time.monotonic() + 15
    while claims.being_run(job) and time.monotonic() < deadline:
        time.sleep(0.1)
    dispatch.sweep(now=timezone.now() + dispatch.LEASE + timedelta(seconds=1))
    job = ImportJob.objects.get(pk=job.pk)
    assert job.status == Status.READY, (job.status, job.error)
    assert job.created_count == ROWS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_delivery_that_finds_its_job_held_keeps_the_message_for_later(analyst, company):
    require_postgres()
    import psycopg

    from backend.tenancy import Viewer

    job = jobs.create_job(Viewer.of(analyst), "supply_map", SimpleUploadedFile("map.csv", big_map().encode()),
                          queue=False)
    # given another live process holding the job (its claim, taken on a connection of its own)
    holder = psycopg.connect(current_database_url(), autocommit=True)
    try:
        holder.execute("SELECT pg_advisory_lock(%s, %s)", [claims.CLAIM_SPACE, job.pk])
        # when the job's message is delivered
        with transaction.atomic():
            jobs.enqueue(job.pk)
        # then the job is left to its holder, and its message stays, claimed, for a later delivery
        assert ImportJob.objects.get(pk=job.pk).status == Status.QUEUED
        message = OutboxMessage.objects.get(task=jobs.RUN_TASK, args=[job.pk])
        assert message.published_at is not None and message.attempts == 0
    finally:
        holder.close()  # the holder dies: PostgreSQL ends its claim with its session
    # and once the lease has run out, the sweep delivers it again and the job runs, its message done
    dispatch.sweep(now=timezone.now() + dispatch.LEASE + timedelta(seconds=1))
    assert ImportJob.objects.get(pk=job.pk).status == Status.READY
    assert not OutboxMessage.objects.filter(task=jobs.RUN_TASK, args=[job.pk]).exists()
