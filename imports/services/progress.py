"""Progress of a running import job: phase, rows done and rows total, readable while the job runs.

The job's row holds the progress, but while the commit's transaction is open its updates stay invisible to
everyone else. So progress is also kept in the cache, which all processes share (Redis when a broker is
configured), and `current(job)` prefers the cache while the job runs. Updates are throttled: at most one
every THROTTLE_SECONDS, plus one at each change of phase.
"""

import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection

THROTTLE_SECONDS = 0.25
CACHE_SECONDS = 24 * 3600


def cache_key(job_id: int) -> str:
    return f"imports:progress:{job_id}"


class Progress:
    """Reports a job's progress to the cache, to its row (outside transactions) and to an optional listener."""

    def __init__(self, job, listener: Callable[[str, int, int], None] | None = None) -> None:
        self.job = job
        self.listener = listener
        self.phase, self.done, self.total = job.phase, 0, 0
        self._last = 0.0

    def start(self, phase: str, total: int = 0) -> None:
        """Begin a phase; the previous one is reported complete first."""
        if self.phase != phase and (self.done or self.total) and self.listener is not None:
            self.listener(self.phase, max(self.done, self.total), max(self.done, self.total))
        self.phase, self.done, self.total = phase, 0, total
        self._publish(force=True)

    def set_total(self, total: int) -> None:
        self.total = total
        self._publish()

    def advance(self, count: int = 1) -> None:
        self.done += count
        self._publish()

    def reached(self, done: int) -> None:
        self.done = done
        self._publish()

    def _publish(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < THROTTLE_SECONDS:
            return
        self._last = now
        state = {"phase": self.phase, "done": self.done, "total": max(self.total, self.done)}
        cache.set(cache_key(self.job.pk), state, CACHE_SECONDS)
        if not connection.in_atomic_block:
            type(self.job).objects.filter(pk=self.job.pk).update(
                phase=self.phase, rows_done=state["done"], rows_total=state["total"]
            )
        self.job.phase, self.job.rows_done, self.job.rows_total = self.phase, state["done"], state["total"]
        if self.listener is not None:
            self.listener(self.phase, state["done"], state["total"])


def current(job) -> dict:
    """{phase, done, total} of a job: from the cache while it runs, from its row otherwise."""
    from imports.models import Status

    if job.status in (Status.QUEUED, Status.VALIDATING, Status.COMMITTING):
        state = cache.get(cache_key(job.pk))
        if state is not None:
            return state
    return {"phase": job.phase, "done": job.rows_done, "total": job.rows_total}
