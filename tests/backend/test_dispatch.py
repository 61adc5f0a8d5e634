"""The outbox (backend/dispatch.py), in eager mode, on the database of the run: a message is handed off once after
its commit, the sweep takes back what was never handed off or was lost past its lease, a failed task comes back
after a growing back-off and is left for an operator after MAX_ATTEMPTS, concurrent sweeps never run a message
twice, and inside a request the task runs after the response. The broker-down cases are in test_broker_down.py."""

import os
import subprocess
import sys
import threading
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from celery import shared_task
from django.core.management import call_command
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from django.utils import timezone

from backend import dispatch
from backend.dispatch import DurableTask
from backend.models import OutboxMessage

ROOT = Path(__file__).resolve().parents[2]
TASK = "test_dispatch.remember"
runs: list[str] = []
release = threading.Event()


@shared_task(base=DurableTask, name=TASK)
def remember(label: str, fail: bool = False, wait: bool = False) -> str:
    """A durable task that records its run (after waiting for `release` if asked) and fails if asked."""
    if wait:
        assert release.wait(timeout=30), "the test never released the task"
    runs.append(label)
    if fail:
        raise RuntimeError(f"{label} failed on purpose")
    return label


def send_view(request):
    """A view that changes nothing but sends a message, the way a mutation does."""
    with transaction.atomic():
        dispatch.send(TASK, "from a request", False, True)
    return HttpResponse("sent")


urlpatterns = [path("send/", send_view)]


@pytest.fixture(autouse=True)
def fresh():
    runs.clear()
    release.clear()
    yield
    release.set()


def stored(label: str, fail: bool = False, **fields) -> OutboxMessage:
    """A committed message, as `send` leaves it (or as `fields` say: claimed, failed before…)."""
    return OutboxMessage.objects.create(task=TASK, args=[label, fail], available_at=timezone.now(), **fields)


def test_a_message_is_handed_off_after_its_commit_runs_once_and_is_deleted(db, django_capture_on_commit_callbacks):
    # given a message sent inside a transaction
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            message = dispatch.send(TASK, "one")
        # then nothing runs before the commit
        assert runs == []
    # when the transaction commits, its task runs, the message is deleted, and neither the sender (again) nor a
    # sweep runs it a second time
    for callback in callbacks:
        callback()
    assert runs == ["one"]
    assert not OutboxMessage.objects.filter(pk=message.pk).exists()
    dispatch.hand_off(message)
    assert dispatch.sweep() == 0 and runs == ["one"]


def test_a_rolled_back_change_sends_nothing(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            dispatch.send(TASK, "never")
            1 / 0
    assert callbacks == [] and not OutboxMessage.objects.exists() and runs == []


def test_only_a_durable_task_can_be_sent(db):
    with pytest.raises(TypeError, match="backend.tasks.sweep_outbox is not a DurableTask"):
        dispatch.send("backend.tasks.sweep_outbox")
    assert not OutboxMessage.objects.exists()


def test_the_sweep_hands_off_a_message_never_handed_off_and_one_lost_past_its_lease(db):
    # given a message whose hand-off never happened (its process died after the commit), one claimed longer ago
    # than the lease (its broker lost it) and one claimed just now (its task is queued or running)
    now = timezone.now()
    stored("never handed off")
    stored("lost", published_at=now - dispatch.LEASE - timedelta(seconds=1))
    held = stored("held", published_at=now - timedelta(seconds=5))
    # when the sweep runs, it runs the first two, and leaves the one still within its lease
    assert dispatch.sweep() == 2
    assert sorted(runs) == ["lost", "never handed off"]
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [held.pk]


def test_a_message_held_by_a_sweep_is_not_handed_off_again_by_its_sender(db):
    message = stored("claimed by a sweep", published_at=timezone.now())
    dispatch.hand_off(message)
    assert runs == []


def test_a_message_not_yet_due_waits_for_its_time(db):
    now = timezone.now()
    OutboxMessage.objects.create(task=TASK, args=["later"], available_at=now + timedelta(seconds=5))
    assert dispatch.sweep(now) == 0
    assert dispatch.sweep(now + timedelta(seconds=5)) == 1 and runs == ["later"]


@pytest.mark.failing_tasks_expected
def test_a_failed_task_comes_back_after_a_growing_back_off_and_is_left_after_max_attempts(
        db, failing_tasks_fail_the_test):
    # given a message whose task fails every time
    message = stored("failing", fail=True)
    now = timezone.now()
    waits = []
    for attempt in range(1, dispatch.MAX_ATTEMPTS + 1):
        # when the sweep runs it once it is due
        assert dispatch.sweep(now) == 1
        message.refresh_from_db()
        # then the failure is counted and recorded, the message released and due again only after the back-off
        assert message.attempts == attempt and message.published_at is None
        assert message.last_error == "RuntimeError: failing failed on purpose"
        waits.append(round((message.available_at - timezone.now()).total_seconds()))
        assert dispatch.sweep(message.available_at - timedelta(seconds=1)) == 0
        now = message.available_at
    # the waits double from 30 s up to an hour, and after MAX_ATTEMPTS failures the sweep leaves the message
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]
    assert dispatch.sweep(now + timedelta(days=1)) == 0
    assert runs == ["failing"] * dispatch.MAX_ATTEMPTS
    # and every failure was seen by the suite's check on failing tasks (tests/conftest.py)
    assert len(failing_tasks_fail_the_test) == dispatch.MAX_ATTEMPTS


