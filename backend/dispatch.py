"""Handing work off durably: every task that must follow a committed change goes through `send()`.

    send("graph.tasks.recompute_company_risk", company.pk, countdown=5)

`send()` writes an `OutboxMessage` in the caller's transaction, so the message is stored if and only if the
change is. After the commit it is handed off; nothing that happens then can fail the request or undo the change.

Handing off starts with a claim: `published_at` is set on the row by one UPDATE that succeeds only if nobody holds
the message (it is unclaimed, or its lease has run out). Whoever wins the claim, the sender after its commit or a
sweep, hands the message off, and nobody else does until the lease runs out, so two processes never hand off the
same message at once. Then:

- With a broker, it is published once, without retries. If that fails (broker down) the claim is released and
  the error recorded, and `sweep()`, which beat runs every minute, publishes it again. The sweep also takes back
  the messages whose task has not finished within `LEASE` (a broker that lost its queue, a worker killed
  mid-task) and, after a growing back-off, those whose task failed.
- Without a broker (eager mode) the task runs in this process: at once, outside HTTP requests (commands, the
  demo's loading); after the response, on one background thread, inside requests, so that no request runs an
  import or a recomputation of unbounded size (settings.EAGER_TASKS_IN_REQUESTS = "inline" runs them at once
  there too, which the tests use). The background thread also sweeps, when it starts and every minute, so a
  message left by a process that died is run again.

Tasks sent this way use `DurableTask` as their base: the message is deleted when the task succeeds and
rescheduled when it fails. Every such task must be idempotent, since a message may be delivered twice.
"""

import contextvars
import logging
import queue
import threading
from datetime import datetime, timedelta
from importlib import import_module

from celery import Task, current_app
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from backend.models import OutboxMessage

logger = logging.getLogger(__name__)

TASK_ID_PREFIX = "outbox-"
LEASE = timedelta(minutes=30)  # a claimed message whose task has not finished by then is handed off again
MAX_ATTEMPTS = 10  # failed runs after which a message is left for an operator (docs/operations.md)
SWEEP_SECONDS = 60
SWEEP_BATCH = 1000
ERROR_LENGTH = 2000


def send(task_name: str, *args, countdown: float = 0) -> OutboxMessage:
    """Store a message for `task_name(*args)` in the current transaction; hand it off once that commits.

    The task must be a registered DurableTask: anything else could never be marked done, and is refused here,
    inside the change's transaction, rather than stored as a message nobody can run.
    """
    task = task_named(task_name)
    if not isinstance(task, DurableTask):
        raise TypeError(f"{task_name} is not a DurableTask; only those can be sent through the outbox")
    message = OutboxMessage.objects.create(
        task=task_name, args=list(args), available_at=timezone.now() + timedelta(seconds=countdown)
    )
    transaction.on_commit(lambda: hand_off(message))
    return message


def hand_off(message: OutboxMessage) -> None:
    """After the commit that stored it: claim the message and deliver it, unless a sweep got there first."""
    try:
        if claim(message.pk, timezone.now()):
            deliver(message)
    except Exception:  # the change is committed: whatever fails now is the sweep's to retry, not the caller's
        logger.exception("Could not hand off %s; it stays in the outbox and will be retried", message)


def claim(message_id: int, now: datetime) -> bool:
    """Take the message for handing off, if nobody holds it: unclaimed, or claimed longer ago than LEASE."""
    free = Q(published_at__isnull=True) | Q(published_at__lte=now - LEASE)
    return OutboxMessage.objects.filter(free, pk=message_id).update(published_at=now) == 1


def deliver(message: OutboxMessage) -> None:
    """Hand a claimed message to the broker, or run it in this process (eager mode)."""
    if not eager():
        publish(message)
    elif in_request.get() and settings.EAGER_TASKS_IN_REQUESTS != "inline":
        background.submit(message.pk)
    else:
        run_here(message.pk)


def publish(message: OutboxMessage) -> None:
    """Send the message to the broker, to run at its `available_at`; if that fails, release it for the sweep."""
    task = task_named(message.task)
    eta = message.available_at if message.available_at > timezone.now() else None
    try:
        task.apply_async(args=message.args, task_id=task_id(message.pk), eta=eta, retry=False)
    except Exception as error:
        OutboxMessage.objects.filter(pk=message.pk).update(
            published_at=None, last_error=f"Could not publish: {describe(error)}"[:ERROR_LENGTH]
        )
        raise


def run_here(message_id: int) -> None:
    """Run a claimed message's task in this process (eager mode); its outcome is recorded by `DurableTask`."""
    message = OutboxMessage.objects.filter(pk=message_id).first()
    if message is None:
        return  # already done
    task_named(message.task).apply(args=message.args, task_id=task_id(message_id), throw=False)


