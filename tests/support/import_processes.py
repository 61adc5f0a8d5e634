"""Import jobs run by real processes (tests/imports/test_import_worker.py and test_import_recovery.py): a supply
map big enough that its commit takes a while, `manage.py import_file` in a child process killed outright once it
has printed something, and a commit asked again until PostgreSQL has released the dead process's claim.

Children are slowed down by running them through tests/support/slow_imports.py (seconds of sleep after each
written batch and at each phase), so that the middle of a job lasts long enough to act in.
"""

import os
import signal
import subprocess
import threading
import time

from django.core.exceptions import ValidationError

from imports.models import ImportJob, Status
from imports.services import jobs
from support.import_helpers import csv_text
from support.servers import ROOT, current_database_url
from support.slow_imports import slowed_command

ROWS = 4000


def big_map() -> str:
    """A chain of ROWS sites: each site supplies the one ten places before it (the first ten supply the company)."""
    header = ["Site reference", "Site name", "Country", "Commodities", "Buyer site reference", "Commodity supplied"]
    rows = [[f"S-{i}", f"Site {i}", "IN", "cotton", "" if i < 10 else f"S-{i // 10}", "cotton"] for i in range(ROWS)]
    return csv_text(header, rows)


def child_env(media_root, **extra) -> dict:
    """The environment of a child process on this test's database (test settings, tasks eager), with `extra`."""
    env = {key: value for key, value in os.environ.items() if key not in ("CELERY_BROKER_URL", "CACHE_URL")}
    return {**env, "DJANGO_SETTINGS_MODULE": "backend.settings_test", "DATABASE_URL": current_database_url(),
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


def import_killed_when(arguments: list[str], media_root, printed, timeout: float, pause: float) -> str:
    """Run `import_file ARGUMENTS`, pausing `pause` seconds after each written batch and at each phase, and
    SIGKILL it once what it printed on stderr satisfies `printed`; return that."""
    process = subprocess.Popen(
        slowed_command(pause, "manage.py", "import_file", *arguments),
        cwd=ROOT, env=child_env(media_root),
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