def test_an_operator_sees_a_given_up_message_with_its_error_and_can_make_it_due_again(db):
    # given a message whose task failed MAX_ATTEMPTS times, and one waiting for its time
    stored("given up", attempts=dispatch.MAX_ATTEMPTS, last_error="RuntimeError: the mill's ID is unknown")
    OutboxMessage.objects.create(task=TASK, args=["later"], available_at=timezone.now() + timedelta(hours=1))
    # when the operator lists the outbox
    listing = StringIO()
    call_command("outbox", stdout=listing)
    # then the given-up message is shown with its error and what to do, the other with when it is due
    assert "given up after 10 failures (run with --retry once the cause is fixed)" in listing.getvalue()
    assert "last error: RuntimeError: the mill's ID is unknown" in listing.getvalue()
    assert "due at " in listing.getvalue() and "2 message(s) in the outbox." in listing.getvalue()
    assert dispatch.sweep() == 0
    # and after --retry the sweep runs it again
    retried = StringIO()
    call_command("outbox", "--retry", stdout=retried)
    assert "1 given-up message(s) are due again." in retried.getvalue()
    assert dispatch.sweep() == 1 and runs == ["given up"]


def test_the_marker_that_lets_a_task_fail_is_registered(pytestconfig):
    assert any(line.startswith("failing_tasks_expected:") for line in pytestconfig.getini("markers"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sweeps_running_at_once_in_two_threads_run_each_message_once(postgres):
    # given 300 messages never handed off
    OutboxMessage.objects.bulk_create(
        OutboxMessage(task=TASK, args=[f"m{i}"], available_at=timezone.now()) for i in range(300)
    )
    start = threading.Barrier(2)
    counts = []

    def sweep():
        try:
            start.wait()
            counts.append(dispatch.sweep())
        finally:
            connection.close()

    # when two sweeps start at the same moment
    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # then between them they ran every message exactly once
    assert sorted(runs) == sorted(f"m{i}" for i in range(300))
    assert sum(counts) == 300 and not OutboxMessage.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.urls(__name__)
def test_inside_a_request_an_eager_task_runs_after_the_response(settings):
    # given eager mode as in production, where a task sent by a request runs on the background thread
    settings.EAGER_TASKS_IN_REQUESTS = "background"
    # when a request sends a message whose task waits until the test releases it
    response = Client().get("/send/")
    # then the response has come back while the task has not run yet, its message still stored
    assert response.status_code == 200 and runs == []
    assert OutboxMessage.objects.filter(task=TASK).count() == 1
    # and once released, the task runs after the response and its message is deleted
    release.set()
    dispatch.background.drain()
    assert runs == ["from a request"]
    assert not OutboxMessage.objects.exists()


def test_start_up_fails_on_an_eager_mode_that_does_not_exist():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "backend.settings", "EAGER_TASKS_IN_REQUESTS": "later",
           "SECRET_KEY": "x", "DEBUG": "1"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode != 0
    assert "EAGER_TASKS_IN_REQUESTS must be 'background' or 'inline', not 'later'." in result.stderr


def test_the_background_runner_stops_after_running_what_was_submitted(db):
    # given a running runner thread with a message queued
    runner = dispatch.BackgroundRunner()
    runner.start()
    thread = runner.thread
    runner.queue.put(12345)  # no such message: run_here finds nothing and the runner goes on
    # when it is stopped
    runner.stop()
    # then the queued message ran before the thread ended, and starting again makes a new thread
    assert not thread.is_alive() and runner.queue.unfinished_tasks == 0
    runner.start()
    assert runner.thread is not thread and runner.thread.is_alive()
    runner.stop()
    assert runner.thread is None
