"""Import jobs slowed down for the tests that act in the middle of one (kill its process, deliver it again).

Production code has no pause of its own: this module wraps two of its steps with a sleep, so that the middle of a
job lasts long enough to act in:
- every batch the bulk writer writes (the `on_batch` callback given to backend.db.writer.Writer), and
- the start of every phase of a job (imports.services.progress.Progress.start).

In the test's own process: `slow_down(seconds, monkeypatch.setattr)`. In a child process, run its command
through this file (`slowed_command`), which slows the imports down before running it:

    python tests/support/slow_imports.py SECONDS manage.py import_file …
    python tests/support/slow_imports.py SECONDS -m celery -A backend worker …

and under gunicorn, load this file as a configuration file with PAUSE_ENV set to the seconds:
`gunicorn -c tests/support/slow_imports.py …` (its post_worker_init hook slows the worker down once it has loaded
the application).
"""

import functools
import os
import runpy
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAUSE_ENV = "TRIBUTARY_TEST_IMPORT_PAUSE"  # read by the gunicorn hook below, and by nothing in production


def slow_down(seconds: float, patch=setattr) -> None:
    """Sleep `seconds` after every batch the writer writes and at the start of every phase of a job; `patch`
    sets the wrapped methods (monkeypatch.setattr undoes them after the test)."""
    from backend.db.writer import Writer
    from imports.services.progress import Progress

    writer_init, phase_start = Writer.__init__, Progress.start

    @functools.wraps(writer_init)
    def init_pausing_after_batches(writer, on_batch=None):
        def batch_then_pause(count: int) -> None:
            if on_batch is not None:
                on_batch(count)
            time.sleep(seconds)

        writer_init(writer, on_batch=batch_then_pause)

    @functools.wraps(phase_start)
    def start_then_pause(progress, *args, **kwargs):
        phase_start(progress, *args, **kwargs)
        time.sleep(seconds)

    patch(Writer, "__init__", init_pausing_after_batches)
    patch(Progress, "start", start_then_pause)


def slowed_command(seconds: float, *command: str) -> list[str]:
    """The arguments of a child process running `python COMMAND…` with its imports slowed down by `seconds`."""
    return [sys.executable, __file__, str(seconds), *command]


def post_worker_init(worker) -> None:
    """gunicorn's hook, run in each worker once the application is loaded."""
    slow_down(float(os.environ[PAUSE_ENV]))


def run_slowed(arguments: list[str]) -> None:
    """`SECONDS SCRIPT ARGS…` or `SECONDS -m MODULE ARGS…`: set Django up, slow the imports down, run the command
    as `python SCRIPT ARGS…` (or `python -m MODULE ARGS…`) would."""
    seconds, *command = arguments
    sys.path[0] = str(ROOT)  # the project's packages, as for `python manage.py`, not this directory's modules
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings_test")
    import django

    django.setup()
    slow_down(float(seconds))
    if command[0] == "-m":
        module, *rest = command[1:]
        sys.argv = [module, *rest]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    else:
        sys.argv = command
        runpy.run_path(command[0], run_name="__main__")


if __name__ == "__main__":
    run_slowed(sys.argv[1:])