def sweep(now: datetime | None = None) -> int:
    """Claim and hand off every due message that nobody holds; return how many.

    Due: its `available_at` has come (a debounce, or a failure's back-off) and it has failed fewer than
    MAX_ATTEMPTS times. Sweeps running at once in several processes claim disjoint messages (SKIP LOCKED).
    """
    now = now or timezone.now()
    with transaction.atomic():
        due = OutboxMessage.objects.select_for_update(skip_locked=True).filter(
            Q(published_at__isnull=True) | Q(published_at__lte=now - LEASE),
            available_at__lte=now, attempts__lt=MAX_ATTEMPTS,
        )
        messages = list(due.order_by("available_at", "pk")[:SWEEP_BATCH])
        OutboxMessage.objects.filter(pk__in=[message.pk for message in messages]).update(published_at=now)
    for message in messages:
        try:
            deliver(message)
        except Exception:
            logger.exception("Could not hand off %s; the next sweep tries again", message)
    return len(messages)


def given_up():
    """The messages the sweep no longer hands off: their task failed MAX_ATTEMPTS times (docs/operations.md)."""
    return OutboxMessage.objects.filter(attempts__gte=MAX_ATTEMPTS)


def retry_given_up() -> int:
    """Make the given-up messages due again, with their count of failures reset (once their cause is fixed)."""
    return given_up().update(attempts=0, available_at=timezone.now(), published_at=None)


def eager() -> bool:
    """Whether tasks run in this process (no broker configured: settings.CELERY_TASK_ALWAYS_EAGER)."""
    return bool(current_app.conf.task_always_eager)


def task_named(name: str) -> Task:
    """The registered task of this name; its module is imported first (only workers import every tasks module)."""
    import_module(name.rsplit(".", 1)[0])
    return current_app.tasks[name]


def task_id(message_id: int) -> str:
    return f"{TASK_ID_PREFIX}{message_id}"


def message_id_of(celery_task_id: str | None) -> int | None:
    if celery_task_id and celery_task_id.startswith(TASK_ID_PREFIX):
        return int(celery_task_id[len(TASK_ID_PREFIX):])
    return None


def back_off(attempts: int) -> timedelta:
    """The wait before run `attempts + 1`: 30 s · 2^(attempts − 1), at most an hour."""
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:ERROR_LENGTH]


class DurableTask(Task):
    """Base of the tasks sent through the outbox: success deletes the message, failure reschedules it."""

    def on_success(self, retval, celery_task_id, args, kwargs):
        message_id = message_id_of(celery_task_id)
        if message_id is not None:
            OutboxMessage.objects.filter(pk=message_id).delete()

    def on_failure(self, exc, celery_task_id, args, kwargs, einfo):
        message_id = message_id_of(celery_task_id)
        if message_id is None:
            return
        logger.error("Task %s%s failed (outbox message %s): %s", self.name, tuple(args), message_id, exc)
        try:
            reschedule(message_id, exc)
        except Exception:  # the database itself may be what failed; the lease brings the message back anyway
            logger.exception("Could not record the failure of outbox message %s", message_id)


def reschedule(message_id: int, error: BaseException) -> None:
    """Count a failed run, release the message and make it due again after `back_off`."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            return
        OutboxMessage.objects.filter(pk=message_id).update(
            attempts=F("attempts") + 1, last_error=describe(error), published_at=None,
            available_at=timezone.now() + back_off(message.attempts + 1),
        )


# Whether this thread is serving an HTTP request (Django's request signals set and clear it).
in_request = contextvars.ContextVar("tributary_in_request", default=False)


def mark_request_started(**kwargs) -> None:
    in_request.set(True)
    if eager() and settings.EAGER_TASKS_IN_REQUESTS != "inline":
        background.start()  # its first sweep runs what a process that died left behind


request_started.connect(mark_request_started, weak=False, dispatch_uid="dispatch_request_started")
request_finished.connect(lambda **kwargs: in_request.set(False), weak=False, dispatch_uid="dispatch_request_finished")


class BackgroundRunner:
    """One daemon thread that runs eager-mode messages after the requests that sent them, and sweeps."""

    STOP = None  # put on the queue by stop(): the thread ends after the messages before it

    def __init__(self) -> None:
        self.queue: queue.Queue = queue.Queue()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def start(self) -> None:
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self.work, name="tributary-eager-tasks", daemon=True)
                self.thread.start()

    def submit(self, message_id: int) -> None:
        self.start()
        self.queue.put(message_id)

    def work(self) -> None:
        self.safely(sweep)
        while True:
            try:
                message_id = self.queue.get(timeout=SWEEP_SECONDS)
            except queue.Empty:
                self.safely(sweep)
                continue
            try:
                if message_id is self.STOP:
                    return
                self.safely(run_here, message_id)
            finally:
                self.queue.task_done()

    @staticmethod
    def safely(function, *args) -> None:
        try:
            function(*args)
        except Exception:
            logger.exception("The in-process task runner failed; the outbox keeps the work for the next sweep")
        finally:
            connections.close_all()

    def drain(self) -> None:
        """Wait until every submitted message has run (tests, and a command's exit)."""
        self.queue.join()

    def stop(self) -> None:
        """Run what was submitted, then end the thread (before its database goes away: the test database's
        teardown, which a sweep due later would otherwise meet as an OperationalError)."""
        with self.lock:
            thread, self.thread = self.thread, None
        if thread is not None and thread.is_alive():
            self.queue.put(self.STOP)
            thread.join()


background = BackgroundRunner()
