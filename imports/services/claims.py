"""Holding an import job for the process running it, so that no two processes run a job at once, and a job whose
process died is recognised as such (imports/services/jobs.py runs its operations `held`).

The claim is a session-level PostgreSQL advisory lock, which the server releases when the session ends: a process
that died (killed, out of memory, its machine gone) leaves the job free for the next delivery of its message or its
user's retry, while a live one keeps every other process off it. Elsewhere there is no claim.
"""

import functools
import logging
from contextlib import contextmanager

from django.db import DatabaseError, connection

from imports.models import ImportJob

logger = logging.getLogger(__name__)
CLAIM_SPACE = 7302  # first key of the advisory lock holding a job for its process (the second is the job's ID)


class Busy(Exception):
    """A live process holds the job: it is being validated or committed right now."""


@contextmanager
def claimed(job: ImportJob):
    """Hold the job for this process while it runs, or raise Busy if a live process holds it."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [CLAIM_SPACE, job.pk])
        if not cursor.fetchone()[0]:
            raise Busy()
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [CLAIM_SPACE, job.pk])
        except DatabaseError:  # the session is gone, and its claim with it
            logger.warning("Could not release the claim on import job %s; its session has ended", job.pk)


def being_run(job: ImportJob) -> bool:
    """Whether a live process holds the job (PostgreSQL); elsewhere a validating or committing job is taken as live."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = %s"
            " AND objid = %s AND objsubid = 2 AND database = (SELECT oid FROM pg_database"
            " WHERE datname = current_database()))", [CLAIM_SPACE, job.pk])
        return cursor.fetchone()[0]


def held(operation):
    """`operation(job, listener)` run holding the job's claim; while a live process holds it, the job is left
    to that process and returned as last stored."""
    @functools.wraps(operation)
    def run_held(job: ImportJob, listener=None) -> ImportJob:
        try:
            with claimed(job):
                return operation(job, listener)
        except Busy:
            job.refresh_from_db()
            return job

    return run_held
