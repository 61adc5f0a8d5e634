"""Real server processes for tests: gunicorn or `manage.py runserver` on a free port chosen at run time, with the
production settings (DEBUG off), and a fake database server that accepts connections and never answers."""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "backend.settings",
    "DEBUG": "0",
    "SECRET_KEY": "test-only-secret-key-not-for-production",
    "GRIEVANCE_ENCRYPTION_KEY": "dGVzdC1vbmx5LWdyaWV2YW5jZS1rZXktMzItYnl0ZXM=",
    "ALLOWED_HOSTS": "127.0.0.1",
    "PYTHONUNBUFFERED": "1",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def current_database_url() -> str:
    """The URL of the database this test runs on, for a child process to use the same one."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@dataclass
class Server:
    """A running server: its base URL and everything it printed so far (stdout and stderr together)."""

    url: str
    process: subprocess.Popen
    output_path: Path

    @property
    def output(self) -> str:
        return self.output_path.read_text(errors="replace")


@contextmanager
def serving(command: list[str], port: int, env: dict, output_path: Path):
    """Start `command`, wait until it accepts connections on `port`, yield a Server, stop it afterwards."""
    child_env = {key: value for key, value in os.environ.items() if key not in ("CELERY_BROKER_URL", "CACHE_URL")}
    with output_path.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env={**child_env, **PRODUCTION_ENV, **env},
                                   stdout=output, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", process, output_path)
    try:
        wait_until_listening(server, port)
        yield server
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    """Terminate a child process, killing it if it has not exited within 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def celery_sending_to(broker_url: str, **conf):
    """This process's Celery app sends its tasks to `broker_url` (no longer eager), with `conf` also set."""
    from backend.celery import app

    changed = {"broker_url": broker_url, "task_always_eager": False, **conf}
    saved = {key: app.conf[key] for key in changed}

    def forget_connections():
        """Connections and producers are cached on first use; drop them so the broker URL in force is used."""
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None

    forget_connections()
    app.conf.update(changed)
    try:
        yield app
    finally:
        app.conf.update(saved)
        forget_connections()


def wait_until_listening(server: Server, port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"the server exited with {server.process.returncode}:\n{server.output}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"the server did not listen within {seconds} s:\n{server.output}")


def gunicorn(tmp_path: Path, env: dict, *options: str):
    """gunicorn serving backend.wsgi (one worker) with `options`, e.g. ("-c", "backend/gunicorn.conf.py")."""
    port = free_port()
    command = [GUNICORN, "backend.wsgi", *options, "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60"]
    return serving(command, port, env, tmp_path / "gunicorn.log")


def runserver(tmp_path: Path, env: dict):
    port = free_port()
    command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"]
    return serving(command, port, env, tmp_path / "runserver.log")


@contextmanager
def silent_database():
    """A TCP server that accepts every connection and never sends a byte: a database that hangs. Yields its port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held: list[socket.socket] = []
    stopping = threading.Event()

    def accept() -> None:
        while not stopping.is_set():
            try:
                accepted, _ = listener.accept()
            except OSError:
                return
            held.append(accepted)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stopping.set()
        listener.close()
        for accepted in held:
            accepted.close()


@dataclass
class Answer:
    """What a server answered and how long it took."""

    status: int
    headers: dict
    body: bytes
    seconds: float


def timed(method: str, url: str, body: bytes | None = None, headers: dict | None = None) -> Answer:
    """Send one request and time its answer (the client gives up after 30 s)."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, answer_headers, content = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as refused:
        status, answer_headers, content = refused.code, dict(refused.headers), refused.read()
    return Answer(status, answer_headers, content, time.monotonic() - started)
