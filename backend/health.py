"""The health check (`GET /healthz`) and the answer to a request that failed because the database is unreachable.

Each check runs on a thread of its own with its own deadline, so a database that accepts connections and never
answers makes `/healthz` answer 503 within DEADLINE_SECONDS instead of holding the worker until it is killed; the
stuck check's thread carries on alone until the driver's own timeout (settings.DATABASES' connect_timeout) ends it.
"""

import sys
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import JsonResponse
from django.views.defaults import server_error as html_server_error

from backend.http import error

OK = "ok"
EAGER = "eager (no broker configured)"
TIMED_OUT = "error: no answer in time"
DEADLINE_SECONDS = 1.5


def healthz(request):
    """Database and broker reachability: 200 when both answer, 503 otherwise."""
    report = run_checks({"database": check_database, "broker": check_broker}, DEADLINE_SECONDS)
    healthy = all(value in (OK, EAGER) for value in report.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **report}, status=200 if healthy else 503)


class CheckThread(threading.Thread):
    """Runs one check and keeps its answer; a daemon, so a check that never returns cannot block an exit."""

    def __init__(self, check: Callable[[], str]) -> None:
        super().__init__(daemon=True)
        self.check = check
        self.answer: str | None = None

    def run(self) -> None:
        self.answer = self.check()


def run_checks(checks: dict[str, Callable[[], str]], seconds: float) -> dict[str, str]:
    """Run every check at once; a check that has not answered within `seconds` of the start reports TIMED_OUT."""
    threads = {name: CheckThread(check) for name, check in checks.items()}
    for thread in threads.values():
        thread.start()
    deadline = time.monotonic() + seconds
    for thread in threads.values():
        thread.join(max(0.0, deadline - time.monotonic()))
    return {name: thread.answer if thread.answer is not None else TIMED_OUT for name, thread in threads.items()}


def check_database() -> str:
    """SELECT 1 on a connection of this thread's own, closed afterwards (threads do not share connections)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return OK
    except Exception as failure:  # any driver error means unreachable
        return f"error: {type(failure).__name__}"
    finally:
        connection.close()


def check_broker() -> str:
    if not settings.CELERY_BROKER_URL:
        return EAGER
    from backend.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return OK
    except Exception as failure:  # any transport error means unreachable
        return f"error: {type(failure).__name__}"


def server_error(request):
    """Django's handler500: a JSON error shaped like the API's other errors, 503 when the database could not be
    reached (the client may retry later), 500 otherwise; browsers asking for HTML get Django's page instead."""
    unreachable = isinstance(sys.exc_info()[1], (OperationalError, InterfaceError))
    if "text/html" in request.headers.get("Accept", ""):
        response = html_server_error(request)
        response.status_code = 503 if unreachable else 500
        return response
    if unreachable:
        return error(503, "DATABASE_UNAVAILABLE", "The database did not answer; try again later.")
    return error(500, "INTERNAL_ERROR", "The server failed to answer this request.")
